package xcm.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.mbeans.DomainState;

/**
 * An agent on libvirt's test driver, which cannot migrate live, with the product alone on its class
 * path: the hand-over between agents is test support (xcm-testkit), so it migrates nothing.
 */
class NoHandoverTest {

  @Test
  void theProductHoldsNoHandover() {
    assertThat(ServiceLoader.load(Handovers.class).findFirst()).isEmpty();
  }

  @Test
  void aHostThatCannotMigrateLiveRefusesMigrationsNamingTheHostAndTheReasonAndChangesNothing()
      throws Exception {
    DomainLocks locks = new DomainLocks();
    try (Hypervisor hypervisor = LibvirtHypervisor.open(Fixtures.LAB01);
        OutgoingMigrations migrations =
            OutgoingMigrations.builder()
                .host("lab01")
                .hypervisor(hypervisor)
                .locks(locks)
                .peers(url -> null)
                .build()) {

      assertThatThrownBy(() -> migrations.migrate("web01", "http://127.0.0.1:8782/jolokia/", ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "lab01: cannot migrate domain 'web01': libvirt's driver of "
                  + Fixtures.LAB01
                  + " cannot migrate live, and this agent has no hand-over between agents for such"
                  + " hosts (test support: xcm-testkit is not on its class path)");
      assertThat(migrations.recent()).isEmpty();
      assertThat(locks.holder("web01")).isEmpty();
      assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
      // What is wrong with the request itself still comes first.
      assertThatThrownBy(() -> migrations.migrate("nope", "http://127.0.0.1:8782/jolokia/", ""))
          .hasMessage("lab01: cannot migrate domain 'nope': no such domain");
    }
  }
}
