package xcm.serve;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an address away from the console's sign-in after too many failures in a minute, so that
 * passwords cannot be guessed at the door's speed. The addresses remembered are bounded: a stranger
 * cycling through addresses fills nothing. Thread-safe.
 */
final class SignInThrottle {
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int REMEMBERED = 10_000;

  private record Failures(Instant since, int count) {}

  private final int allowed;
  private final Clock clock;

  private final Map<InetAddress, Failures> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
          return size() > REMEMBERED;
        }
      };

  SignInThrottle(int allowed, Clock clock) {
    this.allowed = allowed;
    this.clock = clock;
  }

  /** Whether {@code address} has failed too often in the last minute to try again now. */
  synchronized boolean turnsAway(InetAddress address) {
    Failures f = current(address);
    return f != null && f.count() >= allowed;
  }

  synchronized void failed(InetAddress address) {
    Failures f = current(address);
    failures.put(
        address,
        f == null ? new Failures(clock.instant(), 1) : new Failures(f.since(), f.count() + 1));
  }

  synchronized void succeeded(InetAddress address) {
    failures.remove(address);
  }

  private Failures current(InetAddress address) {
    Failures f = failures.get(address);
    if (f != null && !clock.instant().isBefore(f.since().plus(WINDOW))) {
      failures.remove(address);
      return null;
    }
    return f;
  }
}
