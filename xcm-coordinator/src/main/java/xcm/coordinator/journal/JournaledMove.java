package xcm.coordinator.journal;

import xcm.coordinator.migration.MoveRequest;

/** One move as the journal last recorded it. */
public record JournaledMove(
    MoveRequest request, MovePhase phase, String agentMigration, int attempts, String error) {

  /** True once the move ended; false while an agent may still be moving the domain. */
  public boolean ended() {
    return phase.ended();
  }

  /** True while nobody knows whether the move put the domain on its destination. */
  public boolean unsettled() {
    return phase == MovePhase.UNSETTLED;
  }
}
