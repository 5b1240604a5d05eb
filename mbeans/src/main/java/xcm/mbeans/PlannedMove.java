package xcm.mbeans;

/** One move of a plan, with the policy's score before and after it and the planner's reason. */
public record PlannedMove(
    String domain, String from, String to, double scoreBefore, double scoreAfter, String reason) {}
