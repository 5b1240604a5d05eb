package xcm.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import xcm.coordinator.CoordinatorConfig;
import xcm.mbeans.config.ConfigException;

class CollectJobTest {
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicBoolean active = new AtomicBoolean();
  private final AtomicLong nanos = new AtomicLong();
  private final CollectJob job =
      new CollectJob(rounds::incrementAndGet, active::get, Duration.ofSeconds(30), nanos::get);

  @Test
  void aStandbyCollectsAtOnceThenOnlyEveryStandbyInterval() {
    fire(0);
    fire(5);
    fire(25);
    assertThat(rounds).as("the first round, then none within 30 s").hasValue(1);

    fire(30);
    fire(35);
    assertThat(rounds).hasValue(2);
  }

  @Test
  void theActiveCollectsEveryTimeAndAFreshActiveAtOnce() {
    fire(0);
    fire(5);
    active.set(true);
    fire(10);
    fire(15);
    assertThat(rounds).hasValue(3);
  }

  @Test
  void aStandbyIntervalBelowTheCollectIntervalIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                CoordinatorConfig.load(
                    Map.of(
                        "xcm.coordinator.jolokia.password", "secret",
                        "xcm.coordinator.collect-interval", "5s",
                        "xcm.coordinator.standby.collect-interval", "1s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.standby.collect-interval")
        .hasMessageContaining("collect-interval (5000ms)");
  }

  @Test
  void aStandbyCollectsAsOftenAsTheActiveUnlessConfigured() {
    CoordinatorConfig config =
        CoordinatorConfig.load(
            Map.of(
                "xcm.coordinator.jolokia.password", "secret",
                "xcm.coordinator.collect-interval", "3s"));
    assertThat(config.standbyCollectInterval()).isEqualTo(Duration.ofSeconds(3));
  }

  private void fire(long seconds) {
    nanos.set(Duration.ofSeconds(seconds).toNanos());
    job.execute(null);
  }
}
