package xcm.coordinator.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemandTrackerTest {
  @Test
  void aNoisyStationaryDemandSmoothsToItsMeanAndDeviation() {
    DemandTracker tracker = new DemandTracker(Duration.ofMinutes(15));
    Random random = new Random(3);
    for (int s = 0; s < 10_000; s++) {
      tracker.observe("vm", 2 + 0.5 * random.nextGaussian(), s * 5_000L);
    }

    DemandTracker.Demand demand = tracker.estimate("vm", 0);
    assertThat(demand.mean()).isCloseTo(2, offset(0.15));
    assertThat(demand.deviation()).isCloseTo(0.5, offset(0.1));
    assertThat(demand.peak(2)).isCloseTo(demand.mean() + 2 * demand.deviation(), offset(1e-12));
  }

  @Test
  void theWindowIsTheSameAtAnyCollectionInterval() {
    DemandTracker every5s = new DemandTracker(Duration.ofMinutes(10));
    DemandTracker everyMinute = new DemandTracker(Duration.ofMinutes(10));
    every5s.observe("vm", 0, 0);
    everyMinute.observe("vm", 0, 0);
    for (long t = 5_000; t <= 600_000; t += 5_000) {
      every5s.observe("vm", 4, t);
    }
    for (long t = 60_000; t <= 600_000; t += 60_000) {
      everyMinute.observe("vm", 4, t);
    }

    // After one window a step has come 1 - 1/e of the way, whatever the interval.
    assertThat(every5s.estimate("vm", 0).mean()).isCloseTo(4 * (1 - Math.exp(-1)), offset(1e-9));
    assertThat(everyMinute.estimate("vm", 0).mean())
        .isCloseTo(4 * (1 - Math.exp(-1)), offset(1e-9));
  }

  @Test
  void aDomainNeverSeenFallsBackAndGoneOnesAreForgotten() {
    DemandTracker tracker = new DemandTracker(Duration.ofMinutes(15));
    tracker.observe("a", 1, 0);
    tracker.observe("b", 1, 0);
    tracker.retain(Set.of("a"));

    assertThat(tracker.size()).isEqualTo(1);
    assertThat(tracker.estimate("b", 0.25)).isEqualTo(new DemandTracker.Demand(0.25, 0));
  }

  @Test
  void badSamplesAndWindowsAreRefusedByName() {
    DemandTracker tracker = new DemandTracker(Duration.ofMinutes(15));
    assertThatThrownBy(() -> tracker.observe("web1", Double.NaN, 0))
        .hasMessage("domain \"web1\": demand must be a finite number >= 0, found: NaN");
    assertThatThrownBy(() -> new DemandTracker(Duration.ZERO))
        .hasMessage("demand window must be above 0, found: PT0S");
  }
}
