package xcm.coordinator.enrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import xcm.coordinator.enrol.EnrolmentAnswer.Refused;
import xcm.coordinator.enrol.EnrolmentAnswer.Waiting;
import xcm.mbeans.PendingEnrolment;

/**
 * The requests that wait for an operator, by host name and then by key fingerprint, oldest first.
 * What a stranger can make it keep is bounded: at most {@value #MAX_WAITING} requests, at most
 * {@value #MAX_WAITING_PER_HOST} per name, each for {@link #WAITING_FOR} at most.
 *
 * <p>Not thread-safe: the {@link EnrolmentDesk} holding it guards it.
 */
final class WaitingRoom {
  static final int MAX_WAITING = 256;
  static final int MAX_WAITING_PER_HOST = 4;
  static final Duration WAITING_FOR = Duration.ofHours(24);

  private final Clock clock;
  private final Map<String, Map<String, Waiter>> waiting = new TreeMap<>();

  WaitingRoom(Clock clock) {
    this.clock = clock;
  }

  /** A request without a token: it waits (again), or is turned away when the room is full. */
  EnrolmentAnswer admit(String host, String url, String uuid, HostKey key, String from) {
    expire();
    Map<String, Waiter> forHost = waiting.get(host);
    Waiter known = forHost == null ? null : forHost.get(key.fingerprint());
    if (known != null) {
      forHost.put(key.fingerprint(), known.renewed(url, uuid, from));
      return new Waiting(key.fingerprint());
    }
    boolean hostFull = forHost != null && forHost.size() >= MAX_WAITING_PER_HOST;
    if (hostFull || size() >= MAX_WAITING) {
      return new Refused(
          Refusal.TOO_MANY_WAITING,
          "too many enrolment requests wait"
              + (hostFull ? " for host " + host : "")
              + "; an operator approves or rejects them first");
    }
    waiting
        .computeIfAbsent(host, h -> new LinkedHashMap<>())
        .put(key.fingerprint(), new Waiter(host, url, uuid, key, from, clock.instant()));
    return new Waiting(key.fingerprint());
  }

  /**
   * The one waiting request of {@code host} whose key's fingerprint starts with {@code
   * fingerprint}, as an operator may type it (any case, with or without "SHA256:" and colons).
   *
   * @throws IllegalArgumentException naming the host and why: none waits, or the fingerprint
   *     matches none or several of its requests
   */
  Waiter choose(String host, String fingerprint) {
    expire();
    Map<String, Waiter> forHost = waiting.getOrDefault(host, Map.of());
    if (forHost.isEmpty()) {
      throw new IllegalArgumentException("no enrolment request of host " + host + " waits");
    }
    List<Waiter> matching =
        forHost.values().stream()
            .filter(w -> hex(w.key().fingerprint()).startsWith(hex(fingerprint)))
            .toList();
    if (matching.size() != 1) {
      throw new IllegalArgumentException(
          (matching.isEmpty() ? "no" : matching.size())
              + " waiting requests of host "
              + host
              + " match fingerprint '"
              + (fingerprint == null ? "" : fingerprint)
              + "'; waiting: "
              + forHost.keySet());
    }
    return matching.get(0);
  }

  /** Drops every waiting request of {@code host}; whether any waited. */
  boolean drop(String host) {
    return waiting.remove(host) != null;
  }

  List<PendingEnrolment> view() {
    expire();
    return waiting.values().stream()
        .flatMap(m -> m.values().stream())
        .sorted(Comparator.comparing(Waiter::since))
        .map(Waiter::view)
        .toList();
  }

  private int size() {
    return waiting.values().stream().mapToInt(Map::size).sum();
  }

  private void expire() {
    Instant oldest = clock.instant().minus(WAITING_FOR);
    waiting.values().forEach(forHost -> forHost.values().removeIf(w -> w.since().isBefore(oldest)));
    waiting.values().removeIf(Map::isEmpty);
  }

  private static String hex(String fingerprint) {
    String text = fingerprint == null ? "" : fingerprint.strip().toUpperCase(Locale.ROOT);
    if (text.startsWith("SHA256:")) {
      text = text.substring("SHA256:".length());
    }
    return text.replace(":", "");
  }

  /** One waiting request: what the host claimed, its key, where it asked from, since when. */
  record Waiter(String host, String url, String uuid, HostKey key, String from, Instant since) {
    Waiter renewed(String newUrl, String newUuid, String newFrom) {
      return new Waiter(host, newUrl, newUuid, key, newFrom, since);
    }

    PendingEnrolment view() {
      return new PendingEnrolment(host, url, uuid, key.fingerprint(), from, since.toEpochMilli());
    }
  }
}
