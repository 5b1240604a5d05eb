package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static xcm.mbeans.DomainState.PAUSED;
import static xcm.mbeans.DomainState.RUNNING;
import static xcm.mbeans.DomainState.SHUTOFF;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.DomainState;
import xcm.mbeans.OperationType;

class FaultHarnessTest {
  private static final Set<String> DOMAINS = Set.of("a", "b");

  private static Copy copy(String host, DomainState state) {
    return new Copy(host, state);
  }

  @Test
  void violationIsNullWhenEveryDomainRunsOnExactlyOneHost() {
    assertThat(
            FaultHarness.violation(
                DOMAINS,
                Map.of("a", List.of(copy("dmz01", RUNNING)), "b", List.of(copy("dmz02", RUNNING)))))
        .isNull();
  }

  @Test
  void violationNamesALostDomain() {
    assertThat(FaultHarness.violation(DOMAINS, Map.of("a", List.of(copy("dmz01", RUNNING)))))
        .isEqualTo("b lost");
  }

  @Test
  void violationNamesADomainDefinedOnTwoHostsEvenIfOnlyOneCopyRuns() {
    assertThat(
            FaultHarness.violation(
                DOMAINS,
                Map.of(
                    "a", List.of(copy("dmz01", RUNNING), copy("dmz02", SHUTOFF)),
                    "b", List.of(copy("dmz02", RUNNING)))))
        .isEqualTo("a [dmz01=RUNNING, dmz02=SHUTOFF]");
  }

  @Test
  void violationNamesADomainLeftPausedAndOneThatAppearedFromNowhere() {
    assertThat(
            FaultHarness.violation(
                DOMAINS,
                Map.of(
                    "a", List.of(copy("dmz01", PAUSED)),
                    "b", List.of(copy("dmz02", RUNNING)),
                    "c", List.of(copy("dmz03", RUNNING)))))
        .isEqualTo("a [dmz01=PAUSED]; unknown domains [c]");
  }

  private static JournaledMove move(String op, String uuid, MovePhase phase) {
    return move(op, uuid, "dmz01", "dmz02", phase);
  }

  private static JournaledMove move(
      String op, String uuid, String from, String to, MovePhase phase) {
    return new JournaledMove(
        new MoveRequest(op, 0, "vm-" + uuid, uuid, from, "u-" + from, to, "u-" + to),
        phase,
        null,
        1,
        phase == MovePhase.FAILED ? "destination refused" : null);
  }

  @Test
  void theJournalAgreesWhenEachDomainIsWhereItsLastEndedMovePutIt() {
    List<JournaledMove> moves =
        List.of(
            move("op1", "a", MovePhase.SUCCEEDED),
            move("op2", "a", "dmz02", "dmz03", MovePhase.FAILED),
            move("op2", "b", MovePhase.PENDING),
            move("op3", "b", MovePhase.CANCELLED));

    assertThat(FaultHarness.journalViolation(List.of(), moves, Map.of("a", "dmz02", "b", "dmz01")))
        .isNull();
  }

  @Test
  void theJournalDisagreesWhenADomainIsNotWhereItsLastMoveSays() {
    assertThat(
            FaultHarness.journalViolation(
                List.of(), List.of(move("op1", "a", MovePhase.FAILED)), Map.of("a", "dmz02")))
        .isEqualTo(
            "move of vm-a from dmz01 to dmz02 (op1) ended FAILED (destination refused) but the"
                + " domain runs on dmz02, not dmz01 (its moves in the journal's order: op1 dmz01"
                + " -> dmz02 FAILED)");
  }

  @Test
  void aDisagreementListsTheMovesOfADomainOfTheSameNameUnderAnotherUuid() {
    JournaledMove other =
        new JournaledMove(
            new MoveRequest("op2", 0, "vm-a", "a2", "dmz01", "u-dmz01", "dmz03", "u-dmz03"),
            MovePhase.SUCCEEDED,
            null,
            1,
            null);

    assertThat(
            FaultHarness.journalViolation(
                List.of(),
                List.of(move("op1", "a", MovePhase.FAILED), other),
                Map.of("a", "dmz03", "a2", "dmz03")))
        .endsWith(
            "(its moves in the journal's order: op1 dmz01 -> dmz02 FAILED, op2 dmz01 -> dmz03"
                + " SUCCEEDED (UUID a2))");
  }

  @Test
  void aMoveSettledAfterItWasUnsettledCountsWhereItsSettledEndSays() {
    List<JournaledMove> moves =
        List.of(move("op1", "a", MovePhase.SUCCEEDED), move("op2", "b", MovePhase.FAILED));

    assertThat(FaultHarness.journalViolation(List.of(), moves, Map.of("a", "dmz02", "b", "dmz01")))
        .isNull();
  }

  @Test
  void theJournalDisagreesWhileAMoveIsLeftUnsettled() {
    JournaledMove unsettled =
        new JournaledMove(
            new MoveRequest("op1", 0, "vm-a", "a", "dmz01", "u-dmz01", "dmz02", "u-dmz02"),
            MovePhase.UNSETTLED,
            "m-1",
            1,
            "dmz02 does not answer");

    assertThat(
            FaultHarness.journalViolation(
                List.of(),
                List.of(move("op0", "a", "dmz02", "dmz01", MovePhase.SUCCEEDED), unsettled),
                Map.of("a", "dmz02")))
        .isEqualTo(
            "move of vm-a from dmz01 to dmz02 (op1) still UNSETTLED in the journal (dmz02 does not"
                + " answer); the domain runs on dmz02");
  }

  @Test
  void theJournalDisagreesWhileAnOperationOrAMoveIsLeftRunning() {
    JournaledOperation op =
        new JournaledOperation(
            "op9",
            new JournaledOperation.Kind(OperationType.DRAIN, null, "dmz01", null, false),
            "drain dmz01",
            "jmx:ops",
            Instant.EPOCH,
            false,
            List.of());

    assertThat(
            FaultHarness.journalViolation(
                List.of(op), List.of(move("op9", "a", MovePhase.DISPATCHED)), Map.of("a", "dmz01")))
        .isEqualTo(
            "operation op9 (drain dmz01) still running in the journal; move of vm-a from dmz01"
                + " to dmz02 (op9) still DISPATCHED in the journal");
  }
}
