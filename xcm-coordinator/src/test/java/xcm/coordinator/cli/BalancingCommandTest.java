package xcm.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.Coordinator;
import xcm.coordinator.CoordinatorConfig;
import xcm.coordinator.TestSettings;

/**
 * {@code ./xcm balancing} against a real coordinator over its Jolokia: the operator sets the level
 * and threshold and runs a round; the monitor reads and cannot change them; a bad value is refused
 * naming it.
 */
class BalancingCommandTest {
  @TempDir Path dir;
  private MBeanServer server;
  private Coordinator coordinator;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> values = TestSettings.of(dir.resolve("state"));
    values.put("xcm.coordinator.jolokia.monitor.password", "monitor-secret");
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(
            CoordinatorConfig.load(values), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private CliRun cli(String user, String password, String... args) throws Exception {
    return CliRun.as(coordinator.endpoints().jolokiaUrl(), dir, user, password, args);
  }

  @Test
  void anOperatorSetsTheLevelAndThresholdAndRunsARound() throws Exception {
    assertThat(cli("xcm", "operator-secret", "balancing").out())
        .startsWith("level off, threshold 3, a round every 5 min, power saving off\n");

    assertThat(cli("xcm", "operator-secret", "balancing", "level", "manual").out())
        .isEqualTo("automation level manual\n");
    assertThat(cli("xcm", "operator-secret", "balancing", "threshold", "4").out())
        .isEqualTo("migration threshold 4\n");
    CliRun round = cli("xcm", "operator-secret", "balancing", "round");

    assertThat(round.exit()).as(round.err()).isZero();
    assertThat(round.out()).startsWith("balanced: ");
    CliRun shown = cli("monitor", "monitor-secret", "balancing");
    assertThat(shown.out()).startsWith("level manual, threshold 4,").contains(": balanced — ");
    assertThat(cli("xcm", "operator-secret", "history").out())
        .contains("balancing level manual")
        .contains("balancing threshold 4");
  }

  @Test
  void theMonitorCannotChangeAnythingAndBadValuesAreRefused() throws Exception {
    CliRun monitor = cli("monitor", "monitor-secret", "balancing", "level", "full");
    CliRun badLevel = cli("xcm", "operator-secret", "balancing", "level", "turbo");
    CliRun badThreshold = cli("xcm", "operator-secret", "balancing", "threshold", "9");

    assertThat(monitor.exit()).isNotZero();
    assertThat(monitor.err()).contains("monitor");
    assertThat(badLevel.exit()).isNotZero();
    assertThat(badLevel.err())
        .contains("unknown automation level \"turbo\" (known: off, manual, full)");
    assertThat(badThreshold.err())
        .contains("migration threshold must be 1 (conservative) to 5 (aggressive), found: 9");
    assertThat(cli("xcm", "operator-secret", "balancing").out())
        .startsWith("level off, threshold 3,");
  }
}
