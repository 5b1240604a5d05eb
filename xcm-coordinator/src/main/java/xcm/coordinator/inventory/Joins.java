package xcm.coordinator.inventory;

import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.HostState;
import xcm.serve.LogText;

/**
 * How an agent's answer changes the host records, apart from {@link Inventory} so that it can apply
 * one answer ({@link Inventory#join}) or a whole round's newcomers ({@link Inventory#admit}) to
 * maps it then publishes once.
 *
 * <p>Not thread-safe: the inventory calls it under its lock, on maps it owns.
 */
final class Joins {
  private static final Logger log = LoggerFactory.getLogger(Inventory.class);

  private Joins() {}

  /**
   * Records in {@code hosts} and {@code pending} that the agent at {@code url} answered with {@code
   * data}: a new member, the same member again, or a known host whose agent moved.
   *
   * @return the host's name
   * @throws IllegalArgumentException when another reachable agent already holds that host name; the
   *     maps are unchanged then
   */
  static String join(
      HostLifecycle lifecycle,
      Map<String, HostState> restoredModes,
      Map<String, HostRecord> hosts,
      Map<String, String> pending,
      String url,
      HostData data,
      Instant now) {
    HostRecord known = hosts.get(data.name());
    if (known == null || known.removedAt() != null) {
      hosts.put(
          data.name(),
          lifecycle.joined(
              url, data, restoredModes.getOrDefault(data.name(), HostState.ACTIVE), now));
      log.info("host {} joined from {}", LogText.escape(data.name()), LogText.escape(url));
    } else if (known.url().equals(url)) {
      hosts.put(data.name(), lifecycle.answered(known, data, now));
    } else if (known.reachable()) {
      throw new IllegalArgumentException(
          "host "
              + data.name()
              + " is already a member with its agent at "
              + known.url()
              + ", which still answers; the agent at "
              + url
              + " reports the same host name");
    } else {
      hosts.put(data.name(), lifecycle.moved(known, url, data, now));
      log.info(
          "host {} moved its agent from {} to {}",
          LogText.escape(data.name()),
          LogText.escape(known.url()),
          LogText.escape(url));
    }
    pending.remove(url);
    return data.name();
  }
}
