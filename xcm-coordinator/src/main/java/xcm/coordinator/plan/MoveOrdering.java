package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a target placement into a plan: the moves from the snapshot to the target, in an order
 * where each is allowed when it runs and lowers the score. A search such as {@link
 * MoveSetAnnealing} relocates domains freely and may pass through states that break a constraint or
 * raise the score; only a plan built here runs move by move on a live cluster.
 *
 * <p>Stateless and thread-safe; the placement and model passed in are changed.
 */
final class MoveOrdering {
  private MoveOrdering() {}

  /**
   * The moves from the snapshot to the target placement (domain d to {@code target[d]}), ordered so
   * that each is allowed when it runs and lowers the score, best first. Moves that cannot be placed
   * so are left out; the steps are played on {@code fresh} and {@code freshModel}.
   */
  static List<GreedyBalancer.Step> order(
      Placement fresh, LoadModel freshModel, int[] target, int maxMoves) {
    List<Integer> pending = new ArrayList<>();
    for (int d = 0; d < target.length; d++) {
      if (target[d] != fresh.hostOf(d)) {
        pending.add(d);
      }
    }
    List<GreedyBalancer.Step> steps = new ArrayList<>();
    double score = freshModel.score();
    while (!pending.isEmpty() && steps.size() < maxMoves) {
      int bestIndex = -1;
      double bestScore = score - WeightedPolicy.MIN_GAIN_FLOOR * (1 + score);
      for (int i = 0; i < pending.size(); i++) {
        int d = pending.get(i);
        if (fresh.canMove(d, target[d])) {
          double s = freshModel.scoreIfMoved(d, fresh.hostOf(d), target[d]);
          if (s < bestScore) {
            bestScore = s;
            bestIndex = i;
          }
        }
      }
      if (bestIndex < 0) {
        break;
      }
      int d = pending.remove(bestIndex);
      int from = fresh.hostOf(d);
      fresh.move(d, target[d]);
      freshModel.apply(d, from, target[d]);
      double after = freshModel.score();
      steps.add(new GreedyBalancer.Step(d, from, target[d], score, after));
      score = after;
    }
    return steps;
  }
}
