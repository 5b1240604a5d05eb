package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static xcm.coordinator.migration.FakeAgent.Plan.fail;
import static xcm.coordinator.migration.FakeAgent.Plan.failLeaving;
import static xcm.coordinator.migration.FakeAgent.Plan.succeed;
import static xcm.mbeans.DomainState.RUNNING;
import static xcm.mbeans.DomainState.SHUTOFF;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.FakeAgent;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.HostState;
import xcm.mbeans.MoveState;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;
import xcm.serve.StartException;

/**
 * A coordinator that died mid-operation, started again on its journal (a real H2 file, written
 * through the journal as the dead coordinator wrote it) and two agents ({@link FakeAgent}, Jolokia
 * over HTTP): it settles every operation the journal holds as running before it takes new requests,
 * and the journal then agrees with where the agents run each domain.
 */
class CoordinatorRecoveryTest {
  private static final Requester OPERATOR = new Requester("jmx", "ops");
  private static final String RESTARTED = "the coordinator restarted during the move; ";

  @TempDir Path dir;
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private FakeAgent dmz01;
  private FakeAgent dmz02;
  private MBeanServer server;
  private Coordinator coordinator;

  @BeforeEach
  void startAgents() throws Exception {
    StateDirectory.prepare(dir.resolve("state"));
    EnrolmentDesk desk = EnrolmentDesk.open(dir.resolve("state"), Clock.systemUTC());
    dmz01 = FakeAgent.startEnrolled("dmz01", network, desk);
    dmz02 = FakeAgent.startEnrolled("dmz02", network, desk);
  }

  @AfterEach
  void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
    if (server != null) {
      MBeanServerFactory.releaseMBeanServer(server);
    }
    dmz01.close();
    dmz02.close();
  }

  private String journalUrl() {
    return "jdbc:h2:file:" + dir.resolve("state/journal");
  }

  /**
   * The journal as the coordinator that died left it, in the state directory it made (its owner's
   * only); closed before the restart.
   */
  private Journal deadCoordinatorsJournal() {
    try {
      StateDirectory.prepare(dir.resolve("state"));
    } catch (StartException e) {
      throw new IllegalStateException(e);
    }
    return Journal.open(journalUrl(), "", "", Clock.systemUTC());
  }

  private MoveRequest move(String op, int index, String domain, FakeAgent from, FakeAgent to) {
    return new MoveRequest(
        op, index, domain, "uuid-" + domain, from.host(), from.url(), to.host(), to.url());
  }

  private void restart(String migrationTimeout) throws StartException {
    Map<String, String> values = TestSettings.of(dir.resolve("state"));
    values.put("xcm.coordinator.collect-interval", "500ms");
    values.put("xcm.coordinator.cooldown", "0s");
    values.put("xcm.coordinator.migration.timeout", migrationTimeout);
    // The housekeeping job, which also settles UNSETTLED moves.
    values.put("xcm.coordinator.dead-host-check-interval", "500ms");
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(
            CoordinatorConfig.load(values), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  /**
   * The operation once recovery settled it: its end is journaled and audited (the audit entry is
   * written last).
   */
  private Operation recovered(String id) {
    awaitAudit("recover operation " + id + " ");
    return coordinator.operations().registry().get(id);
  }

  /** The operation once it ended, journaled and audited. */
  private Operation ended(String id) {
    awaitAudit("operation " + id + " ");
    return coordinator.operations().registry().get(id);
  }

  private void awaitAudit(String actionPrefix) {
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                coordinator.operations().audit().entries().stream()
                    .anyMatch(e -> e.action().startsWith(actionPrefix)));
  }

  /** Stops the coordinator and reads its journal back. */
  private List<JournaledMove> journaledAfterStop(String op) {
    coordinator.close();
    coordinator = null;
    try (Journal journal = deadCoordinatorsJournal()) {
      assertThat(journal.unfinished()).as("no operation left running").isEmpty();
      return journal.moves(op);
    }
  }

  private void assertRefusedWhileSettling() {
    assertThatThrownBy(() -> coordinator.operations().migrate("db01", "dmz02", OPERATOR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the coordinator is settling the operations left running when it started or took"
                + " over; ask again in a moment");
  }

  @Test
  void aMoveNeverSentIsCancelledAndTheAgentsAreNotTouched() throws Exception {
    dmz01.domain("web01", RUNNING);
    MoveRequest move = move("op-1", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-1",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jmx:ops",
          List.of(move));
    }

    restart("10s");
    Operation op = recovered("op-1");

    assertThat(op.state()).isEqualTo(OperationState.CANCELLED);
    assertThat(op.moves().get(0).state()).isEqualTo(MoveState.CANCELLED);
    assertThat(op.moves().get(0).error()).isEqualTo("not started before the coordinator stopped");
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
    JournaledMove journaled = journaledAfterStop("op-1").get(0);
    assertThat(journaled.phase()).isEqualTo(MovePhase.CANCELLED);
    assertThat(journaled.error()).isEqualTo("not started before the coordinator stopped");
  }

  @Test
  void aDispatchedMoveWhoseDomainRunsOnTheDestinationSucceeded() throws Exception {
    // The source agent restarted too: it no longer knows migration m-dmz01-1.
    dmz02.domain("web01", RUNNING);
    MoveRequest move = move("op-2", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-2",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jolokia:xcm",
          List.of(move));
      journal.dispatching(move);
      journal.dispatched(move, "m-dmz01-1");
    }

    restart("10s");
    Operation op = recovered("op-2");

    assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.done()).isEqualTo(1);
    assertThat(op.requester()).isEqualTo(new Requester("recovered", "jolokia:xcm"));
    assertThat(coordinator.operations().audit().entries())
        .filteredOn(e -> e.requester().equals(new Requester("recovery", "coordinator")))
        .extracting(AuditLog.Entry::action, AuditLog.Entry::result)
        .containsExactly(
            tuple(
                "recover operation op-2 (migrate web01 to dmz02, asked by jolokia:xcm)",
                "SUCCEEDED, 1 of 1 moves done"));
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
    JournaledMove journaled = journaledAfterStop("op-2").get(0);
    assertThat(journaled.phase()).isEqualTo(MovePhase.SUCCEEDED);
    assertThat(journaled.attempts()).isEqualTo(1);
  }

  @Test
  void aDispatchedMoveWhoseDomainRunsOnTheSourceFailedWithTheReason() throws Exception {
    // The migration failed and left a shut-off copy on dmz02.
    dmz01.domain("web01", RUNNING).plan(failLeaving("FINISH: dmz02: cannot start", SHUTOFF));
    String id = dmz01.migrate("web01", dmz02.url(), "", 1);
    MoveRequest move = move("op-3", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-3",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jmx:ops",
          List.of(move));
      journal.dispatching(move);
      journal.dispatched(move, id);
    }

    restart("10s");
    Operation op = recovered("op-3");

    String reason = RESTARTED + "web01 runs on dmz01; removed the unfinished copy on dmz02";
    assertThat(op.state()).isEqualTo(OperationState.FAILED);
    assertThat(op.errors()).containsExactly("web01 dmz01 -> dmz02: " + reason);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
    JournaledMove journaled = journaledAfterStop("op-3").get(0);
    assertThat(journaled.phase()).isEqualTo(MovePhase.FAILED);
    assertThat(journaled.error()).isEqualTo(reason);
  }

  @Test
  void aDomainFoundRunningOnBothHostsIsLeftForAnOperatorAndTheMoveFailsSayingSo() throws Exception {
    dmz01.domain("web01", RUNNING);
    dmz02.domain("web01", RUNNING);
    MoveRequest move = move("op-8", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-8",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jmx:ops",
          List.of(move));
      journal.dispatching(move);
      journal.dispatched(move, "m-dmz01-1");
    }

    restart("10s");
    Operation op = recovered("op-8");

    String reason =
        "could not settle it: "
            + RESTARTED
            + "web01 runs on both dmz01 and dmz02; left as it is for an operator";
    assertThat(op.state()).isEqualTo(OperationState.FAILED);
    assertThat(op.errors()).containsExactly("web01 dmz01 -> dmz02: " + reason);
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
    assertThat(journaledAfterStop("op-8").get(0).error()).isEqualTo(reason);
  }

  @Test
  void aMigrationStillRunningIsFollowedToItsEndBeforeRequestsAreTaken() throws Exception {
    // The first attempt failed; the coordinator died between the retry's DISPATCHING and
    // DISPATCHED, while the agent runs the retry.
    dmz01.domain("web01", RUNNING).domain("db01", RUNNING);
    dmz01.plan(fail("PREPARE: dmz02: out of memory"), succeed().hanging());
    MoveRequest move = move("op-4", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-4",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jmx:ops",
          List.of(move));
      journal.dispatching(move);
      journal.dispatched(move, dmz01.migrate("web01", dmz02.url(), "", 1));
      journal.dispatching(move);
      dmz01.migrate("web01", dmz02.url(), "", 1);
    }

    restart("10s");
    // Recovery follows the retry's migration, not the first attempt's, which ended.
    await().atMost(20, TimeUnit.SECONDS).until(() -> dmz01.statusReads("m-dmz01-2") >= 1);
    assertThat(dmz01.statusReads("m-dmz01-1")).isZero();
    assertRefusedWhileSettling();
    assertThat(dmz01.changes()).as("nothing touched while it runs").hasSize(2);
    assertThat(dmz02.changes()).isEmpty();
    dmz01.endMigrations();
    Operation op = recovered("op-4");

    assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(dmz01.states()).containsExactly(Map.entry("db01", RUNNING));
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
    String next =
        await()
            .atMost(10, TimeUnit.SECONDS)
            .ignoreException(IllegalStateException.class)
            .until(() -> coordinator.operations().migrate("db01", "dmz02", OPERATOR), id -> true);
    assertThat(ended(next).state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(journaledAfterStop("op-4").get(0).phase()).isEqualTo(MovePhase.SUCCEEDED);
  }

  @Test
  void aMoveWhoseAgentDoesNotAnswerWithinTheTimeoutIsLeftUnsettledAndSettledOnceItAnswers()
      throws Exception {
    dmz01.domain("web01", RUNNING);
    MoveRequest move = move("op-5", 0, "web01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.operationStarted(
          "op-5",
          new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
          "migrate web01 to dmz02",
          "jmx:ops",
          List.of(move));
      journal.dispatching(move);
      journal.dispatched(move, "m-dmz01-1");
    }
    dmz01.stopServing();

    restart("2s");
    Operation op = recovered("op-5");

    String reason =
        "unsettled, asked again until its agents tell: "
            + RESTARTED
            + "agent at "
            + dmz01.url()
            + " does not answer: connection refused";
    assertThat(op.state()).isEqualTo(OperationState.FAILED);
    assertThat(op.unsettled()).isEqualTo(1);
    assertThat(op.failed()).isZero();
    assertThat(op.moves().get(0).state()).isEqualTo(MoveState.UNSETTLED);
    assertThat(op.errors())
        .containsExactly(
            "1 move unsettled: the coordinator asks their agents again and records where they"
                + " ended",
            "web01 dmz01 -> dmz02: " + reason);
    assertThat(coordinator.operations().unsettledMoves())
        .containsExactly("web01 dmz01 -> dmz02 (operation op-5): " + reason);
    assertThatThrownBy(() -> coordinator.operations().migrate("web01", "dmz02", OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot migrate web01: " + unsettledMove("web01", "op-5"));

    // The agent answers again: the housekeeping job finds web01 still on its source.
    dmz01.serveAgain();
    awaitAudit("settle the unsettled move of web01 from dmz01 to dmz02 (operation op-5)");

    String settled = reason + "; settled later: web01 runs on dmz01";
    assertThat(op.state()).isEqualTo(OperationState.FAILED);
    assertThat(op.unsettled()).isZero();
    assertThat(op.failed()).isEqualTo(1);
    assertThat(op.moves().get(0).state()).isEqualTo(MoveState.FAILED);
    assertThat(op.errors()).containsExactly("web01 dmz01 -> dmz02: " + settled);
    assertThat(coordinator.operations().audit().entries())
        .filteredOn(e -> e.action().startsWith("settle "))
        .extracting(AuditLog.Entry::requester, AuditLog.Entry::result)
        .containsExactly(
            tuple(new Requester("recovery", "coordinator"), "FAILED: web01 runs on dmz01"));
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
    JournaledMove journaled = journaledAfterStop("op-5").get(0);
    assertThat(journaled.phase()).isEqualTo(MovePhase.FAILED);
    assertThat(journaled.error()).isEqualTo(settled);
  }

  @Test
  void aMoveWhoseDestinationStopsAnsweringEndsUnsettledThenSucceededOnceItAnswers()
      throws Exception {
    dmz01.domain("web01", RUNNING).domain("db01", RUNNING);
    dmz01.beforeMigrate(dmz02::stopServing);
    restart("2s");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                coordinator.inventory().snapshot().round() >= 1
                    && !coordinator.operations().recovering());

    Operation op = ended(coordinator.operations().migrate("web01", "dmz02", OPERATOR));

    assertThat(op.state()).isEqualTo(OperationState.FAILED);
    assertThat(op.unsettled()).isEqualTo(1);
    assertThat(op.done()).isZero();
    assertThat(op.moves().get(0).state()).isEqualTo(MoveState.UNSETTLED);
    assertThat(op.errors().get(0)).startsWith("1 move unsettled");
    assertThat(dmz02.states())
        .as("the domain did move: FAILED would have been wrong")
        .containsExactly(Map.entry("web01", RUNNING));
    String refusal = unsettledMove("web01", op.id());
    assertThatThrownBy(() -> coordinator.operations().migrate("web01", "dmz01", OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot migrate web01: " + refusal);
    assertThatThrownBy(() -> coordinator.operations().drain("dmz01", false, OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot drain host dmz01: " + refusal);
    assertThat(coordinator.operations().audit().entries())
        .filteredOn(e -> e.action().equals("migrate web01 to dmz01"))
        .extracting(AuditLog.Entry::result)
        .containsExactly("refused: cannot migrate web01: " + refusal);

    dmz02.serveAgain();
    awaitAudit("settle the unsettled move of web01 from dmz01 to dmz02 (operation " + op.id());

    assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.done()).isEqualTo(1);
    assertThat(op.unsettled()).isZero();
    assertThat(op.errors()).isEmpty();
    assertThat(op.moves().get(0).state()).isEqualTo(MoveState.SUCCEEDED);
    assertThat(coordinator.operations().unsettledMoves()).isEmpty();
    // The domain moves again, from where it was found.
    Operation back = ended(coordinator.operations().migrate("web01", "dmz01", OPERATOR));
    assertThat(back.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(dmz01.states())
        .containsOnly(Map.entry("db01", RUNNING), Map.entry("web01", RUNNING));
    List<JournaledMove> journaled = journaledAfterStop(op.id());
    assertThat(journaled).extracting(JournaledMove::phase).containsExactly(MovePhase.SUCCEEDED);
  }

  private static String unsettledMove(String domain, String op) {
    return "domain "
        + domain
        + " has an UNSETTLED move dmz01 -> dmz02 (operation "
        + op
        + "): it is not known yet on which of the two it runs; it can move again once the"
        + " coordinator has settled that move";
  }

  @Test
  void aRecoveredDrainThatMovedEverythingPutsItsHostInMaintenance() throws Exception {
    dmz02.domain("web01", RUNNING).domain("db01", RUNNING);
    MoveRequest web = move("op-6", 0, "web01", dmz01, dmz02);
    MoveRequest db = move("op-6", 1, "db01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.hostMode("dmz01", HostState.DRAINING);
      journal.operationStarted(
          "op-6",
          new JournaledOperation.Kind(OperationType.DRAIN, null, "dmz01", null, false),
          "drain dmz01",
          "jmx:ops",
          List.of(web, db));
      journal.dispatching(web);
      journal.dispatched(web, "m-dmz01-1");
      journal.moveEnded(web, MoveResult.Outcome.SUCCEEDED, 1, null);
      journal.dispatching(db);
      journal.dispatched(db, "m-dmz01-2");
    }

    restart("10s");
    Operation op = recovered("op-6");

    assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.done()).isEqualTo(2);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                coordinator.inventory().snapshot().host("dmz01").state() == HostState.MAINTENANCE);
    coordinator.close();
    coordinator = null;
    try (Journal journal = deadCoordinatorsJournal()) {
      assertThat(journal.hostModes()).containsExactly(Map.entry("dmz01", HostState.MAINTENANCE));
      assertThat(journal.moves("op-6"))
          .extracting(JournaledMove::phase)
          .containsExactly(MovePhase.SUCCEEDED, MovePhase.SUCCEEDED);
    }
  }

  @Test
  void aRecoveredDrainCutShortGoesOnUntilItsHostIsInMaintenance() throws Exception {
    drainCutOffAfterItsFirstMove("op-7", false);

    restart("10s");
    Operation op = recovered("op-7");

    assertThat(op.state())
        .as("a drain whose moves were cancelled did not succeed")
        .isEqualTo(OperationState.CANCELLED);
    assertThat(op.done()).isEqualTo(1);
    assertThat(op.moves().get(1).state()).isEqualTo(MoveState.CANCELLED);
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                coordinator.inventory().snapshot().host("dmz01").state() == HostState.MAINTENANCE);
    assertThat(dmz02.states()).containsOnlyKeys("web01", "db01");
    assertThat(dmz01.migrateCalls()).as("web01 did not move again").isEqualTo(1);
    Operation continued =
        coordinator.operations().registry().all().stream()
            .filter(o -> !o.id().equals("op-7"))
            .findFirst()
            .orElseThrow();
    assertThat(continued.requester()).isEqualTo(new Requester("recovery", "continuing op-7"));
    assertThat(journaledAfterStop("op-7"))
        .extracting(JournaledMove::phase)
        .containsExactly(MovePhase.SUCCEEDED, MovePhase.CANCELLED);
  }

  @Test
  void aDrainAnOperatorCancelledBeforeTheCoordinatorStoppedIsNotDrainedAgain() throws Exception {
    drainCutOffAfterItsFirstMove("op-8", true);

    restart("10s");
    Operation op = recovered("op-8");
    await().atMost(20, TimeUnit.SECONDS).until(() -> !coordinator.operations().recovering());

    assertThat(op.state()).isEqualTo(OperationState.CANCELLED);
    assertThat(coordinator.operations().registry().all())
        .extracting(Operation::id)
        .as("no drain continues it")
        .containsExactly("op-8");
    assertThat(dmz01.states()).containsOnlyKeys("db01");
    assertThat(dmz01.migrateCalls()).as("nothing moved after the restart").isZero();
  }

  /**
   * A drain of dmz01 (web01, then db01) that the coordinator stopped in after web01 had moved,
   * cancelled by an operator before that when {@code cancelled}.
   */
  private void drainCutOffAfterItsFirstMove(String id, boolean cancelled) throws Exception {
    dmz01.domain("db01", RUNNING);
    dmz02.domain("web01", RUNNING);
    MoveRequest web = move(id, 0, "web01", dmz01, dmz02);
    MoveRequest db = move(id, 1, "db01", dmz01, dmz02);
    try (Journal journal = deadCoordinatorsJournal()) {
      journal.hostMode("dmz01", HostState.DRAINING);
      journal.operationStarted(
          id,
          new JournaledOperation.Kind(OperationType.DRAIN, null, "dmz01", null, false),
          "drain dmz01",
          "jmx:ops",
          List.of(web, db));
      journal.dispatching(web);
      journal.dispatched(web, "m-dmz01-1");
      journal.moveEnded(web, MoveResult.Outcome.SUCCEEDED, 1, null);
      if (cancelled) {
        journal.operationCancelled(id);
      }
    }
  }
}
