package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PrivilegedAction;
import java.util.Set;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;
import xcm.serve.JolokiaPrincipal;

class RequesterTest {
  @SuppressWarnings("removal")
  private static Requester callAs(java.security.Principal principal) {
    Subject subject = new Subject(true, Set.of(principal), Set.of(), Set.of());
    return Subject.doAs(subject, (PrivilegedAction<Requester>) Requester::ofCurrentCall);
  }

  @Test
  void jmxCallersAreTheConnectorsAuthenticatedUser() {
    assertThat(callAs(new JMXPrincipal("operator"))).hasToString("jmx:operator");
  }

  @Test
  void jolokiaCallersAreTheAuthenticatedUserAndTheCliIsItsOwnDoor() {
    assertThat(callAs(new JolokiaPrincipal("xcm", "curl/8.5.0"))).hasToString("jolokia:xcm");
    assertThat(callAs(new JolokiaPrincipal("xcm", ""))).hasToString("jolokia:xcm");
    assertThat(callAs(new JolokiaPrincipal("xcm", "xcm-cli"))).hasToString("cli:xcm");
    assertThat(callAs(new JolokiaPrincipal("xcm", "xcm-cli/0.1.0"))).hasToString("cli:xcm");
  }

  @Test
  void aUserAgentChangesNothingButTheJolokiaDoorIntoTheCli() {
    for (String forged :
        new String[] {"jmx", "schedule", "webhook:x", "xcm-cli-admin", "cli:root"}) {
      assertThat(callAs(new JolokiaPrincipal("xcm", forged))).as(forged).hasToString("jolokia:xcm");
    }
  }

  @Test
  void aCallOutsideAnyDoorIsInternalAndNamesItsThread() {
    assertThat(Requester.ofCurrentCall())
        .isEqualTo(new Requester("internal", Thread.currentThread().getName()));
  }
}
