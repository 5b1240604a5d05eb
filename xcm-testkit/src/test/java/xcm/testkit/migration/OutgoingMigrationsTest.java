package xcm.testkit.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.MutableClock;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.migration.DomainLocks;
import xcm.agent.migration.FaultyHypervisor;
import xcm.agent.migration.IncomingMigrations;
import xcm.agent.migration.OutgoingMigrations;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationStatus;

/**
 * The source's phases against the destination's real incoming half on a second test-driver host,
 * in-process: lab01 (web01, db01, web,01="x":y running; paused01; off01) migrates to lab02 (its own
 * db01, another domain, running; app02 shut off).
 */
class OutgoingMigrationsTest {
  private static final String OWN_URL = "http://127.0.0.1:8781/jolokia/";
  private static final String DESTINATION = "http://127.0.0.1:8782/jolokia/";
  private static final String WEB01_UUID = "aaaaaaaa-0000-4000-8000-000000000001";

  private FaultyHypervisor source;
  private Hypervisor destination;
  private DomainLocks sourceLocks;
  private IncomingMigrations incoming;
  private LocalPeer peer;
  private OutgoingMigrations migrations;
  private final List<String> phases = new CopyOnWriteArrayList<>();

  @BeforeEach
  void twoHosts() throws HypervisorException {
    source = new FaultyHypervisor(LibvirtHypervisor.open(Fixtures.LAB01));
    destination = LibvirtHypervisor.open(Fixtures.testUri("lab02.xml"));
    incoming = new IncomingMigrations("lab02", destination, new DomainLocks());
    peer = new LocalPeer(DESTINATION, "lab02", incoming);
    sourceLocks = new DomainLocks();
    migrations = migrations(Clock.systemUTC());
  }

  private OutgoingMigrations migrations(Clock clock) {
    AtomicReference<OutgoingMigrations> self = new AtomicReference<>();
    OutgoingMigrations built =
        OutgoingMigrations.builder()
            .host("lab01")
            .hypervisor(source)
            .locks(sourceLocks)
            .peers(url -> peer)
            .handovers(new TestDriverHandovers())
            .clock(clock)
            .finishRetryFor(Duration.ofSeconds(1))
            .onPhaseChange(
                () -> {
                  MigrationStatus status = self.get().recent().get(0);
                  phases.add(status.phase() + " " + status.state());
                })
            .build();
    self.set(built);
    built.knownAs(OWN_URL);
    return built;
  }

  @AfterEach
  void close() {
    migrations.close();
    source.close();
    destination.close();
  }

  private MigrationStatus ended(String id) {
    await()
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> migrations.status(id).finished());
    return migrations.status(id);
  }

  private static DomainState state(Hypervisor hypervisor, String domain)
      throws HypervisorException {
    try {
      return hypervisor.domainState(domain);
    } catch (DomainNotFoundException e) {
      return null;
    }
  }

  private static String uuid(Hypervisor hypervisor, String domain) throws HypervisorException {
    return hypervisor.readDomains().stream()
        .filter(d -> d.name().equals(domain))
        .map(DomainReading::uuid)
        .findFirst()
        .orElse(null);
  }

  @Test
  void runningDomainEndsRunningOnTheDestinationOnlyWithItsUuid() throws Exception {
    Watcher watcher = new Watcher("web01", source, destination);

    String id = migrations.migrate("web01", DESTINATION, "");
    MigrationStatus status = ended(id);

    assertThat(watcher.violations()).isEmpty();
    assertThat(watcher.rounds()).isPositive();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.DONE);
    assertThat(status.error()).isNull();
    assertThat(status.id()).isEqualTo(id);
    assertThat(status.domain()).isEqualTo("web01");
    assertThat(status.source()).isEqualTo("lab01");
    assertThat(status.destination()).isEqualTo(DESTINATION);
    assertThat(status.destinationHost()).isEqualTo("lab02");
    assertThat(status.downtimeMillis()).isBetween(0L, status.finishedEpochMillis());
    assertThat(status.finishedEpochMillis()).isGreaterThanOrEqualTo(status.startedEpochMillis());
    assertThat(phases)
        .containsExactly(
            "PREPARE RUNNING",
            "PERFORM RUNNING",
            "FINISH RUNNING",
            "CONFIRM RUNNING",
            "DONE SUCCEEDED");
    assertThat(state(source, "web01")).isNull();
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
    assertThat(uuid(destination, "web01")).isEqualTo(WEB01_UUID);
    assertThat(peer.calls).containsExactly("prepareIncoming", "finishIncoming");
    assertThat(sourceLocks.holder("web01")).isEmpty();
    assertThat(incoming.isIncoming("web01")).isFalse();
  }

  @Test
  void theCoordinatorsTicketGoesWithEveryPhaseOnTheDestination() throws Exception {
    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, "ticket-web01"));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(peer.calls).containsExactly("prepareIncoming", "finishIncoming");
    assertThat(peer.tickets).containsExactly("ticket-web01", "ticket-web01");
  }

  @Test
  void aRollbackUndoesPrepareWithTheSameTicket() throws Exception {
    peer.refuseFinish();

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, "ticket-web01"));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(peer.calls).containsExactly("prepareIncoming", "finishIncoming", "abortIncoming");
    assertThat(peer.tickets).containsExactly("ticket-web01", "ticket-web01", "ticket-web01");
  }

  @Test
  void domainsOfDifferentNamesMigrateAtOnce() throws Exception {
    String odd = "web,01=\"x\":y";
    CountDownLatch bothPaused = new CountDownLatch(2);
    source.afterSuspend(
        () -> {
          bothPaused.countDown();
          await().atMost(Duration.ofSeconds(5)).until(() -> bothPaused.getCount() == 0);
        });

    String first = migrations.migrate("web01", DESTINATION, "");
    String second = migrations.migrate(odd, DESTINATION, "");

    assertThat(ended(first).state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(ended(second).state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(state(destination, odd)).isEqualTo(DomainState.RUNNING);
    assertThat(state(source, odd)).isNull();
    assertThat(migrations.recent()).extracting(MigrationStatus::id).containsExactly(second, first);
  }

  @Test
  void badRequestsAreRefusedAtOnceNamingHostDomainAndReasonAndChangeNothing() throws Exception {
    assertThatThrownBy(() -> migrations.migrate("nope", DESTINATION, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lab01: cannot migrate domain 'nope': no such domain");
    assertThatThrownBy(() -> migrations.migrate("off01", DESTINATION, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot migrate domain 'off01': it is shut off; only a running domain can be"
                + " migrated");
    assertThatThrownBy(() -> migrations.migrate("paused01", DESTINATION, ""))
        .hasMessage(
            "lab01: cannot migrate domain 'paused01': it is paused; only a running domain can be"
                + " migrated");
    assertThatThrownBy(() -> migrations.migrate("", DESTINATION, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lab01: cannot migrate: no domain given");
    for (String url :
        new String[] {
          "lab02", "ftp://10.0.0.6/jolokia/", "http:///jolokia/", "http://a b/", "", null
        }) {
      assertThatThrownBy(() -> migrations.migrate("web01", url, ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "lab01: cannot migrate domain 'web01': the destination '"
                  + url
                  + "' is not an agent's Jolokia URL like http://10.0.0.6:8778/jolokia/");
    }
    assertThatThrownBy(() -> migrations.migrate("web01", "http://xcm:s3cret@10.0.0.6/jolokia/", ""))
        .hasMessageContaining("is not an agent's Jolokia URL");
    assertThatThrownBy(() -> migrations.migrate("web01", "HTTP://127.0.0.1:8781/jolokia", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot migrate domain 'web01': the destination"
                + " http://127.0.0.1:8781/jolokia/ is this host's own agent");

    assertThat(migrations.recent()).isEmpty();
    assertThat(peer.calls).isEmpty();
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
    assertThat(sourceLocks.holder("web01")).isEmpty();
  }

  @Test
  void anAgentThatIsNotEnrolledMigratesNothing() {
    OutgoingMigrations none =
        OutgoingMigrations.builder().host("lab01").hypervisor(source).locks(sourceLocks).build();
    try {
      assertThatThrownBy(() -> none.migrate("web01", DESTINATION, ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "lab01: cannot migrate domain 'web01': this agent is not enrolled");
      assertThat(none.recent()).isEmpty();
      assertThat(sourceLocks.holder("web01")).isEmpty();
    } finally {
      none.close();
    }
  }

  @Test
  void secondMigrationOfADomainInFlightIsRefusedAndTheFirstCarriesOn() throws Exception {
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    source.afterSuspend(
        () -> {
          paused.countDown();
          awaitLatch(release);
        });
    String id = migrations.migrate("web01", DESTINATION, "");
    assertThat(paused.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> migrations.migrate("web01", "http://10.0.0.7:8778/jolokia/", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot migrate domain 'web01': it is being migrated to "
                + DESTINATION
                + " (migration "
                + id
                + ")");
    assertThat(migrations.status(id).phase()).isEqualTo(MigrationStatus.Phase.PERFORM);
    assertThat(migrations.status(id).finished()).isFalse();
    assertThat(migrations.recent()).hasSize(1);

    release.countDown();
    assertThat(ended(id).state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
  }

  @Test
  void unreachableDestinationFailsAtPrepareAndTheDomainRunsOnAsBefore() throws Exception {
    peer.unreachable(true);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.PREPARE);
    assertThat(status.error())
        .isEqualTo("PREPARE: agent at " + DESTINATION + " does not answer: connection refused");
    assertThat(status.downtimeMillis()).isEqualTo(-1);
    assertThat(status.destinationHost()).isNull();
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
    assertThat(peer.calls).containsExactly("prepareIncoming");
    assertThat(sourceLocks.holder("web01")).isEmpty();
  }

  @Test
  void destinationRefusesANameItRunsAlreadyAndKeepsItsOwnDomain() throws Exception {
    MigrationStatus status = ended(migrations.migrate("db01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.PREPARE);
    assertThat(status.error())
        .isEqualTo(
            "PREPARE: lab02: cannot take in domain 'db01': a domain of that name (uuid"
                + " cccccccc-0000-4000-8000-000000000001) is already running here");
    // No abort after a refusal: it would have removed the destination's own db01.
    assertThat(peer.calls).containsExactly("prepareIncoming");
    assertThat(state(destination, "db01")).isEqualTo(DomainState.RUNNING);
    assertThat(uuid(destination, "db01")).isEqualTo("cccccccc-0000-4000-8000-000000000001");
    assertThat(state(source, "db01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void lostAnswerToPrepareIsUndoneOnTheDestination() throws Exception {
    peer.loseAnswerOf("prepareIncoming");

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.PREPARE);
    assertThat(peer.calls).containsExactly("prepareIncoming", "abortIncoming");
    assertThat(state(destination, "web01")).isNull();
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void failedPauseRollsBackAndRemovesTheDestinationsCopy() throws Exception {
    source.fail("suspend");

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.PERFORM);
    assertThat(status.error())
        .isEqualTo(
            "PERFORM: "
                + Fixtures.LAB01
                + ": cannot suspend domain 'web01': injected failure; rolled back, it runs on"
                + " lab01 again");
    assertThat(state(destination, "web01")).isNull();
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void failureAtFinishRollsBackSoTheSourceRunsItAgainAndTheDestinationHasNoCopy() throws Exception {
    peer.refuseFinish();
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.FINISH);
    assertThat(status.error())
        .isEqualTo(
            "FINISH: lab02: cannot finish domain 'web01': injected failure; rolled back, it runs"
                + " on lab01 again");
    assertThat(status.downtimeMillis()).isNotNegative();
    assertThat(peer.calls).containsExactly("prepareIncoming", "finishIncoming", "abortIncoming");
    assertThat(state(destination, "web01")).isNull();
    assertThat(incoming.isIncoming("web01")).isFalse();
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void destinationGoneAtFinishRollsBackAndSaysItsCopyIsLeft() throws Exception {
    source.afterSuspend(() -> peer.unreachable(true));

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.FINISH);
    assertThat(status.error())
        .isEqualTo(
            "FINISH: agent at "
                + DESTINATION
                + " does not answer: connection refused; its copy on lab02 could not be removed:"
                + " agent at "
                + DESTINATION
                + " does not answer: connection refused; rolled back, it runs on lab01 again");
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
    // Not running there, only defined (shut off), since FINISH never arrived.
    assertThat(state(destination, "web01")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void lostAnswerToFinishIsAskedAgainAndTheMigrationSucceeds() throws Exception {
    peer.loseAnswerOf("finishIncoming");
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(peer.calls).containsExactly("prepareIncoming", "finishIncoming", "finishIncoming");
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
    assertThat(state(source, "web01")).isNull();
  }

  @Test
  void lostRequestOfFinishIsAskedAgainAndTheMigrationSucceeds() throws Exception {
    peer.loseRequestOf("finishIncoming");

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void lostFinishFollowedByARefusalRollsBack() throws Exception {
    // The first FINISH is lost on its way; meanwhile the destination's copy is aborted there, so
    // the second FINISH is refused by the operation itself: the domain certainly does not run
    // there.
    peer.loseRequestOf("finishIncoming");
    source.afterSuspend(() -> incoming.abort("web01", "", null));
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.error())
        .isEqualTo(
            "FINISH: lab02: cannot finish domain 'web01': it is not defined here; rolled back, it"
                + " runs on lab01 again");
    assertThat(peer.calls)
        .containsExactly("prepareIncoming", "finishIncoming", "finishIncoming", "abortIncoming");
    assertThat(state(source, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void finishWithoutAnyAnswerLeavesTheDomainPausedOnTheSourceNeverRunningTwice() throws Exception {
    // The request is lost, then the destination cannot be reached at all: nothing tells whether
    // that first request started the domain there.
    peer.loseRequestOf("finishIncoming");
    peer.vanishAfterLosing();
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.FINISH);
    assertThat(status.error())
        .startsWith(
            "FINISH: agent at "
                + DESTINATION
                + " does not answer within 30000 ms; asked again for 1 s: agent at ")
        .endsWith(
            "; whether lab02 runs the domain is unknown, so it stays paused on lab01 (resuming it"
                + " could run it twice): check lab02, then resume or remove the copy on lab01");
    assertThat(state(source, "web01")).isEqualTo(DomainState.PAUSED);
    assertThat(sourceLocks.holder("web01")).isEmpty();
  }

  @Test
  void jolokiaTurningAwayAFinishAskedAgainSaysNothingOfTheDomainWhichStaysPausedHere()
      throws Exception {
    // The first FINISH ran the domain there, its answer was lost; the repeats are turned away by
    // the destination's Jolokia before any operation: no word on whether the domain runs there.
    peer.loseAnswerOf("finishIncoming");
    peer.turnAwayAfterLosing();
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.error())
        .startsWith(
            "FINISH: agent at "
                + DESTINATION
                + " does not answer: Connection reset; asked again for 1 s: agent at "
                + DESTINATION
                + " refused the peer credentials (HTTP 401)")
        .endsWith(
            "so it stays paused on lab01 (resuming it could run it twice): check lab02,"
                + " then resume or remove the copy on lab01");
    assertThat(state(source, "web01")).isEqualTo(DomainState.PAUSED);
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void failedConfirmIsIncompleteAndNeverResumesTheSourceCopy() throws Exception {
    source.fail("destroy");
    Watcher watcher = new Watcher("web01", source, destination);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(watcher.violations()).isEmpty();
    assertThat(status.state()).isEqualTo(MigrationStatus.State.INCOMPLETE);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.CONFIRM);
    assertThat(status.error())
        .isEqualTo(
            "CONFIRM: the domain runs on lab02 but its paused copy stays on lab01: "
                + Fixtures.LAB01
                + ": cannot destroy domain 'web01': injected failure");
    assertThat(status.downtimeMillis()).isNotNegative();
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
    assertThat(state(source, "web01")).isEqualTo(DomainState.PAUSED);
    assertThat(sourceLocks.holder("web01")).isEmpty();
  }

  @Test
  void failedUndefineAtConfirmIsIncompleteWithTheDefinitionLeft() throws Exception {
    source.fail("undefine");

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.INCOMPLETE);
    assertThat(status.error())
        .startsWith("CONFIRM: the domain runs on lab02 but its shut-off definition stays on lab01");
    assertThat(state(source, "web01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(state(destination, "web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void unknownIdIsNamed() {
    assertThatThrownBy(() -> migrations.status("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lab01: no migration with id 'nope' (unknown, or ended more than an hour ago)");
  }

  @Test
  void historyKeepsTheLastHoursHundredNewestFirst() throws Exception {
    migrations.close();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    migrations = migrations(clock);
    peer.unreachable(true);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < OutgoingMigrations.KEEP_AT_MOST + 5; i++) {
      String id = migrations.migrate("web01", DESTINATION, "");
      ended(id);
      ids.add(0, id);
      clock.advance(Duration.ofSeconds(1));
    }

    List<MigrationStatus> recent = migrations.recent();

    assertThat(recent)
        .extracting(MigrationStatus::id)
        .containsExactlyElementsOf(ids.subList(0, 100));
    assertThatThrownBy(() -> migrations.status(ids.get(104))).hasMessageContaining("no migration");

    clock.advance(Duration.ofHours(1).minusSeconds(50));
    assertThat(migrations.recent()).hasSize(50);
    clock.advance(Duration.ofMinutes(1));
    assertThat(migrations.recent()).isEmpty();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
