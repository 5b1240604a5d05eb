package xcm.coordinator.plan;

import java.util.Map;

/**
 * The planners' front door: balance with a named policy, or drain a host. Every plan is replayed
 * through {@link PlanVerifier} before it is returned, so no policy, built in or plugged in, can
 * hand out a move that breaks a constraint.
 *
 * <pre>{@code
 * Planner planner = new Planner(BalancePolicies.installed(Planner.class.getClassLoader()));
 * Plan plan = planner.balance(snapshot, "weighted", Map.of("maxMoves", "50"), PlanOptions.defaults());
 * Plan drain = planner.drain(snapshot, "h3", DrainStrategy.BEST_FIT, PlanOptions.defaults());
 * }</pre>
 *
 * <p>Pure (no I/O, clock or threads) and thread-safe if its policies are.
 */
public final class Planner {
  private final BalancePolicies policies;

  public Planner(BalancePolicies policies) {
    this.policies = policies;
  }

  public BalancePolicies policies() {
    return policies;
  }

  /** A balance plan; bad policy names or parameters throw {@link PlanRequestException}. */
  public Plan balance(
      ClusterSnapshot snapshot,
      String policy,
      Map<String, String> parameters,
      PlanOptions options) {
    Plan plan =
        policies.get(policy).plan(snapshot, new PolicyParameters(policy, parameters), options);
    PlanVerifier.replay(snapshot, plan, options);
    return plan;
  }

  /** A drain plan with equal weights for spreading; see {@link DrainPlanner}. */
  public Plan drain(
      ClusterSnapshot snapshot, String host, DrainStrategy strategy, PlanOptions options) {
    Plan plan = DrainPlanner.plan(snapshot, host, strategy, Weights.EQUAL, options);
    PlanVerifier.replay(snapshot, plan, options);
    return plan;
  }
}
