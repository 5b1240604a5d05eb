package xcm.mbeans;

/**
 * One move of an operation as the migration queue runs it.
 *
 * @param state where the move stands
 * @param attempts migrations tried (a failed one is retried up to the configured count)
 * @param error the last failure's reason, empty if none
 * @param durationMillis from dispatch to verified end; -1 until it ended
 * @param downtimeMillis time the domain ran nowhere, as the source agent measured it; -1 if unknown
 * @param migrationMillis libvirt's own duration of a live migration's job; -1 for a hand-over
 * @param dataTransferredBytes what libvirt's live migration sent; -1 for a hand-over
 */
public record MoveStatus(
    String domain,
    String from,
    String to,
    MoveState state,
    int attempts,
    String error,
    long durationMillis,
    long downtimeMillis,
    long migrationMillis,
    long dataTransferredBytes) {}
