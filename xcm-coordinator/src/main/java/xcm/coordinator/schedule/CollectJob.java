package xcm.coordinator.schedule;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Quartz adapter: one collection round, every time on the active coordinator, at most once every
 * {@code standbyInterval} on a standby. A round never overlaps the previous one. One instance
 * serves every firing, so that it remembers when it last read.
 */
@DisallowConcurrentExecution
final class CollectJob implements Job {
  private final Runnable round;
  private final BooleanSupplier active;
  private final long standbyNanos;
  private final LongSupplier nanoTime;
  private volatile Long lastRound;

  /**
   * @param active whether this coordinator is the active one now
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  CollectJob(
      Runnable round, BooleanSupplier active, Duration standbyInterval, LongSupplier nanoTime) {
    this.round = round;
    this.active = active;
    this.standbyNanos = standbyInterval.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public void execute(JobExecutionContext context) {
    long now = nanoTime.getAsLong();
    Long last = lastRound;
    if (!active.getAsBoolean() && last != null && now - last < standbyNanos) {
      return;
    }
    lastRound = now;
    round.run();
  }
}
