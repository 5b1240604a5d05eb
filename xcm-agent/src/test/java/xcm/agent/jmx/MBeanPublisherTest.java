package xcm.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.epoch.Epochs;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.migration.MigrationConfig;
import xcm.agent.migration.Migrations;
import xcm.agent.reach.AgentProbe;
import xcm.agent.sample.Sampler;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.HostLabels;

class MBeanPublisherTest {
  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
  private Hypervisor hypervisor;
  private Sampler sampler;
  private Migrations migrations;
  private MBeanPublisher publisher;

  @BeforeEach
  void publish() throws Exception {
    hypervisor = LibvirtHypervisor.open(Fixtures.LAB01);
    sampler =
        new Sampler(
            hypervisor, "lab01", Duration.ofHours(1), Duration.ofMinutes(1), Clock.systemUTC());
    sampler.sampleNow();
    migrations =
        Migrations.create(
            "lab01",
            hypervisor,
            Optional.empty(),
            Optional.empty(),
            new MigrationConfig(hypervisor.uri(), "", Duration.ofMinutes(5), 0),
            Optional.empty(),
            sampler::requestSample);
    publisher =
        MBeanPublisher.publish(
            server,
            sampler,
            hypervisor,
            migrations,
            "test",
            null,
            Optional.empty(),
            HostLabels.NONE,
            AgentProbe.overTls("lab01", Optional.empty()),
            Epochs.inMemory("lab01"));
  }

  @AfterEach
  void close() {
    migrations.close();
    sampler.close();
    publisher.close();
    hypervisor.close();
  }

  @Test
  void everyDomainHasAnMBeanWithItsQuotedName() throws Exception {
    assertThat(server.queryNames(ObjectNames.allDomains(), null))
        .containsExactlyInAnyOrder(
            ObjectNames.domain("web01"),
            ObjectNames.domain("db01"),
            ObjectNames.domain("web,01=\"x\":y"),
            ObjectNames.domain("paused01"),
            ObjectNames.domain("off01"));
    assertThat(server.getAttribute(ObjectNames.domain("web,01=\"x\":y"), "Name"))
        .isEqualTo("web,01=\"x\":y");
    assertThat(server.getAttribute(ObjectNames.host(), "DomainCount")).isEqualTo(5);
  }

  @Test
  void domainMBeansFollowDomainsAppearingAndDisappearing() throws Exception {
    hypervisor.defineDomain(
        Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1));
    hypervisor.destroyDomain("db01");
    hypervisor.undefineDomain("db01");

    sampler.sampleNow();

    assertThat(server.isRegistered(ObjectNames.domain("new01"))).isTrue();
    assertThat(server.isRegistered(ObjectNames.domain("db01"))).isFalse();
    assertThat(server.getAttribute(ObjectNames.domain("new01"), "State")).isEqualTo("SHUTOFF");
  }

  @Test
  void attributesCarryTheirDescriptionsForJconsole() throws Exception {
    MBeanAttributeInfo memory =
        Arrays.stream(server.getMBeanInfo(ObjectNames.domain("web01")).getAttributes())
            .filter(a -> a.getName().equals("MemoryBytes"))
            .findFirst()
            .orElseThrow();

    assertThat(memory.getDescription()).isEqualTo("Memory currently given to the domain, bytes");
  }

  @Test
  void closeUnregistersEverything() {
    publisher.close();

    assertThat(server.queryNames(null, null))
        .noneMatch(name -> name.getDomain().equals(ObjectNames.DOMAIN));
  }

  @Test
  void aSecondAgentInTheSameServerIsRefused() {
    assertThatThrownBy(
            () ->
                MBeanPublisher.publish(
                    server,
                    sampler,
                    hypervisor,
                    migrations,
                    "test",
                    null,
                    Optional.empty(),
                    HostLabels.NONE,
                    AgentProbe.overTls("lab01", Optional.empty()),
                    Epochs.inMemory("lab01")))
        .isInstanceOf(InstanceAlreadyExistsException.class);
    assertThat(server.isRegistered(ObjectNames.host())).isTrue();
  }

  @Test
  void placementRulesSetThroughJmxAreOnTheDomainsMBeanWhenTheCallReturns() throws Exception {
    assertThat(server.getAttribute(ObjectNames.domain("web,01=\"x\":y"), "Placement"))
        .isEqualTo("");

    server.invoke(
        ObjectNames.hostOperations(),
        "setPlacement",
        new Object[] {"web,01=\"x\":y", "together app soft; prefer ssd=true", 1L},
        new String[] {String.class.getName(), String.class.getName(), long.class.getName()});

    assertThat(server.getAttribute(ObjectNames.domain("web,01=\"x\":y"), "Placement"))
        .isEqualTo("together app soft; prefer ssd=true");
    assertThat(server.getAttribute(ObjectNames.domain("web,01=\"x\":y"), "PlacementError"))
        .isEqualTo("");
    assertThatThrownBy(
            () ->
                server.invoke(
                    ObjectNames.hostOperations(),
                    "setPlacement",
                    new Object[] {"web01", "restart soon", 1L},
                    new String[] {
                      String.class.getName(), String.class.getName(), long.class.getName()
                    }))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage(
            "lab01: cannot set the placement rules of domain 'web01': rule 'restart soon':"
                + " restart takes high, medium, low or never");
    MBeanAttributeInfo placement =
        Arrays.stream(server.getMBeanInfo(ObjectNames.domain("web01")).getAttributes())
            .filter(a -> a.getName().equals("PlacementError"))
            .findFirst()
            .orElseThrow();
    assertThat(placement.getDescription()).startsWith("Why the domain's placement metadata");
  }
}
