package xcm.coordinator.inventory;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import xcm.mbeans.HostState;

/**
 * The whole cluster as of one moment: every host record by name, and the configured agent URLs that
 * never answered. Immutable; the {@link Inventory} replaces it as a whole.
 *
 * @param round collection rounds completed
 * @param collectedAt end of the last round (null before the first)
 * @param collectSeconds wall time of the last round
 * @param pending configured agent URLs that never answered, with the reason
 */
public record ClusterSnapshot(
    long round,
    Instant collectedAt,
    double collectSeconds,
    SortedMap<String, HostRecord> hosts,
    SortedMap<String, String> pending) {

  public ClusterSnapshot {
    hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
    pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending));
  }

  public static ClusterSnapshot empty() {
    return new ClusterSnapshot(0, null, 0, new TreeMap<>(), new TreeMap<>());
  }

  /** The host of that name, or null. */
  public HostRecord host(String name) {
    return hosts.get(name);
  }

  /** The member whose agent is at {@code url}, or null. */
  public HostRecord hostAt(String url) {
    for (HostRecord host : hosts.values()) {
      if (host.url().equals(url) && host.removedAt() == null) {
        return host;
      }
    }
    return null;
  }

  public long count(HostState state) {
    return hosts.values().stream().filter(h -> h.state() == state).count();
  }

  /** Domains on all hosts as last reported (hosts that never answered count none). */
  public int domainCount() {
    return hosts.values().stream()
        .filter(h -> h.data() != null && h.state() != HostState.REMOVED)
        .mapToInt(h -> h.data().domains().size())
        .sum();
  }

  ClusterSnapshot withHosts(Map<String, HostRecord> newHosts, Map<String, String> newPending) {
    return new ClusterSnapshot(
        round, collectedAt, collectSeconds, new TreeMap<>(newHosts), new TreeMap<>(newPending));
  }
}
