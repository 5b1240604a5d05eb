package xcm.coordinator.plan;

/**
 * Replays a plan's moves on its snapshot and fails on the first one that breaks a placement
 * constraint: the guard that lets operators run plugin policies without trusting them.
 *
 * <pre>{@code
 * Placement after = PlanVerifier.replay(snapshot, plan, PlanOptions.defaults());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanVerifier {
  private PlanVerifier() {}

  /**
   * The placement after all moves. Throws {@link PlacementException} naming the move, e.g. {@code
   * move 3 (vm7 from h1 to h2) is not allowed: host h2 is MAINTENANCE, not ACTIVE}.
   */
  public static Placement replay(ClusterSnapshot snapshot, Plan plan, PlanOptions options) {
    Placement placement = new Placement(snapshot, options);
    int i = 0;
    for (Move move : plan.moves()) {
      i++;
      int d = placement.domainIndex(move.domain());
      int from = placement.hostIndex(move.from());
      int to = placement.hostIndex(move.to());
      String problem;
      if (d < 0) {
        problem = "domain " + move.domain() + " is not in the snapshot";
      } else if (from < 0 || to < 0) {
        problem = "host " + (from < 0 ? move.from() : move.to()) + " is not in the snapshot";
      } else if (placement.hostOf(d) != from) {
        problem = "the domain is on " + placement.hostName(placement.hostOf(d)) + " at that point";
      } else {
        problem = placement.refusal(d, to);
      }
      if (problem != null) {
        throw new PlacementException(
            "plan \""
                + plan.policy()
                + "\": move "
                + i
                + " ("
                + move.domain()
                + " from "
                + move.from()
                + " to "
                + move.to()
                + ") is not allowed: "
                + problem);
      }
      placement.move(d, to);
    }
    return placement;
  }
}
