package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;

class MoveLowerBoundTest {

  @Test
  void theBoundNeverExceedsTheFewestMovesFoundByExhaustiveSearch() {
    SplittableRandom random = new SplittableRandom(17);
    int exact = 0;
    int aboveOne = 0;
    int severalMoves = 0;
    int checked = 0;
    for (int run = 0; run < 1500; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(4, 6));
      // The bound is on balance; soft rules are weighed at 0 here, so scores are balance alone.
      Weights weights = new Weights(random.nextInt(3), 1 + random.nextInt(2), random.nextInt(3), 0);
      PlanOptions options = PlanOptions.defaults();
      double[] fewest = bestScoreByMoves(snapshot, weights, options);

      Placement placement = new Placement(snapshot, options);
      LoadModel model = new LoadModel(placement, weights, LoadModel.activeHosts(placement));
      boolean[] movable = new boolean[placement.domainCount()];
      for (int d = 0; d < movable.length; d++) {
        movable[d] = placement.movable(d) && placement.accepting(placement.hostOf(d));
      }
      MoveLowerBound bound = MoveLowerBound.from(model, placement, weights, movable);
      // Every score that k moves can reach must be declared reachable in at most k moves.
      for (int k = 0; k < fewest.length; k++) {
        assertThat(bound.movesToReach(fewest[k])).as("run %d, k %d", run, k).isLessThanOrEqualTo(k);
      }

      Plan plan =
          new WeightedPolicy()
              .plan(
                  snapshot,
                  new PolicyParameters(
                      "weighted",
                      Map.of(
                          "memory", fmt(weights.memory()),
                          "cpu", fmt(weights.cpu()),
                          "vcpu", fmt(weights.vcpu()),
                          "soft", "0")),
                  options);
      int truth = 0;
      while (fewest[truth] > plan.finalScore() + 1e-12) {
        truth++;
      }
      assertThat(plan.lowerBound()).as("run %d", run).isLessThanOrEqualTo(truth);
      checked++;
      exact += plan.lowerBound() == truth ? 1 : 0;
      if (truth > 1) {
        severalMoves++;
        aboveOne += plan.lowerBound() > 1 ? 1 : 0;
      }
    }
    System.out.printf(
        "lower bound: exact in %d of %d plans; above 1 in %d of the %d that need more than 1%n",
        exact, checked, aboveOne, severalMoves);
    // Not a bound that says 0 or 1 whatever happens: it is mostly exact, and above 1 in a good
    // share of the plans that need several moves (hosts here differ up to 16-fold in size,
    // which the bound must assume the worst of).
    assertThat(exact).isGreaterThan(checked / 2);
    assertThat(aboveOne).isGreaterThan(severalMoves / 4);
  }

  @Test
  void theVarianceFloorCutsTheTopAndRaisesTheBottomWithinTheirBudgets() {
    double[] values = {0, 0, 1, 3};
    // No budget: the variance itself. Mean 1, squared deviations 1 + 1 + 0 + 4 -> 6/4.
    assertThat(MoveLowerBound.minVariance(values, 0, 0)).isCloseTo(1.5, within());
    // Cut 3 down to 1, nothing raised: {0, 0, 1, 1} -> 0.25.
    assertThat(MoveLowerBound.minVariance(values, 2, 0)).isCloseTo(0.25, within());
    // Cut 3 down to 1 and raise both zeros to 1: all equal.
    assertThat(MoveLowerBound.minVariance(values, 2, 2)).isZero();
    // Raise the zeros to 0.5 only: {0.5, 0.5, 1, 3}, mean 1.25, variance 4.25 / 4.
    assertThat(MoveLowerBound.minVariance(values, 0, 1)).isCloseTo(1.0625, within());
  }

  /**
   * The lowest weighted score reachable with at most k moves, k = 0..movable domains, by trying
   * every placement of the movable domains on the ACTIVE hosts. Memory and anti-affinity are left
   * out, which only lowers the scores and so makes the check stricter.
   */
  private static double[] bestScoreByMoves(
      ClusterSnapshot snapshot, Weights weights, PlanOptions options) {
    List<String> active =
        snapshot.hosts().stream()
            .filter(h -> h.state() == HostState.ACTIVE)
            .map(ClusterSnapshot.Host::name)
            .toList();
    Set<String> activeSet = Set.copyOf(active);
    List<ClusterSnapshot.Domain> movable = new ArrayList<>();
    Map<String, String> hostOf = new HashMap<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      hostOf.put(d.name(), d.host());
      if (d.state().isActive()
          && !d.stays()
          && !options.coolingDown(d)
          && activeSet.contains(d.host())) {
        movable.add(d);
      }
    }
    double[] best = new double[movable.size() + 1];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    if (active.isEmpty()) {
      Arrays.fill(best, 0);
      return best;
    }
    int[] choice = new int[movable.size()];
    long total = (long) Math.pow(active.size(), movable.size());
    for (long code = 0; code < total; code++) {
      long c = code;
      int moves = 0;
      for (int i = 0; i < choice.length; i++) {
        String to = active.get((int) (c % active.size()));
        c /= active.size();
        hostOf.put(movable.get(i).name(), to);
        moves += to.equals(movable.get(i).host()) ? 0 : 1;
      }
      double score = ConstraintOracle.weightedScore(snapshot, hostOf, weights, Set.of());
      best[moves] = Math.min(best[moves], score);
    }
    for (int k = 1; k < best.length; k++) {
      best[k] = Math.min(best[k], best[k - 1]);
    }
    return best;
  }

  private static String fmt(double w) {
    return Double.toString(w);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
