package xcm.coordinator.journal;

import xcm.coordinator.migration.MoveResult;

/**
 * Where a move stands as the journal records it, written before the coordinator acts: stored by
 * name, which a CHECK constraint keeps to these. The ends are those of {@link
 * xcm.mbeans.MoveState}; UNSETTLED is replaced by the real end once the agents tell it.
 */
public enum MovePhase {
  /** Not asked of any agent yet. */
  PENDING,
  /** About to ask the source agent: it may or may not have received the request. */
  DISPATCHING,
  /** The source agent runs it as the journaled agent migration. */
  DISPATCHED,
  SUCCEEDED,
  FAILED,
  INCOMPLETE,
  CANCELLED,
  UNSETTLED;

  /** True once the move ended; false while an agent may still be moving the domain. */
  public boolean ended() {
    return this != PENDING && this != DISPATCHING && this != DISPATCHED;
  }

  /** The phase that records a move's end. */
  public static MovePhase of(MoveResult.Outcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case INCOMPLETE -> INCOMPLETE;
      case CANCELLED -> CANCELLED;
      case UNSETTLED -> UNSETTLED;
    };
  }

  /**
   * How a move in this phase ended.
   *
   * @throws IllegalStateException for a phase that is no end
   */
  public MoveResult.Outcome outcome() {
    return switch (this) {
      case SUCCEEDED -> MoveResult.Outcome.SUCCEEDED;
      case FAILED -> MoveResult.Outcome.FAILED;
      case INCOMPLETE -> MoveResult.Outcome.INCOMPLETE;
      case CANCELLED -> MoveResult.Outcome.CANCELLED;
      case UNSETTLED -> MoveResult.Outcome.UNSETTLED;
      case PENDING, DISPATCHING, DISPATCHED ->
          throw new IllegalStateException("a move " + this + " has not ended");
    };
  }
}
