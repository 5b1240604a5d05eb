package xcm.coordinator.plan;

/**
 * Settings every planner honours, whatever the policy. Immutable and thread-safe.
 *
 * @param cooldownSeconds a domain that migrated fewer seconds ago than this is not moved again, so
 *     consecutive plans cannot ping-pong it; 0 turns the cooldown off
 */
public record PlanOptions(long cooldownSeconds) {
  /** Ten minutes: longer than a collection round and a typical migration, short enough to heal. */
  public static final long DEFAULT_COOLDOWN_SECONDS = 600;

  public PlanOptions {
    if (cooldownSeconds < 0) {
      throw new IllegalArgumentException(
          "cooldownSeconds must not be negative, found: " + cooldownSeconds);
    }
  }

  /** The defaults: a cooldown of {@value #DEFAULT_COOLDOWN_SECONDS} seconds. */
  public static PlanOptions defaults() {
    return new PlanOptions(DEFAULT_COOLDOWN_SECONDS);
  }

  /** True if a domain last moved that many seconds ago is still cooling down. */
  boolean coolingDown(ClusterSnapshot.Domain domain) {
    return domain.lastMovedSecondsAgo().isPresent()
        && domain.lastMovedSecondsAgo().getAsLong() < cooldownSeconds;
  }
}
