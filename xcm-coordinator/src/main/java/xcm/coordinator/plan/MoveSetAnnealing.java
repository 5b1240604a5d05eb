package xcm.coordinator.plan;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Simulated annealing on score + minGain × moved domains, with at most {@code maxMoved} domains
 * moved by the search. Each step, drawn at random, changes the set of moves a little:
 *
 * <ul>
 *   <li>relocate a moved domain to another host;
 *   <li>send a moved domain home (one move fewer);
 *   <li>move one more domain;
 *   <li>replace a moved domain by an unmoved one from the same source host, to the same destination
 *       or another: the flow between the hosts stays and the vector carried changes, which is how a
 *       plan fits the excess of its sources and the room of its destinations;
 *   <li>replace a moved domain by any unmoved one;
 *   <li>exchange the destinations of two moved domains.
 * </ul>
 *
 * Worse states are accepted with a probability that falls to 0 over the run, which lets the search
 * leave the local optima where greedy stops. The temperature starts at a share of the score per
 * moved domain, the scale of what one move is worth. Ends in the best state seen ({@link
 * MovedDomains}). Pure: the random choices come from the given seed.
 *
 * <p>Not thread-safe; one run per instance.
 */
final class MoveSetAnnealing {
  /** Start temperature, as a share of the score per moved domain. */
  private static final double START_TEMPERATURE = 0.5;

  private final Placement placement;
  private final LoadModel model;
  private final GreedyBalancer greedy;
  private final double minGain;
  private final SplittableRandom random;
  private final int maxMoved;
  private final int[] active;
  private final int[] free;
  private final MovedDomains moved;
  private double objective;
  private double temperature;
  private double best;

  private MoveSetAnnealing(
      Placement placement,
      LoadModel model,
      GreedyBalancer greedy,
      double minGain,
      SplittableRandom random,
      int maxMoved) {
    this.placement = placement;
    this.model = model;
    this.greedy = greedy;
    this.minGain = minGain;
    this.random = random;
    this.maxMoved = maxMoved;
    active = IntStream.range(0, placement.hostCount()).filter(placement::accepting).toArray();
    free =
        IntStream.range(0, placement.domainCount())
            .filter(d -> placement.holdsResources(d) && !placement.held(d))
            .toArray();
    moved = new MovedDomains(placement, greedy, free);
  }

  /**
   * Anneals the placement for {@code iterations} steps drawn from {@code seed}, through {@code
   * greedy} so that placement and model stay in step, and leaves it in the best state seen with the
   * greedy balancer's rankings rebuilt.
   */
  static void anneal(
      Placement placement,
      LoadModel model,
      GreedyBalancer greedy,
      double minGain,
      long iterations,
      long seed,
      int maxMoved) {
    new MoveSetAnnealing(placement, model, greedy, minGain, new SplittableRandom(seed), maxMoved)
        .run(iterations);
    greedy.rerank();
  }

  private void run(long iterations) {
    if (active.length < 2 || free.length == 0) {
      return;
    }
    double score = model.score();
    objective = score + minGain * moved.count();
    best = objective;
    moved.currentIsBest();
    int plan = moved.count();
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
        moved.currentIsBest();
      }
    }
    moved.restoreBest();
  }

  private int anyMoved() {
    return moved.get(random.nextInt(moved.count()));
  }

  private int anyActive() {
    return active[random.nextInt(active.length)];
  }

  private void relocate() {
    if (moved.count() == 0) {
      return;
    }
    int d = anyMoved();
    int to = anyActive();
    if (to == placement.originalHost(d) || !placement.canRelocate(d, to)) {
      return;
    }
    double s = model.scoreIfMoved(d, placement.hostOf(d), to);
    if (accept(s, moved.count())) {
      greedy.relocateUnranked(d, to);
    }
  }

  private void home() {
    if (moved.count() == 0) {
      return;
    }
    int d = anyMoved();
    int home = placement.originalHost(d);
    if (!placement.canRelocate(d, home)) {
      return;
    }
    double s = model.scoreIfMoved(d, placement.hostOf(d), home);
    if (accept(s, moved.count() - 1)) {
      greedy.relocateUnranked(d, home);
      moved.drop(d);
    }
  }

  private void add() {
    if (moved.count() >= maxMoved) {
      return;
    }
    int e = free[random.nextInt(free.length)];
    int to = anyActive();
    if (placement.moved(e) || !placement.canRelocate(e, to)) {
      return;
    }
    double s = model.scoreIfMoved(e, placement.hostOf(e), to);
    if (accept(s, moved.count() + 1)) {
      greedy.relocateUnranked(e, to);
      moved.add(e);
    }
  }

  private void replace(boolean sameSource) {
    if (moved.count() == 0) {
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
      moved.pending(d, at, -1, 0);
      boolean accepted = accept(s, moved.count());
      moved.pending(-1, 0, -1, 0);
      if (accepted) {
        greedy.relocateUnranked(e, to);
        moved.replace(d, e);
        return;
      }
    }
    greedy.relocateUnranked(d, at);
  }

  private void exchange() {
    if (moved.count() < 2) {
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
        moved.pending(d1, b1, d2, b2);
        boolean accepted = accept(s, moved.count());
        moved.pending(-1, 0, -1, 0);
        if (accepted) {
          greedy.relocateUnranked(d1, b2);
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
        || (temperature > 0 && random.nextDouble() < Math.exp((objective - next) / temperature))) {
      if (next > best) {
        moved.leavingBest();
      }
      objective = next;
      return true;
    }
    return false;
  }
}
