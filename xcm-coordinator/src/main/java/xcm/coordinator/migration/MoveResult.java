package xcm.coordinator.migration;

import xcm.mbeans.MoveState;

/**
 * How a move ended.
 *
 * @param outcome SUCCEEDED (verified: runs on the destination and nowhere else), FAILED (runs on
 *     its source, as before), INCOMPLETE (runs on the destination; the source kept a paused copy),
 *     CANCELLED (never started) or UNSETTLED (the move timeout passed before the agents could tell
 *     where the domain runs: the coordinator asks again later and records the real end)
 * @param error the reason for anything but SUCCEEDED
 * @param downtimeMillis time the domain ran nowhere, as the source agent measured it (libvirt's
 *     figure for a live migration); -1 if unknown
 * @param migrationMillis libvirt's duration of the live migration's job; -1 if none or unknown
 * @param dataTransferredBytes what libvirt's live migration sent; -1 if none or unknown
 */
public record MoveResult(
    Outcome outcome,
    int attempts,
    String error,
    long durationMillis,
    long downtimeMillis,
    long migrationMillis,
    long dataTransferredBytes) {

  /** A move that did not end in a live migration's figures. */
  public MoveResult(
      Outcome outcome, int attempts, String error, long durationMillis, long downtimeMillis) {
    this(outcome, attempts, error, durationMillis, downtimeMillis, -1, -1);
  }

  public enum Outcome {
    SUCCEEDED,
    FAILED,
    INCOMPLETE,
    CANCELLED,
    UNSETTLED;

    /** The move's state once it ended so. */
    public MoveState state() {
      return switch (this) {
        case SUCCEEDED -> MoveState.SUCCEEDED;
        case FAILED -> MoveState.FAILED;
        case INCOMPLETE -> MoveState.INCOMPLETE;
        case CANCELLED -> MoveState.CANCELLED;
        case UNSETTLED -> MoveState.UNSETTLED;
      };
    }

    /** True when the domain runs on the destination now. */
    public boolean placed() {
      return this == SUCCEEDED || this == INCOMPLETE;
    }
  }

  static MoveResult cancelled() {
    return new MoveResult(Outcome.CANCELLED, 0, "cancelled before it started", -1, -1);
  }
}
