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
 * domains: simulated annealing ({@link #anneal}) relocates moved domains, sends them home, adds
 * moves, replaces a moved domain by another from the same source (the same flow between two hosts
 * with a better-fitting vector) or from anywhere, and exchanges the destinations of two moves; then
 * a deterministic pass ({@link #refine}) sends home the moves that are not worth their gain. The
 * placement found is replayed from the snapshot by {@link #order}: each step takes the allowed move
 * that lowers the score most, and a move enters the plan only if it lowers the score, so the plan
 * stays monotone and every step obeys the constraints. Moves that cannot be ordered so are searched
 * again in the next round from the committed ones.
 *
 * <p>Deterministic: the annealing draws from a fixed seed. Not thread-safe; one use per instance.
 */
final class MoveSetRefiner {
  /** Start temperature, as a share of the score per moved domain. */
  private static final double START_TEMPERATURE = 0.5;

  /**
   * Annealing steps per greedy move, split over the rounds (4/7, 2/7, 1/7), and at most {@link
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
      // Halving budgets: the first round does most of the work; later ones only take up what
      // the ordering left out.
      long budget = iterations * (1L << (ROUNDS - 1 - round)) / ((1L << ROUNDS) - 1);
      refiner.anneal(budget, ANNEAL_SEED + round, maxMoves - committed.size());
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
   * Simulated annealing on score + minGain × moved domains, with at most {@code maxMoved} domains
   * moved by this search. Each step, drawn at random, changes the set of moves a little:
   *
   * <ul>
   *   <li>relocate a moved domain to another host;
   *   <li>send a moved domain home (one move fewer);
   *   <li>move one more domain;
   *   <li>replace a moved domain by an unmoved one from the same source host, to the same
   *       destination or another: the flow between the hosts stays and the vector carried changes,
   *       which is how a plan fits the excess of its sources and the room of its destinations;
   *   <li>replace a moved domain by any unmoved one;
   *   <li>exchange the destinations of two moved domains.
   * </ul>
   *
   * Worse states are accepted with a probability that falls to 0 over the run, which lets the
   * search leave the local optima where greedy stops. The temperature starts at a share of the
   * score per moved domain, the scale of what one move is worth. Ends in the best state seen. Pure:
   * the random choices come from the given seed.
   */
  void anneal(long iterations, long seed, int maxMoved) {
    new Annealing(new SplittableRandom(seed), maxMoved).run(iterations);
    greedy.rerank();
  }

  /** The state of one {@link #anneal} run. */
  private final class Annealing {
    private final SplittableRandom random;
    private final int maxMoved;
    private final int[] active;
    private final int[] free;
    // The domains moved by this search (not held), in slots 0..count-1.
    private final int[] list;
    private final int[] slot;
    private int count;
    private double objective;
    private double temperature;
    // The best state seen, as the moved domains and their hosts; bestStale while the current
    // state is the best one and has not been copied yet.
    private double best;
    private int[] bestDomains;
    private int[] bestHosts;
    private int bestCount;
    private boolean bestStale;
    // Domains a step has moved tentatively, with the hosts they hold in the state before the step.
    private final int[] pendingDomain = {-1, -1};
    private final int[] pendingHost = new int[2];

    Annealing(SplittableRandom random, int maxMoved) {
      this.random = random;
      this.maxMoved = maxMoved;
      active =
          java.util.stream.IntStream.range(0, placement.hostCount())
              .filter(placement::accepting)
              .toArray();
      free =
          java.util.stream.IntStream.range(0, placement.domainCount())
              .filter(d -> placement.holdsResources(d) && !placement.held(d))
              .toArray();
      list = new int[placement.domainCount()];
      slot = new int[placement.domainCount()];
      for (int d : free) {
        if (placement.moved(d)) {
          slot[d] = count;
          list[count++] = d;
        }
      }
      bestDomains = new int[count];
      bestHosts = new int[count];
    }

    void run(long iterations) {
      if (active.length < 2 || free.length == 0) {
        return;
      }
      double score = model.score();
      objective = score + minGain * count;
      best = objective;
      bestStale = true;
      int plan = count;
      for (int d = 0; d < placement.domainCount(); d++) {
        plan += placement.moved(d) && placement.held(d) ? 1 : 0;
      }
      double start = START_TEMPERATURE * score / Math.max(1, plan);
      for (long it = 0; it < iterations; it++) {
        temperature = start * (1 - (double) it / iterations);
        switch (random.nextInt(6)) {
          case 0 -> relocate();
          case 1 -> home();
          case 2 -> add();
          case 3 -> replace(true);
          case 4 -> replace(false);
          default -> exchange();
        }
        if (objective < best - 1e-12 * (1 + best)) {
          best = objective;
          bestStale = true;
        }
      }
      restoreBest();
    }

    private int anyMoved() {
      return list[random.nextInt(count)];
    }

    private int anyActive() {
      return active[random.nextInt(active.length)];
    }

    private void relocate() {
      if (count == 0) {
        return;
      }
      int d = anyMoved();
      int to = anyActive();
      if (to == placement.originalHost(d) || !placement.canRelocate(d, to)) {
        return;
      }
      double s = model.scoreIfMoved(d, placement.hostOf(d), to);
      if (accept(s, count)) {
        shift(d, to);
      }
    }

    private void home() {
      if (count == 0) {
        return;
      }
      int d = anyMoved();
      int home = placement.originalHost(d);
      if (!placement.canRelocate(d, home)) {
        return;
      }
      double s = model.scoreIfMoved(d, placement.hostOf(d), home);
      if (accept(s, count - 1)) {
        shift(d, home);
        drop(d);
      }
    }

    private void add() {
      if (count >= maxMoved) {
        return;
      }
      int e = free[random.nextInt(free.length)];
      int to = anyActive();
      if (placement.moved(e) || !placement.canRelocate(e, to)) {
        return;
      }
      double s = model.scoreIfMoved(e, placement.hostOf(e), to);
      if (accept(s, count + 1)) {
        shift(e, to);
        slot[e] = count;
        list[count++] = e;
      }
    }

    private void replace(boolean sameSource) {
      if (count == 0) {
        return;
      }
      int d = anyMoved();
      int home = placement.originalHost(d);
      int e;
      if (sameSource) {
        int n = placement.domainsOn(home);
        if (n == 0) {
          return;
        }
        e = placement.domainOn(home, random.nextInt(n));
      } else {
        e = free[random.nextInt(free.length)];
      }
      if (e == d || placement.moved(e) || placement.held(e)) {
        return;
      }
      int at = placement.hostOf(d);
      if (!placement.canRelocate(d, home)) {
        return;
      }
      greedy.relocateUnranked(d, home);
      int to = random.nextBoolean() ? at : anyActive();
      if (placement.canRelocate(e, to)) {
        double s = model.scoreIfMoved(e, placement.hostOf(e), to);
        pending(d, at, -1, 0);
        boolean accepted = accept(s, count);
        pending(-1, 0, -1, 0);
        if (accepted) {
          shift(e, to);
          list[slot[d]] = e;
          slot[e] = slot[d];
          return;
        }
      }
      greedy.relocateUnranked(d, at);
    }

    private void exchange() {
      if (count < 2) {
        return;
      }
      int d1 = anyMoved();
      int d2 = anyMoved();
      int b1 = placement.hostOf(d1);
      int b2 = placement.hostOf(d2);
      int a1 = placement.originalHost(d1);
      if (b1 == b2 || a1 == b2 || placement.originalHost(d2) == b1) {
        return;
      }
      // d1 steps home for a moment so that d2 can take its place, then goes to d2's.
      if (!placement.canRelocate(d1, a1)) {
        return;
      }
      greedy.relocateUnranked(d1, a1);
      if (placement.canRelocate(d2, b1)) {
        greedy.relocateUnranked(d2, b1);
        if (placement.canRelocate(d1, b2)) {
          double s = model.scoreIfMoved(d1, a1, b2);
          pending(d1, b1, d2, b2);
          boolean accepted = accept(s, count);
          pending(-1, 0, -1, 0);
          if (accepted) {
            shift(d1, b2);
            return;
          }
        }
        greedy.relocateUnranked(d2, b2);
      }
      greedy.relocateUnranked(d1, b1);
    }

    /** Metropolis: better always, worse with a probability that falls with the loss. */
    private boolean accept(double nextScore, int nextCount) {
      double next = nextScore + minGain * nextCount;
      if (next < objective
          || (temperature > 0
              && random.nextDouble() < Math.exp((objective - next) / temperature))) {
        if (bestStale && next > best) {
          saveBest();
        }
        objective = next;
        return true;
      }
      return false;
    }

    private void pending(int d1, int h1, int d2, int h2) {
      pendingDomain[0] = d1;
      pendingHost[0] = h1;
      pendingDomain[1] = d2;
      pendingHost[1] = h2;
    }

    private void shift(int d, int to) {
      greedy.relocateUnranked(d, to);
    }

    private void drop(int d) {
      int last = list[--count];
      list[slot[d]] = last;
      slot[last] = slot[d];
    }

    private void saveBest() {
      if (bestDomains.length < count) {
        bestDomains = new int[list.length];
        bestHosts = new int[list.length];
      }
      for (int i = 0; i < count; i++) {
        int d = list[i];
        bestDomains[i] = d;
        bestHosts[i] =
            d == pendingDomain[0]
                ? pendingHost[0]
                : d == pendingDomain[1] ? pendingHost[1] : placement.hostOf(d);
      }
      bestCount = count;
      bestStale = false;
    }

    /**
     * Back to the best state: every domain this search moved goes home, then the best state's moves
     * are made again. Transient states may overfill a host; the end state is the one seen.
     */
    private void restoreBest() {
      if (bestStale) {
        return;
      }
      for (int i = 0; i < count; i++) {
        greedy.relocateUnranked(list[i], placement.originalHost(list[i]));
      }
      for (int i = 0; i < bestCount; i++) {
        greedy.relocateUnranked(bestDomains[i], bestHosts[i]);
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
