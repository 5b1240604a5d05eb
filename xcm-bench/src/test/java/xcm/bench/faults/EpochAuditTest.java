package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochAuditTest {
  @Test
  void theEpochOfAnOperationIsInItsId() {
    assertThat(EpochAudit.epochOf("e7-3")).isEqualTo(7);
    assertThat(EpochAudit.epochOf("e12-140")).isEqualTo(12);
    assertThat(EpochAudit.epochOf("tphjbq-1")).isZero();
  }

  @Test
  void phasesTheNewActiveEndedAreNoDifference() {
    EpochAudit atTakeover =
        new EpochAudit(
            3,
            Set.of("e2-1"),
            Map.of(
                "e2-1#0", new EpochAudit.Move("DISPATCHED", "m1"),
                "e2-1#1", new EpochAudit.Move("PENDING", null)));
    EpochAudit now =
        new EpochAudit(
            3,
            Set.of("e2-1"),
            Map.of(
                "e2-1#0", new EpochAudit.Move("SUCCEEDED", "m1"),
                "e2-1#1", new EpochAudit.Move("CANCELLED", null)));

    assertThat(EpochAudit.since(atTakeover, now)).isEmpty();
  }

  @Test
  void anythingTheFormerActiveRecordedAfterTheTakeoverIsNamed() {
    EpochAudit atTakeover =
        new EpochAudit(3, Set.of("e2-1"), Map.of("e2-1#0", new EpochAudit.Move("PENDING", null)));
    EpochAudit now =
        new EpochAudit(
            3,
            Set.of("e2-1", "e2-2"),
            Map.of(
                "e2-1#0", new EpochAudit.Move("DISPATCHED", "m9"),
                "e2-2#0", new EpochAudit.Move("PENDING", null)));

    assertThat(EpochAudit.since(atTakeover, now))
        .containsExactly(
            "operation e2-2 recorded after epoch 3 began",
            "move e2-1#0 handed to agent migration m9 after epoch 3 began (it was none, PENDING)",
            "move e2-2#0 recorded after epoch 3 began");
  }
}
