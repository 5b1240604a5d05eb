package xcm.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.epoch.Epochs;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.migration.DomainLocks;
import xcm.agent.migration.MigrationConfig;
import xcm.agent.migration.Migrations;
import xcm.agent.reach.AgentProbe;
import xcm.agent.sample.Sampler;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.DomainState;
import xcm.mbeans.StaleEpochException;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;

/**
 * Operations that would break a migration in flight are refused, naming what holds the domain; any
 * change carrying a superseded coordinator epoch is refused before it changes anything.
 */
class HostOperationsTest {
  private static final long EPOCH = 1;

  private Hypervisor hypervisor;
  private Epochs epochs;
  private Sampler sampler;
  private Migrations migrations;
  private HostOperations operations;

  @BeforeEach
  void open() throws Exception {
    hypervisor = LibvirtHypervisor.open(Fixtures.LAB01);
    sampler =
        new Sampler(
            hypervisor, "lab01", Duration.ofHours(1), Duration.ofMinutes(1), Clock.systemUTC());
    migrations =
        Migrations.create(
            "lab01",
            hypervisor,
            Optional.empty(),
            Optional.empty(),
            new MigrationConfig(hypervisor.uri(), "", Duration.ofMinutes(5), 0),
            Optional.empty(),
            sampler::requestSample);
    epochs = Epochs.inMemory("lab01");
    operations =
        new HostOperations(
            hypervisor,
            sampler,
            "lab01",
            migrations,
            AgentProbe.overTls("lab01", Optional.empty()),
            epochs);
  }

  @AfterEach
  void close() {
    migrations.close();
    sampler.close();
    hypervisor.close();
  }

  @Test
  void domainBeingMigratedOutCannotBeDestroyedUndefinedStartedOrRedefined() throws Exception {
    String holder = "being migrated to http://10.0.0.6:8778/jolokia/ (migration 1)";
    try (DomainLocks.Lease lease = migrations.locks().acquire("web01", holder)) {
      assertThat(lease.domain()).isEqualTo("web01");
      assertThatThrownBy(() -> operations.destroyDomain("web01", EPOCH))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("lab01: cannot destroy domain 'web01': it is " + holder);
      assertThatThrownBy(() -> operations.undefineDomain("web01", EPOCH))
          .hasMessage("lab01: cannot undefine domain 'web01': it is " + holder);
      assertThatThrownBy(() -> operations.startDomain("web01", EPOCH))
          .hasMessage("lab01: cannot start domain 'web01': it is " + holder);
      assertThatThrownBy(
              () ->
                  operations.defineDomain(
                      Fixtures.domainXml("web01", "aaaaaaaa-0000-4000-8000-000000000001", 64, 1),
                      EPOCH))
          .hasMessage("lab01: cannot define domain 'web01': it is " + holder);
      assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
    }
    operations.destroyDomain("web01", EPOCH);
    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void aNewerEpochIsAdmittedAndBecomesTheNewestSeen() throws Exception {
    assertThat(operations.getEpoch()).isZero();

    operations.destroyDomain("web01", 3);
    assertThat(operations.getEpoch()).isEqualTo(3);
    operations.startDomain("web01", 3);

    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
    assertThat(operations.getEpoch()).isEqualTo(3);
    assertThat(epochs.refusals()).isZero();
  }

  @Test
  void everyChangeCarryingAStaleEpochIsRefusedBeforeItChangesAnything() throws Exception {
    operations.setPlacement("web01", "apart db", 5);
    String stale =
        ": the request carries coordinator epoch 4, older than epoch 5, the newest this agent has"
            + " seen: it comes from a coordinator that is no longer the active one; nothing was"
            + " done";
    String xml = Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1);

    assertThatThrownBy(() -> operations.destroyDomain("web01", 4))
        .isInstanceOf(StaleEpochException.class)
        .hasMessage("lab01: cannot destroy domain 'web01'" + stale);
    assertThatThrownBy(() -> operations.startDomain("off01", 4))
        .hasMessage("lab01: cannot start domain 'off01'" + stale);
    assertThatThrownBy(() -> operations.resumeDomain("paused01", 4))
        .hasMessage("lab01: cannot resume domain 'paused01'" + stale);
    assertThatThrownBy(() -> operations.undefineDomain("off01", 4))
        .hasMessage("lab01: cannot undefine domain 'off01'" + stale);
    assertThatThrownBy(() -> operations.defineDomain(xml, 4))
        .hasMessage("lab01: cannot define a domain" + stale);
    assertThatThrownBy(() -> operations.setPlacement("web01", "", 4))
        .hasMessage("lab01: cannot set the placement rules of domain 'web01'" + stale);
    assertThatThrownBy(() -> operations.migrate("web01", "http://10.0.0.6:8778/jolokia/", "", 4))
        .isInstanceOf(StaleEpochException.class)
        .hasMessage("lab01: cannot migrate domain 'web01'" + stale);
    assertThatThrownBy(() -> operations.finishIncomingCopy("paused01", 4))
        .hasMessage("lab01: cannot finish the incoming domain 'paused01'" + stale);
    assertThatThrownBy(() -> operations.abortIncomingCopy("off01", 4))
        .hasMessage("lab01: cannot abort the incoming domain 'off01'" + stale);

    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
    assertThat(hypervisor.domainState("off01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(hypervisor.domainState("paused01")).isEqualTo(DomainState.PAUSED);
    assertThat(sampler.sampleNow().domainsByName()).doesNotContainKey("new01");
    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.parse("apart db"));
    assertThat(operations.getMigrations()).isEmpty();
    assertThat(epochs.refusals()).isEqualTo(9);
    assertThat(operations.getEpoch()).isEqualTo(5);
  }

  @Test
  void anEpochBelowOneIsNoneACoordinatorSends() throws Exception {
    assertThatThrownBy(() -> operations.destroyDomain("web01", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot destroy domain 'web01': coordinator epoch 0 is none a coordinator sends"
                + " (epochs start at 1; an operator acting directly passes this agent's Epoch"
                + " attribute, 1 while it is 0)");
    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void domainComingInCannotBeStartedUntilFinishedOrAborted() throws Exception {
    operations.prepareIncoming(
        Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1), "");

    assertThatThrownBy(() -> operations.startDomain("new01", EPOCH))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "lab01: cannot start domain 'new01': it is being migrated in (finishIncoming or"
                + " abortIncoming ends that)");
    assertThatThrownBy(() -> operations.undefineDomain("new01", EPOCH))
        .hasMessageStartingWith("lab01: cannot undefine domain 'new01': it is being migrated in");

    operations.abortIncoming("new01", "");
    assertThat(sampler.sampleNow().domainsByName()).doesNotContainKey("new01");
  }

  @Test
  void operationsKeepTheirOwnErrorsForUnlockedDomains() {
    assertThatThrownBy(() -> operations.startDomain("nope", EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab01: ")
        .hasMessageContaining("cannot start domain 'nope'");
    assertThatThrownBy(() -> operations.defineDomain("<domain><name>x", EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot define domain");
    assertThat(migrations.locks().holder("nope")).isEmpty();
  }

  private PlacementRules rulesOf(String domain) throws Exception {
    return PlacementXml.parse(
        ((DomainStats)
                hypervisor.readDomains().stream()
                    .filter(d -> d.name().equals(domain))
                    .findFirst()
                    .orElseThrow())
            .placementXml());
  }

  @Test
  void aNameWithANulCharacterDoesNotReachTheDomainAMigrationHolds() throws Exception {
    String holder = "being migrated to http://10.0.0.6:8778/jolokia/ (migration 1)";
    try (DomainLocks.Lease lease = migrations.locks().acquire("web01", holder)) {
      assertThat(lease.domain()).isEqualTo("web01");
      // Another name to the locks; to libvirt, which reads up to the NUL, web01.
      assertThatThrownBy(() -> operations.destroyDomain("web01\0", EPOCH))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("a domain name holds no NUL character");
      assertThatThrownBy(() -> operations.setPlacement("web01\0x", "pinned", EPOCH))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("a domain name holds no NUL character");
    }
    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.NONE);
  }

  @Test
  void placementRulesAreWrittenAndTheSampleShowsThemOnReturn() throws Exception {
    operations.setPlacement("web01", " apart db ;on rack=r1;pinned ", EPOCH);

    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.parse("apart db; on rack=r1; pinned"));
    assertThat(sampler.latest().domainsByName().get("web01").stats().placementXml())
        .contains("urn:xcm:placement");

    operations.setPlacement("web01", "", EPOCH);
    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.NONE);
  }

  @Test
  void placementRulesThatCannotBeReadAreRefusedAndNothingIsWritten() throws Exception {
    operations.setPlacement("web01", "apart db", EPOCH);

    assertThatThrownBy(() -> operations.setPlacement("web01", "apart db; near app", EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot set the placement rules of domain 'web01': rule 'near app' starts"
                + " with none of apart, together, on, not-on, prefer, avoid, pinned, restart");
    assertThatThrownBy(() -> operations.setPlacement("web01", "on rack=r1; on rack=r2", EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradict each other");
    assertThatThrownBy(() -> operations.setPlacement("web01", null, EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot set the placement rules of domain 'web01': no rules given (an empty text"
                + " removes them)");
    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.parse("apart db"));
  }

  @Test
  void placementRulesOfAnUnknownDomainOrOneBeingMigratedAreRefused() throws Exception {
    assertThatThrownBy(() -> operations.setPlacement("nope", "pinned", EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab01: ")
        .hasMessageContaining("cannot set the placement rules of domain 'nope'");

    String holder = "being migrated to http://10.0.0.6:8778/jolokia/ (migration 1)";
    try (DomainLocks.Lease lease = migrations.locks().acquire("web01", holder)) {
      assertThat(lease.domain()).isEqualTo("web01");
      assertThatThrownBy(() -> operations.setPlacement("web01", "pinned", EPOCH))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("lab01: cannot set the placement rules of domain 'web01': it is " + holder);
    }
    assertThat(rulesOf("web01")).isEqualTo(PlacementRules.NONE);
  }

  private String digestOf(String domain) {
    return sampler.latest().domainsByName().get(domain).stats().definitionDigest();
  }

  @Test
  void theDefinitionIsWhatTheDigestIsOfAndSettingRulesChangesBoth() {
    sampler.sampleNow();
    String before = operations.domainDefinition("web01");
    assertThat(DefinitionDigest.of(before)).isEqualTo(digestOf("web01"));

    operations.setPlacement("web01", "apart db", EPOCH);

    String after = operations.domainDefinition("web01");
    assertThat(after).contains("<xcm:apart group=\"db\" strength=\"hard\"/>");
    assertThat(digestOf("web01"))
        .isEqualTo(DefinitionDigest.of(after))
        .isNotEqualTo(DefinitionDigest.of(before));

    operations.defineDomain(after, EPOCH);
    sampler.sampleNow();
    assertThat(digestOf("web01"))
        .as("the same definition again")
        .isEqualTo(DefinitionDigest.of(after));
  }

  @Test
  void theDefinitionOfAnUnknownDomainIsRefusedNamingHostAndDomain() {
    assertThatThrownBy(() -> operations.domainDefinition("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab01: ")
        .hasMessageContaining("cannot read the definition of domain 'nope'");
    assertThatThrownBy(() -> operations.domainDefinition("web01\0x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("a domain name holds no NUL character");
  }

  @Test
  void anAgentThatIsNotEnrolledCannotTellWhetherItReachesAnother() {
    assertThatThrownBy(() -> operations.reachesAgent("http://127.0.0.1:1/jolokia/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "lab01: cannot tell whether it reaches the agent at http://127.0.0.1:1/jolokia/: this"
                + " agent is not enrolled: it reaches other agents only with the certificate the"
                + " coordinator issues it (xcm.agent.enrol.url)");
    assertThatThrownBy(() -> operations.reachesAgent("ftp://127.0.0.1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot probe the agent at 'ftp://127.0.0.1/': not an http or https URL");
  }
}
