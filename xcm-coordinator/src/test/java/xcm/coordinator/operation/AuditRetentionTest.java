package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

class AuditRetentionTest {

  @Test
  void withoutKeysTheAuditLogKeeps90DaysAndAMillionRowsPrunedHourly() {
    assertThat(AuditRetention.load(new Settings("xcm.coordinator.", Map.of())))
        .isEqualTo(new AuditRetention(Duration.ofDays(90), 1_000_000, Duration.ofHours(1)));
  }

  @Test
  void theKeysSetAgeRowsAndInterval() {
    Settings s =
        new Settings(
            "xcm.coordinator.",
            Map.of(
                "xcm.coordinator.audit.max-age", "30d",
                "xcm.coordinator.audit.max-rows", "5000",
                "xcm.coordinator.audit.prune-interval", "10m"));

    assertThat(AuditRetention.load(s))
        .isEqualTo(new AuditRetention(Duration.ofDays(30), 5000, Duration.ofMinutes(10)));
  }

  @Test
  void aRetentionOfNothingFailsStartUpNamingTheKey() {
    assertThatThrownBy(
            () ->
                AuditRetention.load(
                    new Settings(
                        "xcm.coordinator.", Map.of("xcm.coordinator.audit.max-age", "0d"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.audit.max-age")
        .hasMessageContaining("must be longer than 0");
    assertThatThrownBy(
            () ->
                AuditRetention.load(
                    new Settings(
                        "xcm.coordinator.", Map.of("xcm.coordinator.audit.max-rows", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.audit.max-rows");
  }
}
