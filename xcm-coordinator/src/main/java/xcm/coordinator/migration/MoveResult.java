package xcm.coordinator.migration;

/**
 * How a move ended.
 *
 * @param outcome SUCCEEDED (verified: runs on the destination and nowhere else), FAILED (runs on
 *     its source, as before), INCOMPLETE (runs on the destination; the source kept a paused copy)
 *     or CANCELLED (never started)
 * @param error the reason for anything but SUCCEEDED
 * @param downtimeMillis time the domain ran nowhere, as the source agent measured it; -1 if unknown
 */
public record MoveResult(
    Outcome outcome, int attempts, String error, long durationMillis, long downtimeMillis) {

  public enum Outcome {
    SUCCEEDED,
    FAILED,
    INCOMPLETE,
    CANCELLED
  }

  static MoveResult cancelled() {
    return new MoveResult(Outcome.CANCELLED, 0, "cancelled before it started", -1, -1);
  }
}
