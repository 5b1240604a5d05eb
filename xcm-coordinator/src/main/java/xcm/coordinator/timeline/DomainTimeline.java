package xcm.coordinator.timeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.HostCount;
import xcm.mbeans.HostState;
import xcm.mbeans.TimelineHistory;

/**
 * Domains per host over the recent past, from the collection rounds: each host's count and state at
 * the window's start, then only what changed. A steady cluster of a thousand hosts costs a thousand
 * entries however long it runs; a busy one at most {@code maxChanges} more, after which the
 * window's start moves forward sooner than {@code retention} says.
 *
 * <pre>{@code
 * DomainTimeline timeline = new DomainTimeline(Duration.ofHours(1), 20_000);
 * collector.afterRound(timeline);
 * TimelineHistory history = timeline.history();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DomainTimeline implements Consumer<ClusterSnapshot> {
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);
  public static final int DEFAULT_MAX_CHANGES = 20_000;

  private final Duration retention;
  private final int maxChanges;
  private final Map<String, HostCount> start = new TreeMap<>();
  private final ArrayDeque<HostCount> changes = new ArrayDeque<>();
  private final Map<String, HostCount> latest = new HashMap<>();
  private long since;
  private long until;
  private long lastChange;

  public DomainTimeline(Duration retention, int maxChanges) {
    if (retention.isNegative() || retention.isZero() || maxChanges < 1) {
      throw new IllegalArgumentException(
          "a timeline needs a positive retention and room for a change: "
              + retention
              + ", "
              + maxChanges);
    }
    this.retention = retention;
    this.maxChanges = maxChanges;
  }

  /** Records the counts of a round that ended; rounds without an end (none yet) are skipped. */
  @Override
  public synchronized void accept(ClusterSnapshot snapshot) {
    if (snapshot.collectedAt() == null) {
      return;
    }
    long at = snapshot.collectedAt().toEpochMilli();
    if (at < until) {
      return;
    }
    boolean first = since == 0;
    if (first) {
      since = at;
    }
    until = at;
    for (HostRecord host : snapshot.hosts().values()) {
      int domains = host.data() == null ? 0 : host.data().activeDomains();
      note(new HostCount(at, host.name(), host.state().name(), domains), first);
    }
    for (HostCount last : List.copyOf(latest.values())) {
      if (snapshot.host(last.host()) == null && !isRemoved(last)) {
        note(new HostCount(at, last.host(), HostState.REMOVED.name(), 0), first);
      }
    }
    forget(at);
  }

  private void note(HostCount count, boolean first) {
    HostCount last = latest.get(count.host());
    if (last != null && last.domains() == count.domains() && last.state().equals(count.state())) {
      return;
    }
    latest.put(count.host(), count);
    if (first) {
      start.put(count.host(), count);
    } else {
      changes.addLast(count);
      lastChange = count.epochMillis();
    }
  }

  /** Folds changes older than the retention, or beyond the most kept, into the start. */
  private void forget(long now) {
    long horizon = now - retention.toMillis();
    while (!changes.isEmpty()
        && (changes.peekFirst().epochMillis() <= horizon || changes.size() > maxChanges)) {
      HostCount old = changes.pollFirst();
      since = Math.max(since, old.epochMillis());
      if (isRemoved(old)) {
        start.remove(old.host());
        if (latest.get(old.host()) == old) {
          latest.remove(old.host());
        }
      } else {
        start.put(old.host(), old);
      }
    }
    since = Math.max(since, horizon);
  }

  private static boolean isRemoved(HostCount count) {
    return count.state().equals(HostState.REMOVED.name());
  }

  /** The window as it stands: every host's count at its start, then the changes in order. */
  public synchronized TimelineHistory history() {
    List<HostCount> atStart = new ArrayList<>(start.size());
    for (HostCount count : start.values()) {
      atStart.add(new HostCount(since, count.host(), count.state(), count.domains()));
    }
    return new TimelineHistory(since, until, atStart, List.copyOf(changes));
  }

  /** When a host's count or state last changed, milliseconds since the epoch; 0 never. */
  public synchronized long lastChangeEpochMillis() {
    return lastChange;
  }

  public Duration retention() {
    return retention;
  }

  public int maxChanges() {
    return maxChanges;
  }
}
