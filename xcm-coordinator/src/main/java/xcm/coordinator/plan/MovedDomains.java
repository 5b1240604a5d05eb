package xcm.coordinator.plan;

/**
 * The domains one {@link MoveSetAnnealing} run has moved, in slots so that one can be drawn at
 * random, and the best set of moves the run has seen.
 *
 * <p>The best set is copied lazily: while the current state is the best one it is only marked, and
 * copied when a step is about to leave it for a worse one. Steps that try a change by relocating
 * domains first and deciding afterwards say so with {@link #pending}, so that a copy taken then
 * records where those domains were before the step.
 *
 * <p>Not thread-safe; one per annealing run.
 */
final class MovedDomains {
  private final Placement placement;
  private final GreedyBalancer greedy;
  // The domains moved by the search (not held), in slots 0..count-1.
  private final int[] list;
  private final int[] slot;
  private int count;
  // The best state seen, as the moved domains and their hosts; bestUncopied while the current
  // state is the best one and has not been copied yet.
  private int[] bestDomains;
  private int[] bestHosts;
  private int bestCount;
  private boolean bestUncopied;
  // Domains a step has moved tentatively, with the hosts they hold in the state before the step.
  private final int[] pendingDomain = {-1, -1};
  private final int[] pendingHost = new int[2];

  /** The domains among {@code free} that are already away from their snapshot host. */
  MovedDomains(Placement placement, GreedyBalancer greedy, int[] free) {
    this.placement = placement;
    this.greedy = greedy;
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

  int count() {
    return count;
  }

  /** The domain in slot {@code i}, {@code 0 <= i < count()}. */
  int get(int i) {
    return list[i];
  }

  void add(int d) {
    slot[d] = count;
    list[count++] = d;
  }

  /** Removes a domain that went home; the last slot fills its place. */
  void drop(int d) {
    int last = list[--count];
    list[slot[d]] = last;
    slot[last] = slot[d];
  }

  /** Domain {@code e} takes the slot of {@code d}, which went home. */
  void replace(int d, int e) {
    list[slot[d]] = e;
    slot[e] = slot[d];
  }

  /**
   * Marks up to two domains as moved tentatively by the step under way, with the hosts they held
   * before it; {@code -1} for no domain.
   */
  void pending(int d1, int h1, int d2, int h2) {
    pendingDomain[0] = d1;
    pendingHost[0] = h1;
    pendingDomain[1] = d2;
    pendingHost[1] = h2;
  }

  /** The current state is the best seen so far. */
  void currentIsBest() {
    bestUncopied = true;
  }

  /** The search leaves the current state for a worse one: keeps it if it is the best. */
  void leavingBest() {
    if (!bestUncopied) {
      return;
    }
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
    bestUncopied = false;
  }

  /**
   * Back to the best state: every domain the search moved goes home, then the best state's moves
   * are made again. Transient states may overfill a host; the end state is the one seen.
   */
  void restoreBest() {
    if (bestUncopied) {
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
