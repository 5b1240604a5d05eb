package xcm.coordinator.failure;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.operation.PlanningInput;
import xcm.coordinator.plan.FailoverCapacity;
import xcm.coordinator.plan.FailoverTarget;
import xcm.serve.LogText;

/**
 * Keeps {@link FailoverCapacity#tolerated} current: worked out after a round on {@code executor},
 * at most one at a time, so that views and metrics read a number, never plan. It works at most a
 * twentieth of the time: a figure that took D is next worked out D x {@value #IDLE_PER_BUSY} after
 * it is known, at the first round then (every round on a small cluster; at 10,000 hosts, whose
 * figure takes seconds, it would otherwise take a core's share from the collection beside it).
 *
 * <p>Thread-safe.
 */
public final class FailoverWatch {
  private static final Logger log = LoggerFactory.getLogger(FailoverWatch.class);

  private final FailoverTarget target;
  private final long reservedMemoryBytes;
  private final Clock clock;
  private final Executor executor;
  private final AtomicBoolean working = new AtomicBoolean();
  private volatile int tolerated = -1;
  private volatile long round = -1;
  private volatile long nextAtMillis;

  /** Time idle after a figure, per time it took to work out. */
  static final int IDLE_PER_BUSY = 19;

  public FailoverWatch(
      FailoverTarget target, long reservedMemoryBytes, Clock clock, Executor executor) {
    this.target = target;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.clock = clock;
    this.executor = executor;
  }

  /** The level configured: fewer tolerated failures alert, and no plan of XCM's goes below it. */
  public int level() {
    return target.level();
  }

  /** Host failures absorbed as of the last round worked out; -1 before the first. */
  public int tolerated() {
    return tolerated;
  }

  /** Works the figure out again for this round's snapshot, unless that runs already. */
  public void afterRound(ClusterSnapshot snapshot) {
    if (snapshot.round() == round
        || clock.millis() < nextAtMillis
        || !working.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              long started = clock.millis();
              tolerated = of(snapshot);
              round = snapshot.round();
              long done = clock.millis();
              nextAtMillis = done + IDLE_PER_BUSY * (done - started);
            } catch (RuntimeException e) {
              log.warn("cannot work out the failover capacity: {}", LogText.escape(e.getMessage()));
            } finally {
              working.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      working.set(false);
    }
  }

  /** The failures {@code snapshot} absorbs, checked up to one beyond the level. */
  public int of(ClusterSnapshot snapshot) {
    return FailoverCapacity.tolerated(
        PlanningInput.of(snapshot, reservedMemoryBytes, Map.of(), Map.of(), clock.instant()),
        target.level() + 1,
        target.cpuPercent());
  }
}
