package xcm.coordinator.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    List<Move> moves = plan.moves();
    for (int index = 0; index < moves.size(); index++) {
      Move move = moves.get(index);
      int i = index + 1;
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
        int[] group = groupMoving(placement, moves, index, d);
        if (group != null) {
          problem = placement.groupRefusal(group, to);
          if (problem == null) {
            for (int member : group) {
              placement.move(member, to);
            }
            index += group.length - 1;
            continue;
          }
        } else {
          problem = placement.refusal(d, to);
        }
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

  /**
   * The domain with the companions its hard together rules bind it to, when the moves that follow
   * it take exactly those companions from the same host to the same host; else null.
   */
  private static int[] groupMoving(Placement placement, List<Move> moves, int index, int d) {
    int[] companions = placement.rules().companions(d, placement);
    if (companions.length == 0 || index + companions.length >= moves.size()) {
      return null;
    }
    Move first = moves.get(index);
    Set<Integer> expected = new HashSet<>();
    for (int c : companions) {
      expected.add(c);
    }
    int[] group = new int[companions.length + 1];
    group[0] = d;
    for (int k = 1; k <= companions.length; k++) {
      Move next = moves.get(index + k);
      int c = placement.domainIndex(next.domain());
      if (!next.from().equals(first.from())
          || !next.to().equals(first.to())
          || !expected.remove(c)) {
        return null;
      }
      group[k] = c;
    }
    return group;
  }
}
