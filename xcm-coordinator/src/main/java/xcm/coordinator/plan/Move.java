package xcm.coordinator.plan;

/**
 * One live migration of a plan, with the policy's score just before and just after it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param reason why the planner chose it, for people reading the plan
 */
public record Move(
    String domain, String from, String to, double scoreBefore, double scoreAfter, String reason) {}
