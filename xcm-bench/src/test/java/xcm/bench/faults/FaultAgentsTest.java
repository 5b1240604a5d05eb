package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultAgentsTest {
  @Test
  void staleRefusalsAreReadFromTheAgentsMetrics() {
    String metrics =
        "# HELP xcm_agent_stale_requests_total Requests refused, nothing done, ...\n"
            + "# TYPE xcm_agent_stale_requests_total counter\n"
            + "xcm_agent_stale_requests_total 3.0\n"
            + "xcm_agent_samples_total 120.0\n";

    assertThat(FaultAgents.staleRefusals(metrics)).isEqualTo(3);
  }

  @Test
  void metricsWithoutTheCounterAreRefused() {
    assertThatThrownBy(() -> FaultAgents.staleRefusals("xcm_agent_samples_total 1.0\n"))
        .hasMessage("no xcm_agent_stale_requests_total in the agent's /metrics");
  }
}
