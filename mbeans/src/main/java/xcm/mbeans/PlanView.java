package xcm.mbeans;

import java.util.List;

/**
 * A balance or drain plan as the coordinator shows it ({@code planBalance}, and attribute {@code
 * Plan} of an operation).
 *
 * @param policy the policy or drain strategy, e.g. {@code weighted}, {@code drain:best-fit}
 * @param lowerBound no plan reaches {@code finalScore} in fewer moves; equal to the number of moves
 *     when the plan is minimal
 * @param targetReached false when constraints kept the policy from its target ({@code notes} say
 *     why)
 */
public record PlanView(
    String policy,
    String scoreName,
    double initialScore,
    double finalScore,
    int lowerBound,
    boolean targetReached,
    List<PlannedMove> moves,
    List<String> notes) {}
