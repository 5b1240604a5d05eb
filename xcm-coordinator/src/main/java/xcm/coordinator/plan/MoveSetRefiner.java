package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Improves a greedy plan: more balance for the same number of moves, or the same balance for fewer.
 *
 * <p>Greedy best-gain moves are myopic: a move that was best when chosen can be worth less than
 * another once later moves are made, and greedy stops in the first state where no single move pays.
 * The refiner searches the set of moved domains instead, minimising score + minGain × moved
 * domains: simulated annealing ({@link #anneal}) relocates moved domains and exchanges them for
 * unmoved ones, then a deterministic pass ({@link #refine}) sends home the moves that are not worth
 * their gain. The placement found is replayed from the snapshot by {@link #order}: each step takes
 * the allowed move that lowers the score most, and a move enters the plan only if it lowers the
 * score, so the plan stays monotone and every step obeys the constraints. Moves that cannot be
 * ordered so are searched again in the next round from the committed ones.
 *
 * <p>Deterministic: the annealing draws from a fixed seed. Not thread-safe; one use per instance.
 */
final class MoveSetRefiner {
  /** Start temperature, as a share of the mean score increase of a random worsening move. */
  private static final double START_TEMPERATURE = 0.3;

  /**
   * Annealing steps per greedy move, split over the rounds, and at most {@link
   * #MAX_ANNEAL_ITERATIONS} (about 0.1 s on one core).
   */
  private static final long ANNEAL_ITERATIONS_PER_MOVE = 20_000;

  private static final long MAX_ANNEAL_ITERATIONS = 1_000_000;

  private static final int ROUNDS = 3;
  private static final long ANNEAL_SEED = 0x5eed;

  private final Placement placement;
  private final LoadModel model;
  private final GreedyBalancer greedy;
  private final double minGain;

  MoveSetRefiner(Placement placement, LoadModel model, GreedyBalancer greedy, double minGain) {
    this.placement = placement;
    this.model = model;
    this.greedy = greedy;
    this.minGain = minGain;
  }

  /**
   * The greedy plan improved in rounds: each round replays the moves committed so far, continues
   * greedily, anneals the rest of the placement ({@link #anneal}), and commits the moves of the
   * result that can be ordered so that the score falls at every step ({@link #order}). Returns the
   * better of that and the greedy plan by score + minGain × moves.
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
      MoveSetRefiner refiner = new MoveSetRefiner(work, workModel, greedy, minGain);
      refiner.anneal(iterations / ROUNDS, ANNEAL_SEED + round);
      refiner.refine(2);
      int[] target = new int[work.domainCount()];
      for (int d = 0; d < target.length; d++) {
        target[d] = work.hostOf(d);
      }
      List<GreedyBalancer.Step> ordered =
          order(base, baseModel, target, maxMoves - committed.size());
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

  /**
   * Simulated annealing on score + minGain × moved domains: each step relocates a moved domain
   * (home, if it is not worth its move), exchanges it for an unmoved one, or moves one more; worse
   * states are accepted with a probability that falls to 0 over the run, which lets the search
   * leave the local optima where greedy stops. Ends in the best state seen. Pure: the random
   * choices come from the given seed.
   */
  void anneal(long iterations, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int hosts = placement.hostCount();
    int[] active =
        java.util.stream.IntStream.range(0, hosts).filter(placement::accepting).toArray();
    int[] movable =
        java.util.stream.IntStream.range(0, placement.domainCount())
            .filter(d -> placement.movable(d) || placement.moved(d) && !placement.held(d))
            .toArray();
    if (active.length < 2 || movable.length == 0) {
      return;
    }
    List<Integer> moved = movedDomains();
    moved.removeIf(placement::held);
    int[] movedList = new int[movable.length];
    int[] slot = new int[placement.domainCount()];
    int movedCount = 0;
    for (int d : moved) {
      slot[d] = movedCount;
      movedList[movedCount++] = d;
    }
    double score = model.score();
    double objective = score + minGain * movedCount;
    double best = objective;
    int[] bestHosts = snapshotHosts();
    double start = START_TEMPERATURE * typicalWorsening(movedList, movedCount, active, random);
    for (long it = 0; it < iterations; it++) {
      double temperature = start * (1 - (double) it / iterations);
      if (movedCount == 0) {
        break;
      }
      int kind = random.nextInt(2);
      if (kind == 0) {
        int d = movedList[random.nextInt(movedCount)];
        int to = active[random.nextInt(active.length)];
        if (to == placement.originalHost(d) || !placement.canRelocate(d, to)) {
          continue;
        }
        int from = placement.hostOf(d);
        boolean home = false;
        double s = model.scoreIfMoved(d, from, to);
        double next = s + minGain * (movedCount - (home ? 1 : 0));
        if (accept(next, objective, temperature, random)) {
          greedy.relocateUnranked(d, to);
          score = s;
          objective = next;
          if (home) {
            int last = movedList[--movedCount];
            movedList[slot[d]] = last;
            slot[last] = slot[d];
          }
        }
      } else {
        int e = movable[random.nextInt(movable.length)];
        if (placement.moved(e) || !placement.movable(e)) {
          continue;
        }
        int to = active[random.nextInt(active.length)];
        int d = kind == 1 ? movedList[random.nextInt(movedCount)] : -1;
        int dAt = -1;
        if (d >= 0) {
          dAt = placement.hostOf(d);
          if (!placement.canRelocate(d, placement.originalHost(d))) {
            continue;
          }
          greedy.relocateUnranked(d, placement.originalHost(d));
        }
        int eFrom = placement.hostOf(e);
        boolean ok = placement.canRelocate(e, to);
        double s = ok ? model.scoreIfMoved(e, eFrom, to) : 0;
        double next = s + minGain * (movedCount + (d >= 0 ? 0 : 1));
        if (ok && accept(next, objective, temperature, random)) {
          greedy.relocateUnranked(e, to);
          score = s;
          objective = next;
          if (d >= 0) {
            movedList[slot[d]] = e;
            slot[e] = slot[d];
          } else {
            slot[e] = movedCount;
            movedList[movedCount++] = e;
          }
        } else if (d >= 0) {
          greedy.relocateUnranked(d, dAt);
        }
      }
      if (objective < best - 1e-12 * (1 + best)) {
        best = objective;
        bestHosts = snapshotHosts();
      }
    }
    restore(bestHosts);
    greedy.rerank();
  }

  /**
   * The mean score increase of random relocations of moved domains that make things worse: the
   * scale of the landscape, so that the start temperature suits small and large clusters alike.
   */
  private double typicalWorsening(
      int[] movedList, int movedCount, int[] active, SplittableRandom random) {
    double score = model.score();
    double total = 0;
    int worse = 0;
    for (int i = 0; i < 400 && movedCount > 0; i++) {
      int d = movedList[random.nextInt(movedCount)];
      int to = active[random.nextInt(active.length)];
      if (placement.canRelocate(d, to)) {
        double delta = model.scoreIfMoved(d, placement.hostOf(d), to) - score;
        if (delta > 0) {
          total += delta;
          worse++;
        }
      }
    }
    return worse == 0 ? 0 : total / worse;
  }

  private static boolean accept(
      double next, double current, double temperature, SplittableRandom random) {
    return next < current
        || (temperature > 0 && random.nextDouble() < Math.exp((current - next) / temperature));
  }

  private int[] snapshotHosts() {
    int[] hosts = new int[placement.domainCount()];
    for (int d = 0; d < hosts.length; d++) {
      hosts[d] = placement.hostOf(d);
    }
    return hosts;
  }

  /** Puts every domain back where {@code hosts} says; domains leave before others arrive. */
  private void restore(int[] hosts) {
    // Two passes: first every changed domain goes home, then to its place, so memory and
    // anti-affinity never see a transient clash between two relocations.
    for (int d = 0; d < hosts.length; d++) {
      if (placement.hostOf(d) != hosts[d] && placement.hostOf(d) != placement.originalHost(d)) {
        greedy.relocateUnranked(d, placement.originalHost(d));
      }
    }
    for (int d = 0; d < hosts.length; d++) {
      if (placement.hostOf(d) != hosts[d]) {
        greedy.relocateUnranked(d, hosts[d]);
      }
    }
  }

  /** Runs improvement rounds until one changes nothing or the round limit; true if any did. */
  boolean refine(int maxRounds) {
    boolean changed = false;
    for (int round = 0; round < maxRounds; round++) {
      boolean improved = false;
      for (int d : movedDomains()) {
        improved |= improve(d);
      }
      changed |= improved;
      if (!improved) {
        break;
      }
    }
    return changed;
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

  private int[] candidates(int home) {
    int[] least = greedy.leastLoaded(greedy.wideFan());
    int[] withHome = java.util.Arrays.copyOf(least, least.length + 1);
    withHome[least.length] = home;
    return withHome;
  }

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
