package xcm.coordinator.plan;

/**
 * A domain that a drain could not place, and why. Immutable and thread-safe.
 *
 * @param shortfallBytes memory missing for this domain on the best candidate host (the one with the
 *     most free memory that the other constraints allow), or 0 when memory is not the reason
 * @param cause why, as a value; {@code reason} says it in words
 */
public record Unplaced(
    String domain, long memoryBytes, long shortfallBytes, Cause cause, String reason) {

  /** Why a domain could not be placed. */
  public enum Cause {
    /** It may not move: pinned, or moved within the cooldown. */
    FIXED,
    /** There is no other ACTIVE host. */
    NO_HOST,
    /** Its hard placement rules exclude every other ACTIVE host. */
    RULES,
    /** No allowed host has the memory it needs, even alone. */
    MEMORY,
    /** It would fit alone, but no room is left once the others are placed. */
    CROWDED
  }
}
