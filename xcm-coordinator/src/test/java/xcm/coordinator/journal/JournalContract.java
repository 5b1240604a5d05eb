package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

/** What the journal must do on every database it runs on: the same SQL on H2 and PostgreSQL. */
abstract class JournalContract {
  protected Journal journal;

  /** A journal on an empty database, and the same database opened again (a restart). */
  protected abstract Journal open();

  @BeforeEach
  void openJournal() {
    journal = open();
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  static MoveRequest move(String op, int index, String domain) {
    return new MoveRequest(
        op, index, domain, "uuid-" + domain, "a", "http://a/jolokia/", "b", "http://b/jolokia/");
  }

  @Test
  void aStartedOperationIsUnfinishedWithItsMovesPendingUntilItEnds() {
    journal.operationStarted(
        "op1",
        new JournaledOperation.Kind(OperationType.DRAIN, null, "a", null, false),
        "drain a",
        "jmx:ops",
        List.of(move("op1", 0, "vm,1=\"x\""), move("op1", 1, "vm2")));

    List<JournaledOperation> unfinished = journal.unfinished();
    assertThat(unfinished).hasSize(1);
    JournaledOperation op = unfinished.get(0);
    assertThat(op.kind())
        .isEqualTo(new JournaledOperation.Kind(OperationType.DRAIN, null, "a", null, false));
    assertThat(op.summary()).isEqualTo("drain a");
    assertThat(op.requestedBy()).isEqualTo("jmx:ops");
    assertThat(op.moves())
        .extracting(JournaledMove::phase)
        .containsExactly(MovePhase.PENDING, MovePhase.PENDING);
    assertThat(op.moves().get(0).request()).isEqualTo(move("op1", 0, "vm,1=\"x\""));

    journal.operationEnded("op1", OperationState.SUCCEEDED, List.of());
    assertThat(journal.unfinished()).isEmpty();
  }

  @Test
  void aMoveKeepsItsAgentMigrationIdThroughToItsEnd() {
    MoveRequest move = move("op2", 0, "vm1");
    journal.operationStarted(
        "op2",
        new JournaledOperation.Kind(OperationType.MIGRATE, "vm1", "b", null, false),
        "migrate vm1 to b",
        "jolokia:xcm",
        List.of(move));

    journal.dispatching(move);
    assertThat(journal.moves("op2").get(0).phase()).isEqualTo(MovePhase.DISPATCHING);
    assertThat(journal.moves("op2").get(0).ended()).isFalse();
    journal.dispatched(move, "agent-id-7");
    journal.moveEnded(move, MoveResult.Outcome.FAILED, 3, "destination refused");

    JournaledMove recorded = journal.moves("op2").get(0);
    assertThat(recorded.phase()).isEqualTo(MovePhase.FAILED);
    assertThat(recorded.agentMigration()).isEqualTo("agent-id-7");
    assertThat(recorded.attempts()).isEqualTo(3);
    assertThat(recorded.error()).isEqualTo("destination refused");
    assertThat(recorded.ended()).isTrue();
  }

  @Test
  void aRetryDropsTheEarlierAttemptsMigrationIdUntilTheAgentAnswersWithItsOwn() {
    MoveRequest move = move("op6", 0, "vm1");
    journal.operationStarted(
        "op6",
        new JournaledOperation.Kind(OperationType.MIGRATE, "vm1", "b", null, false),
        "migrate vm1 to b",
        "jolokia:xcm",
        List.of(move));
    journal.dispatching(move);
    journal.dispatched(move, "agent-id-1");

    journal.dispatching(move);

    assertThat(journal.moves("op6").get(0).phase()).isEqualTo(MovePhase.DISPATCHING);
    assertThat(journal.moves("op6").get(0).agentMigration())
        .as("agent-id-1 ended; a restart must not settle the move by it")
        .isNull();
    journal.dispatched(move, "agent-id-2");
    assertThat(journal.moves("op6").get(0).agentMigration()).isEqualTo("agent-id-2");
  }

  @Test
  void allMovesListsEveryOperationsMovesTheMostRecentlyChangedLast() {
    journal.operationStarted(
        "op4",
        new JournaledOperation.Kind(OperationType.MIGRATE, "vm1", "b", null, false),
        "migrate vm1 to b",
        "jmx:ops",
        List.of(move("op4", 0, "vm1")));
    journal.operationStarted(
        "op5",
        new JournaledOperation.Kind(OperationType.BALANCE, null, null, "weighted", false),
        "balance weighted",
        "jmx:ops",
        List.of(move("op5", 0, "vm2"), move("op5", 1, "vm3")));
    journal.moveEnded(move("op4", 0, "vm1"), MoveResult.Outcome.SUCCEEDED, 1, null);

    assertThat(journal.allMoves())
        .extracting(m -> m.request().operationId() + "/" + m.request().domain() + "=" + m.phase())
        .containsExactly("op5/vm2=PENDING", "op5/vm3=PENDING", "op4/vm1=SUCCEEDED");
  }

  @Test
  void unsettledMovesOfEveryOperationAreListedUntilTheirRealEndIsRecorded() {
    MoveRequest web = move("op7", 0, "vm1");
    MoveRequest db = move("op8", 0, "vm2");
    journal.operationStarted(
        "op7",
        new JournaledOperation.Kind(OperationType.MIGRATE, "vm1", "b", null, false),
        "migrate vm1 to b",
        "jmx:ops",
        List.of(web));
    journal.operationStarted(
        "op8",
        new JournaledOperation.Kind(OperationType.MIGRATE, "vm2", "b", null, false),
        "migrate vm2 to b",
        "jmx:ops",
        List.of(db));
    journal.dispatching(web);
    journal.dispatched(web, "m-7");
    journal.moveEnded(web, MoveResult.Outcome.UNSETTLED, 1, "b does not answer");
    journal.operationEnded("op7", OperationState.FAILED, List.of("1 move unsettled"));
    journal.dispatching(db);
    journal.moveEnded(db, MoveResult.Outcome.UNSETTLED, 2, "a does not answer");
    journal.close();

    journal = reopen();
    List<JournaledMove> unsettled = journal.unsettled();
    assertThat(unsettled)
        .extracting(m -> m.request().operationId() + "/" + m.request().domain() + "=" + m.phase())
        .containsExactly("op7/vm1=UNSETTLED", "op8/vm2=UNSETTLED");
    assertThat(unsettled.get(0).agentMigration())
        .as("kept: settling asks the source agent about it")
        .isEqualTo("m-7");
    assertThat(unsettled.get(0).ended()).isTrue();
    assertThat(unsettled.get(0).unsettled()).isTrue();
    assertThat(journal.unfinished())
        .as("an operation whose move is unsettled has ended")
        .extracting(JournaledOperation::id)
        .containsExactly("op8");

    journal.moveEnded(
        web, MoveResult.Outcome.SUCCEEDED, -1, "b does not answer; settled later: vm1 runs on b");

    assertThat(journal.unsettled()).extracting(m -> m.request().domain()).containsExactly("vm2");
    JournaledMove settled = journal.moves("op7").get(0);
    assertThat(settled.phase()).isEqualTo(MovePhase.SUCCEEDED);
    assertThat(settled.attempts()).isEqualTo(1);
    assertThat(settled.error()).isEqualTo("b does not answer; settled later: vm1 runs on b");
  }

  @Test
  void hostModesSurviveAReopenAndActiveClearsThem() {
    journal.hostMode("a", HostState.DRAINING);
    journal.hostMode("b", HostState.MAINTENANCE);
    journal.hostMode("a", HostState.MAINTENANCE);
    journal.hostMode("c", HostState.MAINTENANCE);
    journal.hostMode("c", HostState.ACTIVE);

    assertThat(journal.hostModes())
        .isEqualTo(Map.of("a", HostState.MAINTENANCE, "b", HostState.MAINTENANCE));
  }

  @Test
  void theAuditLogReadsBackNewestFirst() {
    journal.audit(Instant.ofEpochMilli(1000), "jmx", "ops", "drain a", "op-1");
    journal.audit(
        Instant.ofEpochMilli(2000),
        "webhook",
        "XcmHostTooHot",
        "drain b",
        "refused: unknown host 'b'");
    journal.audit(
        Instant.ofEpochMilli(3000), "schedule", "nightly-balance", "balance weighted", "op-2");

    List<Journal.AuditRow> rows = journal.recentAudit(2);

    assertThat(rows)
        .extracting(Journal.AuditRow::action)
        .containsExactly("balance weighted", "drain b");
    assertThat(rows.get(1).result()).isEqualTo("refused: unknown host 'b'");
    assertThat(rows.get(1).door()).isEqualTo("webhook");
  }

  @Test
  void auditEntriesOlderThanTheRetentionArePruned() {
    for (int second = 1; second <= 10; second++) {
      journal.audit(Instant.ofEpochSecond(second), "jolokia", "xcm", "drain h" + second, "done");
    }

    int deleted = journal.pruneAudit(Instant.ofEpochSecond(8), 1_000_000);

    assertThat(deleted).isEqualTo(7);
    assertThat(journal.recentAudit(100))
        .extracting(Journal.AuditRow::action)
        .containsExactly("drain h10", "drain h9", "drain h8");
    assertThat(journal.pruneAudit(Instant.ofEpochSecond(8), 1_000_000)).isZero();
  }

  @Test
  void auditEntriesBeyondTheNewestRowsKeptArePruned() {
    for (int second = 1; second <= 10; second++) {
      journal.audit(Instant.ofEpochSecond(second), "jolokia", "xcm", "drain h" + second, "done");
    }

    int deleted = journal.pruneAudit(Instant.EPOCH, 4);

    assertThat(deleted).isEqualTo(6);
    assertThat(journal.auditSize()).isEqualTo(4);
    assertThat(journal.recentAudit(100))
        .extracting(Journal.AuditRow::action)
        .containsExactly("drain h10", "drain h9", "drain h8", "drain h7");
    assertThat(journal.pruneAudit(Instant.EPOCH, 4)).isZero();
    assertThat(journal.pruneAudit(Instant.EPOCH, 1)).isEqualTo(3);
    assertThat(journal.recentAudit(100))
        .extracting(Journal.AuditRow::action)
        .containsExactly("drain h10");
  }

  @Test
  void aJournalWithFewerEntriesThanTheRowsKeptLosesNoneToTheRowLimit() {
    journal.audit(Instant.ofEpochSecond(1), "jolokia", "xcm", "drain a", "done");
    journal.audit(Instant.ofEpochSecond(2), "jolokia", "xcm", "drain b", "done");

    assertThat(journal.pruneAudit(Instant.EPOCH, 2)).isZero();
    assertThat(journal.pruneAudit(Instant.EPOCH, 3)).isZero();
    assertThat(journal.auditSize()).isEqualTo(2);
  }

  @Test
  void operationsStayUnfinishedAcrossAReopen() {
    journal.operationStarted(
        "op3",
        new JournaledOperation.Kind(OperationType.BALANCE, null, null, "weighted", false),
        "balance weighted",
        "schedule:nightly",
        List.of(move("op3", 0, "vm1")));
    journal.dispatched(move("op3", 0, "vm1"), "m-1");
    journal.close();

    journal = reopen();

    assertThat(journal.unfinished()).extracting(JournaledOperation::id).containsExactly("op3");
    assertThat(journal.unfinished().get(0).moves().get(0).agentMigration()).isEqualTo("m-1");
  }

  @Test
  void anOperatorsCancelIsKeptWithTheRunningOperation() {
    for (String id : new String[] {"op4", "op5"}) {
      journal.operationStarted(
          id,
          new JournaledOperation.Kind(OperationType.DRAIN, null, "h1", null, false),
          "drain h1",
          "jmx:ops",
          List.of(move(id, 0, "vm1")));
    }
    journal.operationCancelled("op5");
    journal.close();

    journal = reopen();

    assertThat(journal.unfinished())
        .extracting(JournaledOperation::id, JournaledOperation::cancelled)
        .containsExactly(tuple("op4", false), tuple("op5", true));
  }

  @Test
  void startedAlertActionsSurviveAReopenAndOldOnesAreForgotten() {
    Instant t0 = Instant.ofEpochMilli(1_000_000);
    journal.alertActionStarted(new Journal.AlertAction("k1", "op-1", t0), Instant.EPOCH);
    journal.alertActionStarted(
        new Journal.AlertAction("k2", "op-2", t0.plusSeconds(60)), Instant.EPOCH);
    journal.close();

    journal = reopen();
    assertThat(journal.alertActionsSince(t0))
        .containsExactly(
            new Journal.AlertAction("k1", "op-1", t0),
            new Journal.AlertAction("k2", "op-2", t0.plusSeconds(60)));
    assertThat(journal.alertActionsSince(t0.plusSeconds(1)))
        .extracting(Journal.AlertAction::key)
        .containsExactly("k2");

    journal.alertActionStarted(
        new Journal.AlertAction("k3", "op-3", t0.plusSeconds(120)), t0.plusSeconds(30));
    assertThat(journal.alertActionsSince(Instant.EPOCH))
        .extracting(Journal.AlertAction::key)
        .containsExactly("k2", "k3");
  }

  /** The same database again, as after a coordinator restart. */
  protected abstract Journal reopen();

  /** A plain JDBC connection to the journal's database, as another tool would open it. */
  protected abstract Connection connect() throws SQLException;

  @Test
  void theDatabaseRefusesAPhaseOrAStateTheCodeDoesNotKnow() throws SQLException {
    journal.operationStarted(
        "op1",
        new JournaledOperation.Kind(OperationType.DRAIN, null, "a", null, false),
        "drain a",
        "jmx:ops",
        List.of(move("op1", 0, "vm1")));
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE xcm_move SET phase = 'DONE'"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("UPDATE xcm_operation SET op_state = 'OK'"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("UPDATE xcm_operation SET kind = 'REBOOT'"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO xcm_host_mode VALUES ('a', 'GONE', 0)"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(journal.moves("op1"))
        .extracting(JournaledMove::phase)
        .containsExactly(MovePhase.PENDING);
  }

  @Test
  void aJournalMadeBeforeStandbyTakesItOnceReopened() throws SQLException {
    journal.hostMode("a", HostState.MAINTENANCE);
    journal.close();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      // The table as the releases before power saving created it: STANDBY not in its check.
      s.execute("DROP TABLE xcm_host_mode");
      s.execute(
          "CREATE TABLE xcm_host_mode (host VARCHAR(255) PRIMARY KEY, host_mode VARCHAR(16) NOT"
              + " NULL CHECK (host_mode IN ('ACTIVE', 'UNREACHABLE', 'DRAINING', 'MAINTENANCE',"
              + " 'REMOVED', 'SUSPECT', 'FENCING', 'FENCE_FAILED', 'FAILED')), updated_at BIGINT"
              + " NOT NULL)");
      s.execute("INSERT INTO xcm_host_mode VALUES ('a', 'MAINTENANCE', 1)");
    }

    journal = reopen();
    journal.hostMode("b", HostState.STANDBY);

    assertThat(journal.hostModes())
        .isEqualTo(Map.of("a", HostState.MAINTENANCE, "b", HostState.STANDBY));
  }

  @Test
  void aJournalOfTheVersionBeforeKindsHadColumnsIsReadWithItsKinds() throws SQLException {
    journal.close();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE xcm_move");
      s.execute("DROP TABLE xcm_operation");
      s.execute("DROP TABLE xcm_schema_version");
      // The tables as that version created them, and the rows it wrote.
      s.execute(
          "CREATE TABLE xcm_operation (id VARCHAR(64) PRIMARY KEY, kind VARCHAR(16) NOT NULL,"
              + " summary VARCHAR(1024) NOT NULL, requested_by VARCHAR(512) NOT NULL,"
              + " dry_run BOOLEAN NOT NULL, op_state VARCHAR(16) NOT NULL,"
              + " started_at BIGINT NOT NULL, finished_at BIGINT, errors VARCHAR(8000))");
      s.execute(
          "CREATE TABLE xcm_move (operation_id VARCHAR(64) NOT NULL, move_index INT NOT NULL,"
              + " domain_name VARCHAR(512) NOT NULL, domain_uuid VARCHAR(64) NOT NULL,"
              + " from_host VARCHAR(255) NOT NULL, from_url VARCHAR(1024) NOT NULL,"
              + " to_host VARCHAR(255) NOT NULL, to_url VARCHAR(1024) NOT NULL,"
              + " phase VARCHAR(16) NOT NULL, agent_migration VARCHAR(64),"
              + " attempts INT NOT NULL, error VARCHAR(4000), updated_at BIGINT NOT NULL,"
              + " PRIMARY KEY (operation_id, move_index))");
      s.execute(
          "INSERT INTO xcm_operation VALUES ('op1', 'DRAIN', 'drain dmz 01', 'jmx:ops', FALSE,"
              + " 'RUNNING', 1, NULL, NULL),"
              + " ('op2', 'MIGRATE', 'migrate web 01 to dmz02', 'jmx:ops', FALSE, 'RUNNING', 2,"
              + " NULL, NULL),"
              + " ('op3', 'BALANCE', 'balance domain-count,target=strict', 'schedule:nightly',"
              + " FALSE, 'RUNNING', 3, NULL, NULL)");
      s.execute(
          "INSERT INTO xcm_move VALUES ('op2', 0, 'web 01', 'u1', 'dmz 01', 'http://a/', 'dmz02',"
              + " 'http://b/', 'DISPATCHED', 'm-1', 1, NULL, 2)");
    }

    journal = reopen();

    assertThat(journal.unfinished())
        .extracting(JournaledOperation::kind)
        .containsExactly(
            new JournaledOperation.Kind(OperationType.DRAIN, null, "dmz 01", null, false),
            new JournaledOperation.Kind(OperationType.MIGRATE, "web 01", "dmz02", null, false),
            new JournaledOperation.Kind(
                OperationType.BALANCE, null, null, "domain-count,target=strict", false));
  }

  /** A clock that moves on a millisecond each time it is read, so that every change is ordered. */
  static Clock clock() {
    AtomicLong now = new AtomicLong(1_000_000);
    return new Clock() {
      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.incrementAndGet());
      }

      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void theSchemaVersionIsRecordedOnceAndOpeningAgainMigratesNothing() throws SQLException {
    journal.close();
    journal = reopen();

    assertThat(schemaVersions()).isEqualTo(everyVersion());
  }

  @Test
  void aJournalFromBeforeSchemaVersionsIsMigratedKeepingWhatItHolds() throws SQLException {
    journal.operationStarted(
        "op1",
        new JournaledOperation.Kind(OperationType.DRAIN, null, "a", null, false),
        "drain a",
        "jmx:ops",
        List.of(move("op1", 0, "vm1")));
    journal.close();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE xcm_schema_version");
    }

    journal = reopen();

    assertThat(schemaVersions()).isEqualTo(everyVersion());
    assertThat(journal.unfinished()).extracting(JournaledOperation::id).containsExactly("op1");
  }

  @Test
  void aJournalANewerXcmMigratedIsRefusedNamingBothVersions() throws SQLException {
    int newer = JournalSchema.latest() + 1;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO xcm_schema_version (version, description, applied_at)"
              + " VALUES ("
              + newer
              + ", 'from a newer XCM', 0)");
    }
    journal.close();

    assertThatThrownBy(this::reopen)
        .isInstanceOf(JournalException.class)
        .hasMessageContaining(
            " is at schema version "
                + newer
                + " and this XCM knows versions up to "
                + JournalSchema.latest()
                + ": run the XCM that migrated it, or a newer one");
  }

  private static List<Integer> everyVersion() {
    return java.util.stream.IntStream.rangeClosed(1, JournalSchema.latest()).boxed().toList();
  }

  private List<Integer> schemaVersions() throws SQLException {
    List<Integer> versions = new java.util.ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        java.sql.ResultSet rows =
            s.executeQuery("SELECT version FROM xcm_schema_version ORDER BY version")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }
}
