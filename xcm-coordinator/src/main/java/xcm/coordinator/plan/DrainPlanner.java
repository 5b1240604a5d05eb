package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Plans the evacuation of one host: every resource-holding domain on it moves to another ACTIVE
 * host under the placement constraints, or the drain is refused with each domain that fits nowhere
 * named, with its memory shortfall.
 *
 * <p>The chosen strategy places the domains first; if it leaves some out, a tight best-fit by
 * memory tries again, and then a bounded exhaustive search ({@value #SEARCH_LIMIT} steps; complete
 * for small drains). Only when all three fail is the drain refused. Shut-off domains stay defined
 * on the host and are listed in the plan's notes; pinned and cooling-down domains cannot leave, so
 * a host that holds any is refused (pass a cooldown of 0 to drain regardless of recent moves).
 *
 * <pre>{@code
 * Plan plan = DrainPlanner.plan(snapshot, "h3", DrainStrategy.BEST_FIT, Weights.EQUAL,
 *     PlanOptions.defaults());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DrainPlanner {
  static final int SEARCH_LIMIT = 200_000;
  private static final int SEARCH_WORK = 50_000_000;
  private static final int SEARCH_BRANCHES = 48;
  static final String SCORE = WeightedPolicy.SCORE;

  private DrainPlanner() {}

  /**
   * The plan that empties {@code host}. Throws {@link PlanRequestException} if the host is not
   * listed and {@link PlacementException} (with {@link PlacementException#unplaced()}) if its
   * domains cannot all be placed.
   */
  public static Plan plan(
      ClusterSnapshot snapshot,
      String host,
      DrainStrategy strategy,
      Weights weights,
      PlanOptions options) {
    Placement initial = new Placement(snapshot, options);
    int drained = initial.hostIndex(host);
    if (drained < 0) {
      throw new PlanRequestException("host \"" + host + "\" is not listed in the snapshot");
    }
    int[] leaving = initial.domainsOnHost(drained);
    Integer[] order = new Integer[leaving.length];
    for (int i = 0; i < leaving.length; i++) {
      order[i] = leaving[i];
    }
    // Largest first: the hardest to place get the most choice.
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(d -> -initial.memoryBytes(d))
            .thenComparing(initial::domainName));
    boolean[] destination = new boolean[initial.hostCount()];
    int count = 0;
    for (int h = 0; h < destination.length; h++) {
      destination[h] = initial.accepting(h) && h != drained;
      count += destination[h] ? 1 : 0;
    }
    int destinations = count;

    List<Unplaced> blocked = new ArrayList<>();
    for (int d : order) {
      if (!initial.movable(d)) {
        blocked.add(
            new Unplaced(
                initial.domainName(d),
                initial.memoryBytes(d),
                0,
                Unplaced.Cause.FIXED,
                whyFixed(initial, d)));
      } else if (destinations == 0) {
        blocked.add(
            new Unplaced(
                initial.domainName(d),
                initial.memoryBytes(d),
                0,
                Unplaced.Cause.NO_HOST,
                "there is no other ACTIVE host"));
      }
    }

    Integer[] movable =
        Arrays.stream(order)
            .filter(d -> initial.movable(d) && destinations > 0)
            .toArray(Integer[]::new);
    Attempt first = place(snapshot, options, drained, movable, strategy, weights, destination);
    Attempt best = first;
    if (!first.complete()) {
      Attempt tight = place(snapshot, options, drained, movable, null, weights, destination);
      best = tight.placedCount() > best.placedCount() ? tight : best;
      if (!tight.complete()) {
        int[] found = search(initial, movable, destination);
        if (found != null) {
          best = replay(snapshot, options, drained, movable, found, weights, destination);
        }
      }
    }
    if (!blocked.isEmpty() || !best.complete()) {
      throw refusal(host, initial, order.length, movable, best, blocked, destination);
    }
    List<String> notes = new ArrayList<>();
    int shutOff = 0;
    for (int d = 0; d < initial.domainCount(); d++) {
      if (!initial.holdsResources(d) && initial.hostOf(d) == drained) {
        shutOff++;
      }
    }
    if (shutOff > 0) {
      notes.add(
          shutOff
              + " domains on "
              + host
              + " hold no resources (shut off): they stay defined there, not moved");
    }
    if (best != first) {
      notes.add(
          "the "
              + strategy.label()
              + " placement left domains out; this plan packs by memory instead");
    }
    String policy = "drain:" + strategy.label();
    double initialScore = best.initialScore();
    double finalScore =
        best.moves().isEmpty()
            ? initialScore
            : best.moves().get(best.moves().size() - 1).scoreAfter();
    return new Plan(
        policy, SCORE, best.moves(), initialScore, finalScore, best.moves().size(), true, notes);
  }

  /** One placement attempt: the moves it made and the domains it placed. */
  private record Attempt(
      List<Move> moves,
      boolean[] placed,
      int placedCount,
      int total,
      Placement state,
      double initialScore) {
    boolean complete() {
      return placedCount == total;
    }
  }

  /** Places in order; {@code strategy == null} packs by memory alone (tightest fit). */
  private static Attempt place(
      ClusterSnapshot snapshot,
      PlanOptions options,
      int drained,
      Integer[] order,
      DrainStrategy strategy,
      Weights weights,
      boolean[] destination) {
    Placement placement = new Placement(snapshot, options);
    LoadModel model = new LoadModel(placement, weights, destination);
    double initialScore = model.score();
    int[] preference =
        strategy == DrainStrategy.PAPER ? fewestDomainsFirst(placement, destination) : null;
    List<Move> moves = new ArrayList<>();
    boolean[] placed = new boolean[placement.domainCount()];
    int count = 0;
    for (int d : order) {
      int to;
      String reason;
      if (strategy == DrainStrategy.PAPER) {
        to = firstFitting(placement, d, preference);
        reason =
            to < 0
                ? null
                : "paper: the host with the fewest domains that has room ("
                    + placement.hostName(to)
                    + ")";
      } else {
        to = bestFit(placement, model, d, drained, destination, strategy != null);
        reason =
            to < 0
                ? null
                : strategy != null
                    ? "best fit: lowest weighted score after placing it"
                    : "tight fit: least memory left free";
      }
      if (to < 0) {
        continue;
      }
      double before = model.score();
      placement.move(d, to);
      model.apply(d, drained, to);
      moves.add(
          new Move(
              placement.domainName(d),
              placement.hostName(drained),
              placement.hostName(to),
              before,
              model.score(),
              reason));
      placed[d] = true;
      count++;
    }
    return new Attempt(moves, placed, count, order.length, placement, initialScore);
  }

  private static int bestFit(
      Placement placement,
      LoadModel model,
      int d,
      int drained,
      boolean[] destination,
      boolean byScore) {
    int best = -1;
    double bestScore = Double.POSITIVE_INFINITY;
    long bestFree = Long.MAX_VALUE;
    for (int h = 0; h < destination.length; h++) {
      if (!destination[h] || !placement.canMove(d, h)) {
        continue;
      }
      double score = byScore ? model.scoreIfMoved(d, drained, h) : 0;
      long freeAfter = placement.freeBytes(h) - placement.memoryBytes(d);
      boolean better =
          score < bestScore - 1e-12 || (score <= bestScore + 1e-12 && freeAfter < bestFree);
      if (better) {
        best = h;
        bestScore = score;
        bestFree = freeAfter;
      }
    }
    return best;
  }

  private static int[] fewestDomainsFirst(Placement placement, boolean[] destination) {
    return java.util.stream.IntStream.range(0, destination.length)
        .filter(h -> destination[h])
        .boxed()
        .sorted(
            Comparator.<Integer>comparingInt(placement::domainsOn)
                .thenComparingLong(h -> -placement.freeBytes(h))
                .thenComparing(placement::hostName))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static int firstFitting(Placement placement, int d, int[] preference) {
    for (int h : preference) {
      if (placement.canMove(d, h)) {
        return h;
      }
    }
    return -1;
  }

  /**
   * Depth-first search for a complete placement, largest domain first, roomiest host first; null if
   * there is none or the step limit ran out.
   */
  private static int[] search(Placement initial, Integer[] order, boolean[] destination) {
    int n = order.length;
    long[] free = new long[initial.hostCount()];
    for (int h = 0; h < free.length; h++) {
      free[h] = destination[h] ? initial.freeBytes(h) : -1;
    }
    int[] assigned = new int[n];
    Arrays.fill(assigned, -1);
    // Each step scans every host, so large clusters get fewer steps for the same work.
    int[] steps = {SEARCH_LIMIT - Math.min(SEARCH_LIMIT, SEARCH_WORK / Math.max(1, free.length))};
    return dfs(initial, order, destination, free, assigned, 0, steps) ? assigned : null;
  }

  private static boolean dfs(
      Placement initial,
      Integer[] order,
      boolean[] destination,
      long[] free,
      int[] assigned,
      int i,
      int[] steps) {
    if (i == order.length) {
      return true;
    }
    int d = order[i];
    long need = initial.memoryBytes(d);
    int group = initial.group(d);
    // The roomiest allowed hosts first; past the first few dozen the bounded search would not
    // come back to a level anyway.
    java.util.PriorityQueue<Integer> roomiest =
        new java.util.PriorityQueue<>(
            Comparator.<Integer>comparingLong(h -> free[h]).thenComparingInt(h -> -h));
    for (int h = 0; h < free.length; h++) {
      if (destination[h] && free[h] >= need && !groupTaken(initial, order, assigned, i, group, h)) {
        roomiest.add(h);
        if (roomiest.size() > SEARCH_BRANCHES) {
          roomiest.poll();
        }
      }
    }
    Integer[] candidates = roomiest.toArray(new Integer[0]);
    Arrays.sort(
        candidates, Comparator.<Integer>comparingLong(h -> -free[h]).thenComparingInt(h -> h));
    long lastFree = -1;
    for (int h : candidates) {
      if (++steps[0] > SEARCH_LIMIT) {
        return false;
      }
      // Hosts with equal free memory and no group at stake are interchangeable here.
      if (group < 0 && free[h] == lastFree) {
        continue;
      }
      lastFree = free[h];
      free[h] -= need;
      assigned[i] = h;
      if (dfs(initial, order, destination, free, assigned, i + 1, steps)) {
        return true;
      }
      assigned[i] = -1;
      free[h] += need;
    }
    return false;
  }

  private static boolean groupTaken(
      Placement initial, Integer[] order, int[] assigned, int upTo, int group, int h) {
    if (group < 0) {
      return false;
    }
    if (initial.groupPresent(group, h)) {
      return true;
    }
    for (int j = 0; j < upTo; j++) {
      if (assigned[j] == h && initial.group(order[j]) == group) {
        return true;
      }
    }
    return false;
  }

  private static Attempt replay(
      ClusterSnapshot snapshot,
      PlanOptions options,
      int drained,
      Integer[] order,
      int[] assigned,
      Weights weights,
      boolean[] destination) {
    Placement placement = new Placement(snapshot, options);
    LoadModel model = new LoadModel(placement, weights, destination);
    double initialScore = model.score();
    List<Move> moves = new ArrayList<>();
    boolean[] placed = new boolean[placement.domainCount()];
    for (int i = 0; i < order.length; i++) {
      int d = order[i];
      int to = assigned[i];
      double before = model.score();
      placement.move(d, to);
      model.apply(d, drained, to);
      moves.add(
          new Move(
              placement.domainName(d),
              placement.hostName(drained),
              placement.hostName(to),
              before,
              model.score(),
              "exhaustive search: the only way found to fit every domain"));
      placed[d] = true;
    }
    return new Attempt(moves, placed, order.length, order.length, placement, initialScore);
  }

  private static PlacementException refusal(
      String host,
      Placement initial,
      int total,
      Integer[] order,
      Attempt best,
      List<Unplaced> blocked,
      boolean[] destination) {
    List<Unplaced> unplaced = new ArrayList<>(blocked);
    List<String> named = new ArrayList<>();
    blocked.forEach(u -> named.add(u.domain()));
    for (int d : order) {
      if (best.placed()[d] || named.contains(initial.domainName(d))) {
        continue;
      }
      Unplaced alone = shortfall(initial, d, destination, "it fits on no other ACTIVE host");
      unplaced.add(
          alone.cause() != Unplaced.Cause.CROWDED
              ? alone
              : shortfall(
                  best.state(), d, destination, "no room is left once the others are placed"));
    }
    StringBuilder message =
        new StringBuilder("cannot drain host \"")
            .append(host)
            .append("\": ")
            .append(unplaced.size())
            .append(" of its ")
            .append(total)
            .append(" domains cannot be placed");
    for (Unplaced u : unplaced) {
      message
          .append("; ")
          .append(u.domain())
          .append(" (")
          .append(mib(u.memoryBytes()))
          .append("): ")
          .append(u.reason());
    }
    return new PlacementException(message.toString(), unplaced);
  }

  /** Why the domain cannot go anywhere in this state, with its shortfall on the roomiest host. */
  private static Unplaced shortfall(Placement state, int d, boolean[] destination, String lead) {
    long need = state.memoryBytes(d);
    int roomiest = -1;
    boolean anyAllowedByGroup = false;
    for (int h = 0; h < destination.length; h++) {
      if (destination[h] && !state.groupPresent(state.group(d), h)) {
        anyAllowedByGroup = true;
        if (roomiest < 0 || state.freeBytes(h) > state.freeBytes(roomiest)) {
          roomiest = h;
        }
      }
    }
    String name = state.domainName(d);
    if (!anyAllowedByGroup) {
      return new Unplaced(
          name,
          need,
          0,
          Unplaced.Cause.ANTI_AFFINITY,
          lead + ": every other ACTIVE host holds a member of its anti-affinity group");
    }
    long free = state.freeBytes(roomiest);
    if (free >= need) {
      return new Unplaced(name, need, 0, Unplaced.Cause.CROWDED, lead);
    }
    return new Unplaced(
        name,
        need,
        need - free,
        Unplaced.Cause.MEMORY,
        lead
            + ": short by "
            + mib(need - free)
            + ", the roomiest allowed host "
            + state.hostName(roomiest)
            + " has "
            + mib(Math.max(0, free))
            + " free");
  }

  private static String whyFixed(Placement placement, int d) {
    ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
    if (domain.pinned()) {
      return "it is pinned";
    }
    return "it moved "
        + domain.lastMovedSecondsAgo().getAsLong()
        + " s ago, within the "
        + placement.options().cooldownSeconds()
        + " s cooldown";
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
