package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.bench.CoordinatorJolokia.Host;
import xcm.bench.CoordinatorJolokia.OperationRow;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.HostState;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

class FailoverChecksTest {
  private static final long TAKEOVER = 1_000_000L;

  private static OperationRow op(String id, String requestedBy, OperationState state) {
    return new OperationRow(
        id, OperationType.DRAIN, "drain dmz01", requestedBy, state, 1, state.ordinal() * 10L);
  }

  private static JournaledMove move(
      String op, int index, String domain, String from, String to, MovePhase phase, String id) {
    return new JournaledMove(
        new MoveRequest(op, index, domain, "u-" + domain, from, "u-" + from, to, "u-" + to),
        phase,
        id,
        1,
        null);
  }

  private static FaultAgents.Migration migration(
      String id, String domain, String from, String to, MigrationStatus.State state, long at) {
    return new FaultAgents.Migration(
        from,
        new MigrationStatus(
            id,
            domain,
            from,
            "https://" + to + "/jolokia/",
            to,
            MigrationStatus.Phase.DONE,
            state,
            "",
            at,
            at + 100,
            5,
            MigrationStatus.Method.HANDOVER,
            -1,
            -1));
  }

  @Test
  void aDrainCutOffIsFollowedByTheDrainsContinuedForItAndAnEndedOneByNone() {
    List<OperationRow> onNewActive =
        List.of(
            op("e1-1", "jolokia:xcm", OperationState.CANCELLED),
            op("e2-1", "recovery:continuing e1-1", OperationState.SUCCEEDED),
            op("e2-2", "jolokia:xcm", OperationState.SUCCEEDED));

    Map<String, List<OperationRow>> chains =
        FailoverChecks.chains(List.of("e1-1", "e1-0"), onNewActive);

    assertThat(chains).containsOnlyKeys("e1-1");
    assertThat(chains.get("e1-1")).extracting(OperationRow::id).containsExactly("e1-1", "e2-1");
  }

  @Test
  void aDrainCutOffMustEndInMaintenanceThroughItsContinuation() {
    Map<String, List<OperationRow>> chains =
        Map.of(
            "e1-1",
            List.of(
                op("e1-1", "jolokia:xcm", OperationState.CANCELLED),
                op("e2-1", "recovery:continuing e1-1", OperationState.SUCCEEDED)));

    assertThat(FailoverChecks.interruptedEnded(chains, Map.of("dmz01", HostState.MAINTENANCE)))
        .isEmpty();
    assertThat(FailoverChecks.interruptedEnded(chains, Map.of("dmz01", HostState.DRAINING)))
        .containsExactly(
            "the drain of dmz01 cut off as e1-1 ended SUCCEEDED as e2-1, dmz01 DRAINING in the"
                + " journal");
  }

  @Test
  void aDrainCutOffAndNotContinuedIsAViolation() {
    Map<String, List<OperationRow>> chains =
        Map.of("e1-1", List.of(op("e1-1", "jolokia:xcm", OperationState.CANCELLED)));

    assertThat(FailoverChecks.interruptedEnded(chains, Map.of("dmz01", HostState.DRAINING)))
        .containsExactly(
            "the drain of dmz01 cut off as e1-1 ended CANCELLED, dmz01 DRAINING in the"
                + " journal");
  }

  @Test
  void hostModesMustAgreeBetweenTheJournalTheActiveAndTheAgents() {
    List<Host> view =
        List.of(
            new Host("dmz01", HostState.MAINTENANCE),
            new Host("dmz02", HostState.ACTIVE),
            new Host("dmz03", HostState.UNREACHABLE));

    assertThat(
            FailoverChecks.hostModes(
                Map.of("dmz01", HostState.MAINTENANCE), view, Map.of("dmz02", 8)))
        .isEmpty();
    assertThat(
            FailoverChecks.hostModes(
                Map.of("dmz02", HostState.MAINTENANCE, "dmz03", HostState.DRAINING),
                view,
                Map.of("dmz01", 1, "dmz02", 7)))
        .containsExactly(
            "dmz01 is MAINTENANCE on the active, ACTIVE in the journal",
            "dmz02 is ACTIVE on the active, MAINTENANCE in the journal",
            "dmz02 in MAINTENANCE in the journal runs 7 domains",
            "dmz03 left DRAINING in the journal with no drain running");
  }

  @Test
  void aMoveNotInAFinalPhaseIsNamed() {
    assertThat(
            FailoverChecks.movesEnded(
                List.of(
                    move("e1-1", 0, "web01", "dmz01", "dmz02", MovePhase.SUCCEEDED, "m1"),
                    move("e1-1", 1, "web02", "dmz01", "dmz02", MovePhase.PENDING, null))))
        .containsExactly(
            "the move of web02 from dmz01 to dmz02 (e1-1 #1) left PENDING in the journal");
  }

  @Test
  void aDomainMovedOnceByTheAgentsAndInTheJournalIsFineEvenAfterAFailedTry() {
    assertThat(
            FailoverChecks.movedOnce(
                List.of(
                    migration("m1", "web01", "dmz01", "dmz02", MigrationStatus.State.FAILED, 1),
                    migration("m2", "web01", "dmz01", "dmz02", MigrationStatus.State.SUCCEEDED, 2)),
                List.of(
                    move("e1-1", 0, "web01", "dmz01", "dmz02", MovePhase.CANCELLED, null),
                    move("e2-1", 0, "web01", "dmz01", "dmz02", MovePhase.SUCCEEDED, "m2"))))
        .isEmpty();
  }

  @Test
  void aDomainMovedTwiceOrMovedUnbeknownToTheJournalIsNamed() {
    assertThat(
            FailoverChecks.movedOnce(
                List.of(
                    migration("m1", "web01", "dmz01", "dmz02", MigrationStatus.State.SUCCEEDED, 1),
                    migration("m2", "web01", "dmz02", "dmz03", MigrationStatus.State.SUCCEEDED, 2),
                    migration("m3", "db01", "dmz01", "dmz03", MigrationStatus.State.INCOMPLETE, 3)),
                List.of(move("e1-1", 0, "web01", "dmz01", "dmz02", MovePhase.SUCCEEDED, "m1"))))
        .containsExactly(
            "db01 moved 1 times by the agents [dmz01->dmz03 (m3)], 0 in the journal",
            "web01 moved 2 times in one operation: [dmz01->dmz02 (m1), dmz02->dmz03 (m2)]");
  }

  @Test
  void aMigrationBegunAfterTheTakeoverForAMoveOfAnEarlierEpochIsNamed() {
    List<JournaledMove> moves =
        List.of(
            move("e1-1", 0, "web01", "dmz01", "dmz02", MovePhase.SUCCEEDED, "m1"),
            move("e1-1", 1, "web02", "dmz01", "dmz02", MovePhase.SUCCEEDED, "m2"),
            move("e2-1", 0, "web03", "dmz01", "dmz02", MovePhase.SUCCEEDED, null));

    assertThat(
            FailoverChecks.actedAfterTakeover(
                List.of(
                    // Before the takeover: the former active's, as it should be.
                    migration("m1", "web01", "dmz01", "dmz02", MigrationStatus.State.SUCCEEDED, 5),
                    migration(
                        "m2",
                        "web02",
                        "dmz01",
                        "dmz02",
                        MigrationStatus.State.SUCCEEDED,
                        TAKEOVER + 40),
                    // The new active's, its id not journaled.
                    migration(
                        "m3",
                        "web03",
                        "dmz01",
                        "dmz02",
                        MigrationStatus.State.SUCCEEDED,
                        TAKEOVER + 50),
                    migration(
                        "m4",
                        "db01",
                        "dmz02",
                        "dmz03",
                        MigrationStatus.State.FAILED,
                        TAKEOVER + 60)),
                moves,
                TAKEOVER,
                2))
        .containsExactly(
            "agent migration m2 of web02 from dmz01 to dmz02, begun 40 ms after epoch 2 was seen"
                + " acting, is the move of web02 from dmz01 to dmz02 (e1-1 #1) of an earlier epoch",
            "agent migration m4 of db01 from dmz02 to dmz03, begun 60 ms after epoch 2 was seen"
                + " acting, is no move of epoch 2 or later in the journal");
  }
}
