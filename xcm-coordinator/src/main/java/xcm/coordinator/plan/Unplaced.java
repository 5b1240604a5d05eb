package xcm.coordinator.plan;

/**
 * A domain that a drain could not place, and why. Immutable and thread-safe.
 *
 * @param shortfallBytes memory missing for this domain on the best candidate host (the one with the
 *     most free memory that the other constraints allow), or 0 when memory is not the reason
 */
public record Unplaced(String domain, long memoryBytes, long shortfallBytes, String reason) {}
