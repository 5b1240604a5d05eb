package xcm.coordinator.journal;

import xcm.coordinator.migration.MoveRequest;

/**
 * One move as the journal last recorded it.
 *
 * @param phase PENDING (not asked of any agent yet), DISPATCHING (about to ask the source agent),
 *     DISPATCHED (the source agent runs it as {@code agentMigration}), or an end: SUCCEEDED,
 *     FAILED, INCOMPLETE, CANCELLED
 */
public record JournaledMove(
    MoveRequest request, String phase, String agentMigration, int attempts, String error) {

  /** True once the move ended; false while an agent may still be moving the domain. */
  public boolean ended() {
    return !phase.equals("PENDING") && !phase.equals("DISPATCHING") && !phase.equals("DISPATCHED");
  }
}
