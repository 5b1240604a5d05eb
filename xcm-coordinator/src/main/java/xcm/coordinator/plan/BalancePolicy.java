package xcm.coordinator.plan;

/**
 * A balance policy: turns a cluster snapshot into a plan of live migrations. The built-in {@code
 * domain-count} and {@code weighted} policies implement it, and so can an operator's own: put the
 * class in a jar with a {@code META-INF/services/xcm.coordinator.plan.BalancePolicy} file naming
 * it, add the jar to the coordinator's class path, and {@link BalancePolicies#installed} finds it
 * through {@link java.util.ServiceLoader}. docs/planning.md walks through one.
 *
 * <pre>{@code
 * public final class FewestMovesFirst implements BalancePolicy {
 *   public String name() { return "fewest-moves"; }
 *   public String description() { return "Moves only from hosts above 90% memory"; }
 *   public Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options) {
 *     double limit = parameters.number("limit", 0.9, 0, 1);
 *     parameters.rejectOthers();
 *     Placement placement = new Placement(snapshot, options);
 *     ... placement.canMove(d, h) ... placement.move(d, h) ...
 *   }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #plan} is a pure function of its arguments (no I/O, clock, threads or static
 * mutable state). Its moves must pass {@link Placement#refusal} one after the other; {@link
 * Planner} replays every plan and rejects one that breaks a constraint. Implementations must be
 * thread-safe (stateless), with a public no-argument constructor.
 */
public interface BalancePolicy {
  /** The name operators choose it by, e.g. {@code weighted}; lower case and dashes. */
  String name();

  /** One line for listings. */
  String description();

  /**
   * Plans a balance. Throws {@link PlanRequestException} for bad parameters (via {@link
   * PolicyParameters}).
   */
  Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options);
}
