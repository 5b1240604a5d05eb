package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  /**
   * A balance plan: first the moves that mend broken hard placement rules ({@link RuleRepair}),
   * then the policy's, planned with each hard together group as one domain ({@link Gangs}). The
   * plan's scores are the policy's, taken after the mending moves. Bad policy names or parameters
   * throw {@link PlanRequestException}.
   */
  public Plan balance(
      ClusterSnapshot snapshot,
      String policy,
      Map<String, String> parameters,
      PlanOptions options) {
    BalancePolicy chosen = policies.get(policy);
    PolicyParameters checked = new PolicyParameters(policy, parameters);
    RuleRepair.Outcome repair = RuleRepair.plan(snapshot, options);
    ClusterSnapshot mended = afterRepair(snapshot, repair.moves());
    Gangs gangs = Gangs.of(mended);
    Plan balanced = gangs.expand(chosen.plan(gangs.collapsed(), checked, options));
    Plan plan = repair.moves().isEmpty() ? balanced : withRepair(repair, balanced);
    PlanVerifier.replay(snapshot, plan, options);
    return plan;
  }

  /**
   * Only the moves that mend broken hard placement rules ({@link RuleRepair}), scored as nothing:
   * what a balance does first, for callers that must treat those moves apart (the continuous
   * balancer makes them whatever its threshold).
   */
  public Plan mend(ClusterSnapshot snapshot, PlanOptions options) {
    RuleRepair.Outcome repair = RuleRepair.plan(snapshot, options);
    Plan plan =
        new Plan(
            "mend",
            "hard-rules-broken",
            repair.moves(),
            0,
            0,
            repair.minimal() ? repair.moves().size() : 0,
            true,
            repair.notes());
    PlanVerifier.replay(snapshot, plan, options);
    return plan;
  }

  /** A drain plan with equal weights for spreading; see {@link DrainPlanner}. */
  public Plan drain(
      ClusterSnapshot snapshot, String host, DrainStrategy strategy, PlanOptions options) {
    Gangs gangs = Gangs.of(snapshot);
    Plan drain;
    try {
      drain =
          gangs.expand(
              DrainPlanner.plan(gangs.collapsed(), host, strategy, Weights.EQUAL, options));
    } catch (PlacementException e) {
      throw gangs.expand(e, host);
    }
    // Every domain on the host must leave: each move of the plan is needed.
    Plan plan =
        new Plan(
            drain.policy(),
            drain.scoreName(),
            drain.moves(),
            drain.initialScore(),
            drain.finalScore(),
            drain.moves().size(),
            drain.targetReached(),
            drain.notes());
    PlanVerifier.replay(snapshot, plan, options);
    return plan;
  }

  /** The snapshot once the mending moves ran; the domains they moved stay for the rest. */
  private static ClusterSnapshot afterRepair(ClusterSnapshot snapshot, List<Move> moves) {
    if (moves.isEmpty()) {
      return snapshot;
    }
    Map<String, String> to = new HashMap<>();
    moves.forEach(m -> to.put(m.domain(), m.to()));
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain domain : snapshot.domains()) {
      String host = to.get(domain.name());
      domains.add(host == null ? domain : domain.withHost(host).withPinned(true));
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }

  /**
   * The mending moves, then the policy's. Any plan reaching the policy's final score from the
   * snapshot needs at least the policy's bound less the mending moves (the bound counts domains
   * that move, and the mended placement is that many moves away), and, when the search proved them
   * fewest, as many moves as the mending.
   */
  private static Plan withRepair(RuleRepair.Outcome repair, Plan balanced) {
    List<Move> moves = new ArrayList<>();
    for (Move move : repair.moves()) {
      moves.add(
          new Move(
              move.domain(),
              move.from(),
              move.to(),
              balanced.initialScore(),
              balanced.initialScore(),
              move.reason()));
    }
    moves.addAll(balanced.moves());
    List<String> notes = new ArrayList<>(repair.notes());
    notes.addAll(balanced.notes());
    int bound =
        Math.max(
            Math.max(0, balanced.lowerBound() - repair.moves().size()),
            repair.minimal() ? repair.moves().size() : 0);
    return new Plan(
        balanced.policy(),
        balanced.scoreName(),
        moves,
        balanced.initialScore(),
        balanced.finalScore(),
        bound,
        balanced.targetReached(),
        notes);
  }
}
