package xcm.serve;

import java.time.Duration;

/**
 * How long the web console's sessions live and how many there may be.
 *
 * @param idle a session unused this long ends
 * @param lifetime a session ends this long after sign-in, used or not
 * @param maxSessions live sessions at most; a sign-in beyond ends the least recently used one
 * @param maxFailedSignIns failed sign-ins from one address a minute before it is turned away (429)
 */
public record ConsoleSettings(
    Duration idle, Duration lifetime, int maxSessions, int maxFailedSignIns) {

  public ConsoleSettings {
    if (idle.isNegative() || idle.isZero() || lifetime.compareTo(idle) < 0) {
      throw new IllegalArgumentException(
          "console sessions: idle " + idle + " must be positive and no longer than " + lifetime);
    }
    if (maxSessions < 1 || maxFailedSignIns < 1) {
      throw new IllegalArgumentException(
          "console sessions: at most "
              + maxSessions
              + " sessions and "
              + maxFailedSignIns
              + " failed sign-ins a minute: both must be at least 1");
    }
  }

  /** 30 minutes idle, 12 hours at most, 1,000 sessions, 10 failed sign-ins a minute. */
  public static ConsoleSettings defaults() {
    return new ConsoleSettings(Duration.ofMinutes(30), Duration.ofHours(12), 1_000, 10);
  }
}
