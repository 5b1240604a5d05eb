package xcm.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * At most one log line per interval for one kind of event that a stranger can repeat at will; the
 * lines held back are counted, so that the next line can say how many there were.
 *
 * <p>Thread-safe.
 */
final class LogBudget {
  private final Duration every;
  private Instant next = Instant.MIN;
  private long held;

  LogBudget(Duration every) {
    this.every = every;
  }

  /**
   * Whether a line may be logged at {@code now}: if so, how many were held back since the last one;
   * if not, empty, and this one is counted as held back.
   */
  synchronized OptionalLong take(Instant now) {
    if (now.isBefore(next)) {
      held++;
      return OptionalLong.empty();
    }
    next = now.plus(every);
    long before = held;
    held = 0;
    return OptionalLong.of(before);
  }
}
