package xcm.coordinator.journal;

import xcm.coordinator.migration.MoveRequest;

/**
 * One move as the journal last recorded it.
 *
 * @param phase PENDING (not asked of any agent yet), DISPATCHING (about to ask the source agent),
 *     DISPATCHED (the source agent runs it as {@code agentMigration}), or an end: SUCCEEDED,
 *     FAILED, INCOMPLETE, CANCELLED; or UNSETTLED: the coordinator could not tell where the domain
 *     runs when the move timed out, and asks the agents again until it can (then the phase becomes
 *     SUCCEEDED or FAILED)
 */
public record JournaledMove(
    MoveRequest request, String phase, String agentMigration, int attempts, String error) {

  /** True once the move ended; false while an agent may still be moving the domain. */
  public boolean ended() {
    return !phase.equals("PENDING") && !phase.equals("DISPATCHING") && !phase.equals("DISPATCHED");
  }

  /** True while nobody knows whether the move put the domain on its destination. */
  public boolean unsettled() {
    return phase.equals(UNSETTLED);
  }

  /** The phase of a move that timed out before the agents could tell where the domain runs. */
  public static final String UNSETTLED = "UNSETTLED";
}
