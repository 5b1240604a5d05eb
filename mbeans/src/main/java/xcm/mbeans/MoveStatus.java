package xcm.mbeans;

/**
 * One move of an operation as the migration queue runs it.
 *
 * @param state PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param attempts migrations tried (a failed one is retried up to the configured count)
 * @param error the last failure's reason, empty if none
 * @param durationMillis from dispatch to verified end; -1 until it ended
 * @param downtimeMillis time the domain ran nowhere, as the source agent measured it; -1 if unknown
 */
public record MoveStatus(
    String domain,
    String from,
    String to,
    String state,
    int attempts,
    String error,
    long durationMillis,
    long downtimeMillis) {}
