package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Improves a greedy plan: more balance for the same number of moves, or the same balance for fewer.
 *
 * <p>Greedy best-gain moves are myopic: a move that was best when chosen can be worth less than
 * another once later moves are made, and greedy stops in the first state where no single move pays.
 * The refiner searches the set of moved domains instead, minimising score + minGain × moved
 * domains, in rounds of three steps:
 *
 * <ol>
 *   <li>{@link MoveSetAnnealing} changes the set of moves at random, accepting worse sets less and
 *       less often, and ends in the best set seen;
 *   <li>{@link MoveSetPolisher} then sends home, or elsewhere, the moves that are not worth their
 *       gain;
 *   <li>{@link MoveOrdering} replays the placement found from the snapshot: each step takes the
 *       allowed move that lowers the score most, and a move enters the plan only if it lowers the
 *       score, so the plan stays monotone and every step obeys the constraints.
 * </ol>
 *
 * Moves that cannot be ordered so are searched again in the next round from the committed ones.
 *
 * <p>Deterministic: the annealing draws from a fixed seed. Stateless and thread-safe.
 */
final class MoveSetRefiner {
  /**
   * Annealing steps per greedy move, split over the rounds (4/7, 2/7, 1/7), and at most {@link
   * #MAX_ANNEAL_ITERATIONS} (about 0.1 s on one core).
   */
  private static final long ANNEAL_ITERATIONS_PER_MOVE = 20_000;

  private static final long MAX_ANNEAL_ITERATIONS = 1_000_000;

  private static final int ROUNDS = 3;
  private static final long ANNEAL_SEED = 0x5eed;

  /** Rounds of the polishing pass after each annealing. */
  private static final int POLISH_ROUNDS = 2;

  private MoveSetRefiner() {}

  /**
   * The greedy plan improved in rounds: each round replays the moves committed so far, continues
   * greedily, anneals and polishes the rest of the placement, and commits the moves of the result
   * that can be ordered so that the score falls at every step. Returns the better of that and the
   * greedy plan by score + minGain × moves.
   */
  static List<GreedyBalancer.Step> improve(
      ClusterSnapshot snapshot,
      PlanOptions options,
      Weights weights,
      double minGain,
      int maxMoves,
      List<GreedyBalancer.Step> greedySteps,
      int narrowFan,
      int wideFan) {
    Placement base = frozenOffActive(new Placement(snapshot, options));
    LoadModel baseModel = new LoadModel(base, weights, LoadModel.activeHosts(base));
    double initial = baseModel.score();
    List<GreedyBalancer.Step> committed = new ArrayList<>();
    long iterations =
        Math.min(MAX_ANNEAL_ITERATIONS, ANNEAL_ITERATIONS_PER_MOVE * greedySteps.size());
    for (int round = 0; round < ROUNDS && committed.size() < maxMoves; round++) {
      Placement work = frozenOffActive(new Placement(snapshot, options));
      LoadModel workModel = new LoadModel(work, weights, LoadModel.activeHosts(work));
      for (GreedyBalancer.Step step : committed) {
        work.move(step.domain(), step.to());
        workModel.apply(step.domain(), step.from(), step.to());
        work.hold(step.domain());
      }
      GreedyBalancer greedy = new GreedyBalancer(work, workModel, weights, narrowFan, wideFan);
      greedy.run(minGain, maxMoves - committed.size());
      // Halving budgets: the first round does most of the work; later ones only take up what
      // the ordering left out.
      long budget = iterations * (1L << (ROUNDS - 1 - round)) / ((1L << ROUNDS) - 1);
      MoveSetAnnealing.anneal(
          work,
          workModel,
          greedy,
          minGain,
          budget,
          ANNEAL_SEED + round,
          maxMoves - committed.size());
      new MoveSetPolisher(work, workModel, greedy, minGain).polish(POLISH_ROUNDS);
      int[] target = new int[work.domainCount()];
      for (int d = 0; d < target.length; d++) {
        target[d] = work.hostOf(d);
      }
      List<GreedyBalancer.Step> ordered =
          MoveOrdering.order(base, baseModel, target, maxMoves - committed.size());
      if (ordered.isEmpty()) {
        break;
      }
      committed.addAll(ordered);
    }
    double greedyEnd = end(greedySteps, initial);
    double refinedEnd = end(committed, initial);
    return refinedEnd + minGain * committed.size()
            < greedyEnd + minGain * greedySteps.size() - 1e-12 * (1 + initial)
        ? committed
        : greedySteps;
  }

  private static double end(List<GreedyBalancer.Step> steps, double initial) {
    return steps.isEmpty() ? initial : steps.get(steps.size() - 1).scoreAfter();
  }

  /** Domains on hosts that are not ACTIVE stay put during a balance. */
  private static Placement frozenOffActive(Placement placement) {
    for (int d = 0; d < placement.domainCount(); d++) {
      if (!placement.accepting(placement.hostOf(d)) && placement.movable(d)) {
        placement.hold(d);
      }
    }
    return placement;
  }
}
