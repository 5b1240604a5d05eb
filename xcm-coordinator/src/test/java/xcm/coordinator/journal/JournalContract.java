package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThat;

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
import xcm.mbeans.HostState;

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
        "DRAIN",
        "drain a",
        "jmx:ops",
        false,
        List.of(move("op1", 0, "vm,1=\"x\""), move("op1", 1, "vm2")));

    List<JournaledOperation> unfinished = journal.unfinished();
    assertThat(unfinished).hasSize(1);
    JournaledOperation op = unfinished.get(0);
    assertThat(op.kind()).isEqualTo("DRAIN");
    assertThat(op.summary()).isEqualTo("drain a");
    assertThat(op.requestedBy()).isEqualTo("jmx:ops");
    assertThat(op.moves()).extracting(JournaledMove::phase).containsExactly("PENDING", "PENDING");
    assertThat(op.moves().get(0).request()).isEqualTo(move("op1", 0, "vm,1=\"x\""));

    journal.operationEnded("op1", "SUCCEEDED", List.of());
    assertThat(journal.unfinished()).isEmpty();
  }

  @Test
  void aMoveKeepsItsAgentMigrationIdThroughToItsEnd() {
    MoveRequest move = move("op2", 0, "vm1");
    journal.operationStarted(
        "op2", "MIGRATE", "migrate vm1 to b", "jolokia:xcm", false, List.of(move));

    journal.dispatching(move);
    assertThat(journal.moves("op2").get(0).phase()).isEqualTo("DISPATCHING");
    assertThat(journal.moves("op2").get(0).ended()).isFalse();
    journal.dispatched(move, "agent-id-7");
    journal.moveEnded(move, "FAILED", 3, "destination refused");

    JournaledMove recorded = journal.moves("op2").get(0);
    assertThat(recorded.phase()).isEqualTo("FAILED");
    assertThat(recorded.agentMigration()).isEqualTo("agent-id-7");
    assertThat(recorded.attempts()).isEqualTo(3);
    assertThat(recorded.error()).isEqualTo("destination refused");
    assertThat(recorded.ended()).isTrue();
  }

  @Test
  void aRetryDropsTheEarlierAttemptsMigrationIdUntilTheAgentAnswersWithItsOwn() {
    MoveRequest move = move("op6", 0, "vm1");
    journal.operationStarted(
        "op6", "MIGRATE", "migrate vm1 to b", "jolokia:xcm", false, List.of(move));
    journal.dispatching(move);
    journal.dispatched(move, "agent-id-1");

    journal.dispatching(move);

    assertThat(journal.moves("op6").get(0).phase()).isEqualTo("DISPATCHING");
    assertThat(journal.moves("op6").get(0).agentMigration())
        .as("agent-id-1 ended; a restart must not settle the move by it")
        .isNull();
    journal.dispatched(move, "agent-id-2");
    assertThat(journal.moves("op6").get(0).agentMigration()).isEqualTo("agent-id-2");
  }

  @Test
  void allMovesListsEveryOperationsMovesTheMostRecentlyChangedLast() {
    journal.operationStarted(
        "op4", "MIGRATE", "migrate vm1 to b", "jmx:ops", false, List.of(move("op4", 0, "vm1")));
    journal.operationStarted(
        "op5",
        "BALANCE",
        "balance weighted",
        "jmx:ops",
        false,
        List.of(move("op5", 0, "vm2"), move("op5", 1, "vm3")));
    journal.moveEnded(move("op4", 0, "vm1"), "SUCCEEDED", 1, null);

    assertThat(journal.allMoves())
        .extracting(m -> m.request().operationId() + "/" + m.request().domain() + "=" + m.phase())
        .containsExactly("op5/vm2=PENDING", "op5/vm3=PENDING", "op4/vm1=SUCCEEDED");
  }

  @Test
  void unsettledMovesOfEveryOperationAreListedUntilTheirRealEndIsRecorded() {
    MoveRequest web = move("op7", 0, "vm1");
    MoveRequest db = move("op8", 0, "vm2");
    journal.operationStarted("op7", "MIGRATE", "migrate vm1 to b", "jmx:ops", false, List.of(web));
    journal.operationStarted("op8", "MIGRATE", "migrate vm2 to b", "jmx:ops", false, List.of(db));
    journal.dispatching(web);
    journal.dispatched(web, "m-7");
    journal.moveEnded(web, JournaledMove.UNSETTLED, 1, "b does not answer");
    journal.operationEnded("op7", "FAILED", List.of("1 move unsettled"));
    journal.dispatching(db);
    journal.moveEnded(db, JournaledMove.UNSETTLED, 2, "a does not answer");
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

    journal.moveEnded(web, "SUCCEEDED", -1, "b does not answer; settled later: vm1 runs on b");

    assertThat(journal.unsettled()).extracting(m -> m.request().domain()).containsExactly("vm2");
    JournaledMove settled = journal.moves("op7").get(0);
    assertThat(settled.phase()).isEqualTo("SUCCEEDED");
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
  void operationsStayUnfinishedAcrossAReopen() {
    journal.operationStarted(
        "op3",
        "BALANCE",
        "balance weighted",
        "schedule:nightly",
        false,
        List.of(move("op3", 0, "vm1")));
    journal.dispatched(move("op3", 0, "vm1"), "m-1");
    journal.close();

    journal = reopen();

    assertThat(journal.unfinished()).extracting(JournaledOperation::id).containsExactly("op3");
    assertThat(journal.unfinished().get(0).moves().get(0).agentMigration()).isEqualTo("m-1");
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
}
