package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;

/**
 * What every {@link Hypervisor} must do, run against each implementation on a host that holds the
 * lab01 fixture's domains: web01 (running, 1536 of 2048 MiB, 2 vCPUs, 2 disks, 2 NICs), db01
 * (running, 4096 MiB, 4 vCPUs), {@code web,01="x":y} (running), paused01 (paused), off01 (shut off,
 * 8192 MiB, 8 vCPUs), on 8 CPUs and 16 GiB. Public for the test kit's implementations.
 */
public abstract class HypervisorContract {
  private static final long MIB = 1024 * 1024;

  protected Hypervisor hypervisor;

  /** Opens a fresh hypervisor holding the lab01 domains. */
  protected abstract Hypervisor open() throws HypervisorException;

  @BeforeEach
  void openHypervisor() throws HypervisorException {
    hypervisor = open();
  }

  @AfterEach
  void closeHypervisor() {
    hypervisor.close();
  }

  private Map<String, DomainStats> domains() throws HypervisorException {
    return hypervisor.readDomains().stream()
        .map(DomainStats.class::cast)
        .collect(Collectors.toMap(DomainStats::name, Function.identity()));
  }

  @Test
  void capacityIsTheNodes() throws HypervisorException {
    NodeCapacity capacity = hypervisor.capacity();

    assertThat(capacity.cpus()).isEqualTo(8);
    assertThat(capacity.memoryBytes()).isEqualTo(16L * 1024 * MIB);
  }

  @Test
  void readsEveryDomainActiveOrNot() throws HypervisorException {
    assertThat(domains().keySet())
        .containsExactlyInAnyOrder("web01", "db01", "web,01=\"x\":y", "paused01", "off01");
  }

  @Test
  void readsStateMemoryAndCpusOfEachDomain() throws HypervisorException {
    Map<String, DomainStats> domains = domains();

    DomainStats web = domains.get("web01");
    assertThat(web.uuid()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000001");
    assertThat(web.state()).isEqualTo(DomainState.RUNNING);
    assertThat(web.active()).isTrue();
    assertThat(web.memoryBytes()).isEqualTo(1536 * MIB);
    assertThat(web.maxMemoryBytes()).isEqualTo(2048 * MIB);
    assertThat(web.vcpus()).isEqualTo(2);
    assertThat(web.persistent()).isTrue();
    assertThat(domains.get("paused01").state()).isEqualTo(DomainState.PAUSED);
    assertThat(domains.get("paused01").active()).isTrue();

    DomainStats off = domains.get("off01");
    assertThat(off.state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(off.active()).isFalse();
    assertThat(off.id()).isEqualTo(-1);
    assertThat(off.vcpus()).isEqualTo(8);
  }

  @Test
  void sumsBlockAndNetworkCountersOverDisksAndInterfaces() throws HypervisorException {
    Map<String, DomainStats> domains = domains();

    DomainStats web = domains.get("web01");
    DomainStats db = domains.get("db01");
    assertThat(web.blockReadBytes()).isPositive();
    assertThat(web.networkReceiveBytes()).isPositive();
    // web01 has two disks, db01 one: the sum over web01's disks is about twice db01's.
    assertThat((double) web.blockReadBytes() / db.blockReadBytes()).isBetween(1.9, 2.1);
    assertThat(db.networkReceiveBytes()).isZero();
    DomainStats off = domains.get("off01");
    assertThat(off.blockReadBytes()).isZero();
    assertThat(off.networkTransmitPackets()).isZero();
  }

  @Test
  void definedDomainIsReadAndUndefinedOneIsGone() throws HypervisorException {
    String name =
        hypervisor.defineDomain(
            Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1));

    assertThat(name).isEqualTo("new01");
    assertThat(domains().get("new01").state()).isEqualTo(DomainState.SHUTOFF);

    hypervisor.startDomain("new01");
    assertThat(domains().get("new01").state()).isEqualTo(DomainState.RUNNING);

    hypervisor.destroyDomain("new01");
    hypervisor.undefineDomain("new01");
    assertThat(domains()).doesNotContainKey("new01");
  }

  @Test
  void undefiningARunningDomainIsRefusedAndChangesNothing() throws HypervisorException {
    assertThatThrownBy(() -> hypervisor.undefineDomain("web01"))
        .isInstanceOf(InvalidDomainException.class)
        .hasMessageContaining("cannot undefine domain 'web01': it is running");
    assertThat(domains().get("web01").state()).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void unknownDomainIsNamedInTheError() {
    assertThatThrownBy(() -> hypervisor.startDomain("nope"))
        .isInstanceOf(DomainNotFoundException.class)
        .hasMessageContaining("cannot start domain 'nope'");
  }

  @Test
  void malformedXmlIsRefusedAsInvalid() throws HypervisorException {
    assertThatThrownBy(() -> hypervisor.defineDomain("<domain><name>x"))
        .isInstanceOf(InvalidDomainException.class)
        .hasMessageContaining("cannot define domain");
    assertThatThrownBy(() -> hypervisor.defineDomain(" "))
        .isInstanceOf(InvalidDomainException.class)
        .hasMessageContaining("domain XML is empty");
    assertThat(domains()).hasSize(5);
  }

  @Test
  void domainXmlIsTheLiveDefinition() throws HypervisorException {
    assertThat(hypervisor.domainXml("web01")).contains("<name>web01</name>", "dev='vdb'");
  }

  @Test
  void suspendedDomainIsPausedUntilResumed() throws HypervisorException {
    hypervisor.suspendDomain("web01");

    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.PAUSED);
    assertThat(domains().get("web01").state()).isEqualTo(DomainState.PAUSED);

    hypervisor.resumeDomain("web01");

    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void suspendingADomainThatDoesNotRunIsRefusedNamingIt() throws HypervisorException {
    assertThatThrownBy(() -> hypervisor.suspendDomain("off01"))
        .isInstanceOf(HypervisorException.class)
        .hasMessageContaining("cannot suspend domain 'off01'");
    assertThatThrownBy(() -> hypervisor.resumeDomain("web01"))
        .isInstanceOf(HypervisorException.class)
        .hasMessageContaining("cannot resume domain 'web01'");
    assertThat(hypervisor.domainState("off01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(hypervisor.domainState("web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void startingPausedEitherPausesTheDomainOrLeavesItShutOff() throws HypervisorException {
    boolean paused = hypervisor.startDomainPaused("off01");

    assertThat(hypervisor.domainState("off01"))
        .isEqualTo(paused ? DomainState.PAUSED : DomainState.SHUTOFF);
  }

  @Test
  void domainStateIsReadFromTheHypervisorNow() throws HypervisorException {
    assertThat(hypervisor.domainState("paused01")).isEqualTo(DomainState.PAUSED);
    hypervisor.destroyDomain("paused01");
    assertThat(hypervisor.domainState("paused01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(hypervisor.domainState("web,01=\"x\":y")).isEqualTo(DomainState.RUNNING);
    assertThatThrownBy(() -> hypervisor.domainState("nope"))
        .isInstanceOf(DomainNotFoundException.class)
        .hasMessageContaining("cannot read the state of domain 'nope'");
  }

  @Test
  void reconnectKeepsWorking() throws HypervisorException {
    hypervisor.reconnect();

    assertThat(hypervisor.isAlive()).isTrue();
    assertThat(hypervisor.capacity().cpus()).isEqualTo(8);
  }

  @Test
  void listIsStableAcrossReads() throws HypervisorException {
    List<String> first = hypervisor.readDomains().stream().map(DomainReading::uuid).toList();
    List<String> second = hypervisor.readDomains().stream().map(DomainReading::uuid).toList();
    assertThat(second).containsExactlyInAnyOrderElementsOf(first);
  }

  private static final PlacementRules RULES = PlacementRules.parse("apart db; on rack=r1; pinned");

  private PlacementRules rulesRead(String domain) throws HypervisorException {
    return PlacementXml.parse(domains().get(domain).placementXml());
  }

  @Test
  void placementRulesOfARunningDomainAreWrittenIntoItsMetadataAndReadBack()
      throws HypervisorException {
    assertThat(domains().get("web01").placementXml()).isEmpty();

    hypervisor.setPlacement("web01", RULES);

    assertThat(rulesRead("web01")).isEqualTo(RULES);
    assertThat(hypervisor.domainXml("web01"))
        .contains(
            "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">",
            "<xcm:apart group=\"db\" strength=\"hard\"/>",
            "<xcm:pinned/>");
    assertThat(domains().get("db01").placementXml()).as("other domains keep theirs").isEmpty();

    PlacementRules other = PlacementRules.parse("together app soft; restart high");
    hypervisor.setPlacement("web01", other);
    assertThat(rulesRead("web01")).as("replaced, not added to").isEqualTo(other);
  }

  @Test
  void placementRulesOfAShutOffDomainAreWrittenIntoItsPersistentDefinition()
      throws HypervisorException {
    hypervisor.setPlacement("off01", RULES);

    assertThat(rulesRead("off01")).isEqualTo(RULES);
    assertThat(hypervisor.domainXml("off01")).contains("urn:xcm:placement");

    hypervisor.startDomain("off01");
    assertThat(rulesRead("off01")).as("the running domain has them").isEqualTo(RULES);
  }

  @Test
  void rulesWrittenWhileRunningOutliveAShutdown() throws HypervisorException {
    hypervisor.setPlacement("db01", RULES);
    hypervisor.destroyDomain("db01");

    assertThat(domains().get("db01").active()).isFalse();
    assertThat(rulesRead("db01")).isEqualTo(RULES);
  }

  @Test
  void noRulesRemoveTheElementAndRemovingNoneIsNoError() throws HypervisorException {
    hypervisor.setPlacement("off01", PlacementRules.NONE);
    hypervisor.setPlacement("web,01=\"x\":y", RULES);
    hypervisor.setPlacement("off01", RULES);

    hypervisor.setPlacement("web,01=\"x\":y", PlacementRules.NONE);
    hypervisor.setPlacement("off01", PlacementRules.NONE);

    assertThat(domains().get("web,01=\"x\":y").placementXml()).isEmpty();
    assertThat(domains().get("off01").placementXml()).isEmpty();
    assertThat(hypervisor.domainXml("web,01=\"x\":y")).doesNotContain("urn:xcm:placement");
    assertThat(hypervisor.domainXml("off01")).doesNotContain("urn:xcm:placement");
  }

  @Test
  void aNameWithANulCharacterReachesNoDomain() throws HypervisorException {
    // libvirt reads a name up to its first NUL: "web01\0x" must not be web01.
    assertThatThrownBy(() -> hypervisor.setPlacement("web01\0x", RULES))
        .isInstanceOf(InvalidDomainException.class)
        .hasMessageEndingWith(
            "cannot set the placement rules of domain 'web01\\0x': a domain name holds no NUL"
                + " character");
    assertThatThrownBy(() -> hypervisor.destroyDomain("web01\0"))
        .isInstanceOf(InvalidDomainException.class);
    assertThatThrownBy(() -> hypervisor.undefineDomain("off01\0"))
        .isInstanceOf(InvalidDomainException.class);

    assertThat(domains().get("web01").state()).isEqualTo(DomainState.RUNNING);
    assertThat(domains().get("web01").placementXml()).isEmpty();
    assertThat(domains()).containsKey("off01");
  }

  @Test
  void placementRulesOfAnUnknownDomainAreRefusedNamingIt() {
    assertThatThrownBy(() -> hypervisor.setPlacement("nope", RULES))
        .isInstanceOf(DomainNotFoundException.class)
        .hasMessageContaining("cannot set the placement rules of domain 'nope': ");
  }

  @Test
  void theDefinitionIsThePersistentOneAndItsDigestIsTheDomainsDigest() throws HypervisorException {
    Map<String, DomainStats> domains = domains();

    for (DomainStats domain : domains.values()) {
      assertThat(domain.definitionDigest()).as(domain.name()).matches("[0-9a-f]{32}");
      assertThat(DefinitionDigest.of(hypervisor.domainDefinition(domain.name())))
          .as(domain.name())
          .isEqualTo(domain.definitionDigest());
      assertThat(domain.autostart()).as(domain.name()).isFalse();
    }
    assertThat(domains.values()).extracting(DomainStats::definitionDigest).doesNotHaveDuplicates();
    // Inactive: the running domain's id is not in it, so another host defines it as it is.
    assertThat(hypervisor.domainDefinition("web01"))
        .contains("<name>web01</name>", "dev='vdb'")
        .doesNotContain("id='");
  }

  @Test
  void theDigestChangesWithTheDefinitionAndNotWhenTheSameOneIsDefinedAgain()
      throws HypervisorException {
    for (String name : List.of("off01", "web01")) {
      String before = domains().get(name).definitionDigest();

      hypervisor.defineDomain(hypervisor.domainDefinition(name));
      assertThat(domains().get(name).definitionDigest()).as(name).isEqualTo(before);

      hypervisor.setPlacement(name, PlacementRules.parse("apart db; restart high"));
      assertThat(domains().get(name).definitionDigest()).as(name).isNotEqualTo(before);
      assertThat(hypervisor.domainDefinition(name))
          .as(name)
          .contains("<xcm:placement xmlns:xcm=\"urn:xcm:placement\"", "<xcm:apart group=\"db\"");
    }
  }

  @Test
  void aDefinitionChangedWhileTheDomainRunsIsTheOneShownAndDigested() throws HypervisorException {
    String before = domains().get("web01").definitionDigest();
    String live = hypervisor.domainXml("web01");

    // What virsh edit does to a running domain: the next boot's definition, not the running one.
    hypervisor.defineDomain(
        hypervisor
            .domainDefinition("web01")
            .replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>3</vcpu>"));

    assertThat(hypervisor.domainDefinition("web01")).contains(">3</vcpu>");
    assertThat(domains().get("web01").definitionDigest()).isNotEqualTo(before);
    assertThat(hypervisor.domainXml("web01")).isEqualTo(live);
  }

  @Test
  void theDefinitionOfAnUnknownDomainIsRefusedNamingIt() {
    assertThatThrownBy(() -> hypervisor.domainDefinition("nope"))
        .isInstanceOf(DomainNotFoundException.class)
        .hasMessageContaining("cannot read the definition of domain 'nope'");
  }
}
