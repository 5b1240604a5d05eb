package xcm.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.Coordinator;
import xcm.coordinator.CoordinatorConfig;
import xcm.coordinator.TestSettings;
import xcm.coordinator.enrol.EnrolmentAnswer;
import xcm.coordinator.enrol.EnrolmentRequest;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;

/**
 * {@code ./xcm hosts} against a real coordinator over its Jolokia: an operator issues a token, sees
 * a waiting host with its key's fingerprint and approves it; the monitor sees and cannot act.
 */
class HostsCommandTest {
  private static final SecureRandom RANDOM = new SecureRandom();

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

  private EnrolmentAnswer ask(String host, Optional<String> token) {
    return coordinator
        .enrolment()
        .submit(
            new EnrolmentRequest(
                host,
                "https://127.0.0.1:8778/jolokia/",
                host.equals("hv01")
                    ? "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60"
                    : "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                CertificateRequest.create(Keys.generate(RANDOM), host, Optional.empty()).pem(),
                token,
                "127.0.0.1",
                Optional.empty()));
  }

  @Test
  void anOperatorIssuesATokenThatEnrolsItsHostOnce() throws Exception {
    CliRun token = cli("xcm", "operator-secret", "hosts", "token", "hv01", "--valid-minutes", "5");

    assertThat(token.exit()).as(token.err()).isZero();
    String secret = token.out().strip();
    assertThat(secret).startsWith("xcm-enrol-");
    assertThat(ask("hv01", Optional.of(secret))).isInstanceOf(EnrolmentAnswer.Issued.class);
    assertThat(cli("xcm", "operator-secret", "hosts").out()).contains("ENROLLED").contains("hv01");
    assertThat(ask("hv01", Optional.of(secret))).isInstanceOf(EnrolmentAnswer.Refused.class);
  }

  @Test
  void anOperatorSeesAWaitingHostsKeyAndApprovesIt() throws Exception {
    String fingerprint = ((EnrolmentAnswer.Waiting) ask("hv02", Optional.empty())).fingerprint();

    CliRun list = cli("xcm", "operator-secret", "hosts");
    assertThat(list.out()).contains("WAITING").contains("hv02").contains(fingerprint);

    CliRun approve = cli("xcm", "operator-secret", "hosts", "approve", "hv02");
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("enrolled hv02 with key " + fingerprint);
    assertThat(coordinator.enrolment().enrolled("hv02")).isPresent();
    assertThat(cli("xcm", "operator-secret", "history").out()).contains("approve hv02");
  }

  @Test
  void theMonitorSeesWhoWaitsButCannotApproveNorIssueTokens() throws Exception {
    ask("hv02", Optional.empty());

    assertThat(cli("monitor", "monitor-secret", "hosts").out()).contains("hv02");
    CliRun approve = cli("monitor", "monitor-secret", "hosts", "approve", "hv02");
    CliRun token = cli("monitor", "monitor-secret", "hosts", "token", "hv03");

    assertThat(approve.exit()).isNotZero();
    assertThat(approve.err()).contains("monitor");
    assertThat(token.exit()).isNotZero();
    assertThat(coordinator.enrolment().enrolled()).isEmpty();
    assertThat(coordinator.enrolment().waiting()).hasSize(1);
  }
}
