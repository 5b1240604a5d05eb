package xcm.coordinator.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.plan.FailoverTarget;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

class FailureConfigTest {
  private static FailureConfig load(Map<String, String> values) {
    return FailureConfig.load(new Settings("xcm.coordinator.", values));
  }

  @Test
  void theFailoverTargetIsOneHostAtAHundredPercentOfCpuUnlessConfigured() {
    assertThat(load(Map.of()).failover()).isEqualTo(new FailoverTarget(1, 100));
    assertThat(
            load(Map.of(
                    "xcm.coordinator.failure.failover-level", "2",
                    "xcm.coordinator.failure.restart-cpu-percent", "150"))
                .failover())
        .isEqualTo(new FailoverTarget(2, 150));
  }

  @Test
  void aRestartCpuLimitOfNothingFailsStartUpNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("xcm.coordinator.failure.restart-cpu-percent", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.failure.restart-cpu-percent");
  }
}
