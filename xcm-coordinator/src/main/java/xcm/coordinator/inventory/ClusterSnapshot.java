package xcm.coordinator.inventory;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import xcm.mbeans.HostState;

/**
 * The whole cluster as of one moment: every host record by name, and the configured agent URLs that
 * never answered. Immutable; the {@link Inventory} replaces it as a whole.
 *
 * <p>A class rather than a record only for its index of members by agent URL, built once with the
 * snapshot: a round asks {@link #hostAt} for every configured URL, and a scan over all hosts each
 * time is quadratic in the fleet (10,000 hosts: 10^8 comparisons a round).
 *
 * <p>Thread-safe: immutable.
 */
public final class ClusterSnapshot {
  private final long round;
  private final Instant collectedAt;
  private final double collectSeconds;
  private final SortedMap<String, HostRecord> hosts;
  private final SortedMap<String, String> pending;
  private final Map<String, HostRecord> byUrl;

  /**
   * @param round collection rounds completed
   * @param collectedAt end of the last round (null before the first)
   * @param collectSeconds wall time of the last round
   * @param pending configured agent URLs that never answered, with the reason
   */
  public ClusterSnapshot(
      long round,
      Instant collectedAt,
      double collectSeconds,
      SortedMap<String, HostRecord> hosts,
      SortedMap<String, String> pending) {
    this(round, collectedAt, collectSeconds, new TreeMap<>(hosts), new TreeMap<>(pending), true);
  }

  /** Takes {@code hosts} and {@code pending} as they are: the caller hands over fresh copies. */
  private ClusterSnapshot(
      long round,
      Instant collectedAt,
      double collectSeconds,
      TreeMap<String, HostRecord> hosts,
      TreeMap<String, String> pending,
      boolean owned) {
    this.round = round;
    this.collectedAt = collectedAt;
    this.collectSeconds = collectSeconds;
    this.hosts = Collections.unmodifiableSortedMap(hosts);
    this.pending = Collections.unmodifiableSortedMap(pending);
    Map<String, HostRecord> index = new HashMap<>(hosts.size() * 2);
    for (HostRecord host : hosts.values()) {
      // Only members: a removed host's URL may be another member's, or free again.
      if (host.removedAt() == null) {
        index.putIfAbsent(host.url(), host);
      }
    }
    this.byUrl = index;
  }

  public static ClusterSnapshot empty() {
    return new ClusterSnapshot(0, null, 0, new TreeMap<>(), new TreeMap<>(), true);
  }

  public long round() {
    return round;
  }

  public Instant collectedAt() {
    return collectedAt;
  }

  public double collectSeconds() {
    return collectSeconds;
  }

  public SortedMap<String, HostRecord> hosts() {
    return hosts;
  }

  public SortedMap<String, String> pending() {
    return pending;
  }

  /** The host of that name, or null. */
  public HostRecord host(String name) {
    return hosts.get(name);
  }

  /** The member whose agent is at {@code url}, or null. */
  public HostRecord hostAt(String url) {
    return byUrl.get(url);
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
        round,
        collectedAt,
        collectSeconds,
        new TreeMap<>(newHosts),
        new TreeMap<>(newPending),
        true);
  }

  /** A snapshot of a new round that takes the maps as they are: the caller made them fresh. */
  static ClusterSnapshot ofRound(
      long round,
      Instant collectedAt,
      double collectSeconds,
      TreeMap<String, HostRecord> hosts,
      TreeMap<String, String> pending) {
    return new ClusterSnapshot(round, collectedAt, collectSeconds, hosts, pending, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSnapshot s
        && round == s.round
        && Double.compare(collectSeconds, s.collectSeconds) == 0
        && Objects.equals(collectedAt, s.collectedAt)
        && hosts.equals(s.hosts)
        && pending.equals(s.pending);
  }

  @Override
  public int hashCode() {
    return Objects.hash(round, collectedAt, collectSeconds, hosts, pending);
  }

  @Override
  public String toString() {
    return "ClusterSnapshot[round="
        + round
        + ", collectedAt="
        + collectedAt
        + ", collectSeconds="
        + collectSeconds
        + ", hosts="
        + hosts
        + ", pending="
        + pending
        + "]";
  }
}
