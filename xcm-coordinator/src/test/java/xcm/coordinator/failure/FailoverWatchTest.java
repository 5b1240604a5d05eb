package xcm.coordinator.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.plan.FailoverTarget;

class FailoverWatchTest {
  @Test
  void theFigureIsWorkedOutAgainOnlyOnceNineteenTimesWhatItTookHasPassed() {
    TickingClock clock = new TickingClock();
    AtomicInteger worked = new AtomicInteger();
    Executor counting =
        task -> {
          worked.incrementAndGet();
          task.run();
        };
    FailoverWatch watch = new FailoverWatch(new FailoverTarget(1, 100), 0, clock, counting);
    Inventory inventory = new Inventory(new HostLifecycle(3, Duration.ofMinutes(10)), clock);

    watch.afterRound(inventory.applyRound(new RoundOutcome(Map.of(), Map.of(), 0.1)));
    assertThat(worked).hasValue(1);
    assertThat(watch.tolerated()).isGreaterThanOrEqualTo(0);

    int rounds = 0;
    while (worked.get() == 1 && rounds < 1000) {
      watch.afterRound(inventory.applyRound(new RoundOutcome(Map.of(), Map.of(), 0.1)));
      rounds++;
    }
    // Working it out read the clock, so it took a few ms: the next rounds pass it by, until it has
    // been idle nineteen times as long.
    assertThat(worked).hasValue(2);
    assertThat(rounds).isGreaterThan(1);
  }

  /** A clock that moves 1 ms each time it is read, as if reading it took that long. */
  private static final class TickingClock extends Clock {
    private long millis = 1_000_000;

    @Override
    public long millis() {
      return millis++;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
