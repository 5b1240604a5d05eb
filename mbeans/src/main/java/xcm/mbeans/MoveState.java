package xcm.mbeans;

/** Where one move of an operation stands, as {@code xcm:type=Operation} shows it. */
public enum MoveState {
  /** Waiting: for the queue's limits, or for an earlier move that frees memory on its target. */
  PENDING,
  /** Its source agent is moving the domain. */
  RUNNING,
  /** Verified on fresh samples: the domain runs on the destination and nowhere else. */
  SUCCEEDED,
  /** The domain runs on its source, as before. */
  FAILED,
  /** The domain runs on the destination, but the source could not remove its paused copy. */
  INCOMPLETE,
  /** Never started: the operation was cancelled, or the coordinator stopped first. */
  CANCELLED,
  /**
   * The move timeout passed before the agents could tell where the domain runs; the coordinator
   * asks again until it knows, then records SUCCEEDED or FAILED.
   */
  UNSETTLED;

  /** True once the move has an end (UNSETTLED included: it is settled later, apart). */
  public boolean ended() {
    return this != PENDING && this != RUNNING;
  }
}
