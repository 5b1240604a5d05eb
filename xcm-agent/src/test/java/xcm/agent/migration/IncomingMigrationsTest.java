package xcm.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.mbeans.DomainState;

/** The destination's half on lab02 (db01 running, app02 shut off), on the test driver. */
class IncomingMigrationsTest {
  private static final String NEW01 =
      Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1);

  private Hypervisor hypervisor;
  private DomainLocks locks;
  private IncomingMigrations incoming;

  @BeforeEach
  void open() throws HypervisorException {
    hypervisor = LibvirtHypervisor.open(Fixtures.testUri("lab02.xml"));
    locks = new DomainLocks();
    incoming = new IncomingMigrations("lab02", hypervisor, locks);
  }

  @AfterEach
  void close() {
    hypervisor.close();
  }

  @Test
  void prepareDefinesTheDomainShutOffOnTheTestDriverAndHoldsIt() throws Exception {
    incoming.prepare(NEW01, "", null);

    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(incoming.isIncoming("new01")).isTrue();
    assertThat(locks.holder("new01")).contains(IncomingMigrations.HOLDER);
  }

  @Test
  void finishRunsItReleasesItAndMayBeAskedAgain() throws Exception {
    incoming.prepare(NEW01, "", null);

    incoming.finish("new01", "", null);
    incoming.finish("new01", "", null);

    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.RUNNING);
    assertThat(locks.holder("new01")).isEmpty();
    // Too late to abort: it runs, and abort never touches what is no longer coming in.
    incoming.abort("new01", "", null);
    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void finishResumesADomainPreparedPaused() throws Exception {
    incoming.prepare(NEW01, "", null);
    // What prepare does where the driver can start a domain paused.
    hypervisor.startDomain("new01");
    hypervisor.suspendDomain("new01");

    incoming.finish("new01", "", null);

    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void abortRemovesWhatPrepareDefinedAndReleasesIt() throws Exception {
    incoming.prepare(NEW01, "", null);

    incoming.abort("new01", "", null);
    incoming.abort("new01", "", null);

    assertThat(hypervisor.readDomains()).extracting(d -> d.name()).doesNotContain("new01");
    assertThat(locks.holder("new01")).isEmpty();
  }

  @Test
  void nameOrUuidAlreadyDefinedHereIsRefusedAndNothingIsTouched() throws Exception {
    assertThatThrownBy(
            () ->
                incoming.prepare(
                    Fixtures.domainXml("db01", "aaaaaaaa-0000-4000-8000-000000000002", 256, 1),
                    "",
                    null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "lab02: cannot take in domain 'db01': a domain of that name (uuid"
                + " cccccccc-0000-4000-8000-000000000001) is already running here");
    assertThatThrownBy(
            () ->
                incoming.prepare(
                    Fixtures.domainXml("app02", "aaaaaaaa-0000-4000-8000-000000000009", 256, 1),
                    "",
                    null))
        .hasMessage(
            "lab02: cannot take in domain 'app02': a domain of that name (uuid"
                + " cccccccc-0000-4000-8000-000000000002) is already defined (shut off) here");
    assertThatThrownBy(
            () ->
                incoming.prepare(
                    Fixtures.domainXml("other", "CCCCCCCC-0000-4000-8000-000000000001", 256, 1),
                    "",
                    null))
        .hasMessage(
            "lab02: cannot take in domain 'other': domain 'db01' (uuid"
                + " cccccccc-0000-4000-8000-000000000001) is already running here");

    incoming.abort("db01", "", null);
    incoming.abort("app02", "", null);
    assertThat(hypervisor.domainState("db01")).isEqualTo(DomainState.RUNNING);
    assertThat(hypervisor.domainState("app02")).isEqualTo(DomainState.SHUTOFF);
    assertThat(locks.holder("db01")).isEmpty();
  }

  @Test
  void finishOfADomainNotComingInIsRefusedUnlessItRuns() throws Exception {
    assertThatThrownBy(() -> incoming.finish("app02", "", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "lab02: cannot finish domain 'app02': no migration of it is coming in here (it is shut"
                + " off)");
    assertThatThrownBy(() -> incoming.finish("nope", "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lab02: cannot finish domain 'nope': it is not defined here");
    incoming.finish("db01", "", null);
    assertThat(hypervisor.domainState("app02")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void domainHeldByAnotherOperationIsNotTakenIn() throws Exception {
    try (DomainLocks.Lease lease = locks.acquire("new01", "being defined")) {
      assertThat(lease.domain()).isEqualTo("new01");
      assertThatThrownBy(() -> incoming.prepare(NEW01, "", null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("lab02: cannot take in domain 'new01': it is being defined");
    }
    assertThat(hypervisor.readDomains()).extracting(d -> d.name()).doesNotContain("new01");
  }

  @Test
  void abortLeavesAnIncomingCopyThatRunsAlone() throws Exception {
    incoming.prepare(NEW01, "", null);
    // Only something outside XCM can start it while it is held: it is the copy that runs now.
    hypervisor.startDomain("new01");

    assertThatThrownBy(() -> incoming.abort("new01", "", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("lab02: cannot abort the incoming domain 'new01': it runs here");
    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aHostThatMigratesLiveTakesNoDomainByHandOver() throws Exception {
    FaultyHypervisor live = new FaultyHypervisor(hypervisor);
    live.migratesLive((domain, target) -> {});
    IncomingMigrations qemu = new IncomingMigrations("lab02", live, locks);

    assertThatThrownBy(() -> qemu.prepare(NEW01, "", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "lab02: cannot take in domain 'new01' by hand-over: this host takes domains only"
                + " through libvirt's live migration");
    assertThat(hypervisor.readDomains()).extracting(d -> d.name()).doesNotContain("new01");
    assertThat(locks.holder("new01")).isEmpty();
  }

  @Test
  void malformedXmlIsRefusedAsTheCallersFault() {
    assertThatThrownBy(() -> incoming.prepare("<domain><name>x", "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab02: cannot take in a domain: unreadable domain XML: ");
  }

  @Test
  void aFinishWhoseConnectionToLibvirtIsLostIsNoRefusalSinceTheDomainMayRun() throws Exception {
    FaultyHypervisor flaky = new FaultyHypervisor(hypervisor);
    IncomingMigrations lossy = new IncomingMigrations("lab02", flaky, locks);
    lossy.prepare(NEW01, "", null);
    flaky.loseConnectionAfter("start");

    assertThatThrownBy(() -> lossy.finish("new01", "", null))
        .isNotInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab02: "
                + hypervisor.uri()
                + ": cannot start domain 'new01': connection lost (the connection to libvirt was"
                + " lost during the call: whether it took effect is unknown)");
    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aPrepareThatLeavesItsDefinitionBehindIsNoRefusal() throws Exception {
    FaultyHypervisor flaky = new FaultyHypervisor(hypervisor);
    IncomingMigrations lossy = new IncomingMigrations("lab02", flaky, locks);
    flaky.loseConnectionAfter("start-paused");
    flaky.fail("undefine");

    assertThatThrownBy(() -> lossy.prepare(NEW01, "", null))
        .isNotInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab02: cannot take in domain 'new01': ")
        .hasMessageContaining("; its definition is left here: ");
    assertThat(hypervisor.domainState("new01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(locks.holder("new01")).isEmpty();
  }
}
