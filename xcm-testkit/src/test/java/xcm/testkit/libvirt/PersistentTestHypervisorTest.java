package xcm.testkit.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.Fixtures;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorContract;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.HypervisorUnavailableException;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;

/** The test driver with a state file: everything a Hypervisor must do, and it remembers. */
class PersistentTestHypervisorTest extends HypervisorContract {
  @TempDir Path dir;

  private Path state() {
    return dir.resolve("lab01.state.xml");
  }

  @Override
  protected Hypervisor open() throws HypervisorException {
    return PersistentTestHypervisor.open(Fixtures.LAB01, state());
  }

  private static Map<String, DomainStats> domains(Hypervisor hypervisor)
      throws HypervisorException {
    return hypervisor.readDomains().stream()
        .map(DomainStats.class::cast)
        .collect(Collectors.toMap(DomainStats::name, Function.identity()));
  }

  @Test
  void domainsAndTheirStatesOutliveTheAgent() throws HypervisorException {
    hypervisor.defineDomain(
        Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1));
    hypervisor.suspendDomain("web01");
    hypervisor.destroyDomain("db01");
    hypervisor.undefineDomain("db01");
    hypervisor.close();

    hypervisor = open();

    Map<String, DomainStats> domains = domains(hypervisor);
    assertThat(domains).containsKeys("new01", "web01", "off01").doesNotContainKey("db01");
    assertThat(domains.get("new01").state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(domains.get("web01").state()).isEqualTo(DomainState.PAUSED);
    assertThat(domains.get("web01").uuid()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000001");
    assertThat(domains.get("web,01=\"x\":y").state()).isEqualTo(DomainState.RUNNING);
    assertThat(hypervisor.capacity().cpus()).isEqualTo(8);

    hypervisor.resumeDomain("web01");
    hypervisor.close();
    hypervisor = open();
    assertThat(domains(hypervisor).get("web01").state()).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void placementRulesOutliveTheAgentRunningOrNot() throws HypervisorException {
    PlacementRules rules = PlacementRules.parse("apart db; prefer ssd=true; restart low");
    hypervisor.setPlacement("web01", rules);
    hypervisor.setPlacement("off01", rules);
    hypervisor.close();

    hypervisor = open();

    Map<String, DomainStats> domains = domains(hypervisor);
    assertThat(PlacementXml.parse(domains.get("web01").placementXml())).isEqualTo(rules);
    assertThat(PlacementXml.parse(domains.get("off01").placementXml())).isEqualTo(rules);

    hypervisor.setPlacement("web01", PlacementRules.NONE);
    hypervisor.close();
    hypervisor = open();
    assertThat(domains(hypervisor).get("web01").placementXml()).isEmpty();
  }

  @Test
  void theStateFileIsItsOwnersOnly() throws Exception {
    hypervisor.suspendDomain("web01");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state())))
        .isEqualTo("rw-------");
  }

  @Test
  void onlyTheTestDriverNeedsAStateFile() {
    assertThatThrownBy(() -> PersistentTestHypervisor.open("qemu:///system", state()))
        .isInstanceOf(HypervisorUnavailableException.class)
        .hasMessage("a state file is for libvirt's test driver only, not for qemu:///system");
  }
}
