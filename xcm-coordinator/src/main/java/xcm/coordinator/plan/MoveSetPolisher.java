package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deterministic pass after {@link MoveSetAnnealing}: for each moved domain in turn, the best of
 * three changes if it lowers score + minGain × moved domains: the domain goes elsewhere, goes home
 * (one move fewer), or goes home while another domain moves instead. Annealing draws its changes at
 * random, so the best state it saw can still hold a move that is not worth its gain, or one single
 * change that pays; this pass tries them all for every moved domain.
 *
 * <p>Not thread-safe; works on the placement it is given.
 */
final class MoveSetPolisher {
  private final Placement placement;
  private final LoadModel model;
  private final GreedyBalancer greedy;
  private final double minGain;

  MoveSetPolisher(Placement placement, LoadModel model, GreedyBalancer greedy, double minGain) {
    this.placement = placement;
    this.model = model;
    this.greedy = greedy;
    this.minGain = minGain;
  }

  /** Runs passes over the moved domains until one changes nothing or {@code maxRounds} ran. */
  void polish(int maxRounds) {
    for (int round = 0; round < maxRounds; round++) {
      boolean improved = false;
      for (int d : movedDomains()) {
        improved |= improve(d);
      }
      if (!improved) {
        break;
      }
    }
  }

  private List<Integer> movedDomains() {
    List<Integer> moved = new ArrayList<>();
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.moved(d)) {
        moved.add(d);
      }
    }
    return moved;
  }

  /** Applies the best of the three changes for one moved domain, if it lowers the objective. */
  private boolean improve(int d) {
    if (!placement.moved(d)) {
      return false;
    }
    double score = model.score();
    double threshold = 1e-9 * (1 + score);
    int at = placement.hostOf(d);
    int home = placement.originalHost(d);
    // Elsewhere, or home (which saves a move).
    int bestHost = -1;
    double bestDelta = -threshold;
    for (int to : candidates(home)) {
      if (to != at && placement.canRelocate(d, to)) {
        double delta = model.scoreIfMoved(d, at, to) - score - (to == home ? minGain : 0);
        if (delta < bestDelta) {
          bestDelta = delta;
          bestHost = to;
        }
      }
    }
    // Home, and another domain moved instead.
    int otherDomain = -1;
    int otherHost = -1;
    if (placement.canRelocate(d, home)) {
      greedy.relocate(d, home);
      double withoutD = model.score();
      if (greedy.findWide(withoutD, 0) && greedy.bestDomain() != d) {
        double delta = greedy.bestScore() - score;
        if (delta < bestDelta) {
          bestDelta = delta;
          otherDomain = greedy.bestDomain();
          otherHost = greedy.bestTo();
        }
      }
      greedy.relocate(d, at);
    }
    if (otherDomain >= 0) {
      greedy.relocate(d, home);
      greedy.relocate(otherDomain, otherHost);
      return true;
    }
    if (bestHost >= 0) {
      greedy.relocate(d, bestHost);
      return true;
    }
    return false;
  }

  /** The least loaded hosts of every ranking, and the domain's home. */
  private int[] candidates(int home) {
    int[] least = greedy.leastLoaded(greedy.wideFan());
    int[] withHome = Arrays.copyOf(least, least.length + 1);
    withHome[least.length] = home;
    return withHome;
  }
}
