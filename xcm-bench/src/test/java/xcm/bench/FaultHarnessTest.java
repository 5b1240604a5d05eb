package xcm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultHarnessTest {
  private static final Set<String> DOMAINS = Set.of("a", "b");

  @Test
  void violationIsNullWhenEveryDomainRunsOnExactlyOneHost() {
    assertThat(
            FaultHarness.violation(
                DOMAINS, Map.of("a", List.of("dmz01=RUNNING"), "b", List.of("dmz02=RUNNING"))))
        .isNull();
  }

  @Test
  void violationNamesALostDomain() {
    assertThat(FaultHarness.violation(DOMAINS, Map.of("a", List.of("dmz01=RUNNING"))))
        .isEqualTo("b lost");
  }

  @Test
  void violationNamesADomainDefinedOnTwoHostsEvenIfOnlyOneCopyRuns() {
    assertThat(
            FaultHarness.violation(
                DOMAINS,
                Map.of(
                    "a", List.of("dmz01=RUNNING", "dmz02=SHUTOFF"),
                    "b", List.of("dmz02=RUNNING"))))
        .isEqualTo("a [dmz01=RUNNING, dmz02=SHUTOFF]");
  }

  @Test
  void violationNamesADomainLeftPausedAndOneThatAppearedFromNowhere() {
    assertThat(
            FaultHarness.violation(
                DOMAINS,
                Map.of(
                    "a", List.of("dmz01=PAUSED"),
                    "b", List.of("dmz02=RUNNING"),
                    "c", List.of("dmz03=RUNNING"))))
        .isEqualTo("a [dmz01=PAUSED]; unknown domains [c]");
  }
}
