package xcm.coordinator.plan;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The drain's last resort when both placement rules leave domains out: a depth-first search for a
 * complete placement by memory and anti-affinity, largest domain first, roomiest host first. It is
 * bounded, so it is complete only for small drains; a drain it cannot finish is refused.
 *
 * <p>Not thread-safe; one search per instance.
 */
final class DrainSearch {
  /** Steps (hosts tried) at most. */
  static final int STEP_LIMIT = 200_000;

  /** Host scans at most, over all steps: each step scans every host. */
  private static final int WORK_LIMIT = 50_000_000;

  /** Hosts tried per domain at most. */
  private static final int BRANCHES = 48;

  private final Placement initial;
  private final Integer[] order;
  private final boolean[] destination;
  private final long[] free;
  private final int[] assigned;
  private int steps;

  private DrainSearch(Placement initial, Integer[] order, boolean[] destination) {
    this.initial = initial;
    this.order = order;
    this.destination = destination;
    free = new long[initial.hostCount()];
    for (int h = 0; h < free.length; h++) {
      free[h] = destination[h] ? initial.freeBytes(h) : -1;
    }
    assigned = new int[order.length];
    Arrays.fill(assigned, -1);
    // Each step scans every host, so large clusters get fewer steps for the same work.
    steps = STEP_LIMIT - Math.min(STEP_LIMIT, WORK_LIMIT / Math.max(1, free.length));
  }

  /**
   * A destination for each domain of {@code order}, in that order, that fits them all; null if
   * there is none or the step limit ran out.
   */
  static int[] search(Placement initial, Integer[] order, boolean[] destination) {
    DrainSearch search = new DrainSearch(initial, order, destination);
    return search.placeFrom(0) ? search.assigned : null;
  }

  /** True if domains {@code i..} can be placed given the ones before; then they are assigned. */
  private boolean placeFrom(int i) {
    if (i == order.length) {
      return true;
    }
    int d = order[i];
    long need = initial.memoryBytes(d);
    boolean groupsAtStake =
        initial.rules().apartGroups(d).length > 0 || initial.rules().togetherGroups(d).length > 0;
    // The roomiest allowed hosts first; past the first few dozen the bounded search would not
    // come back to a level anyway.
    PriorityQueue<Integer> roomiest =
        new PriorityQueue<>(
            Comparator.<Integer>comparingLong(h -> free[h]).thenComparingInt(h -> -h));
    for (int h = 0; h < free.length; h++) {
      if (destination[h] && free[h] >= need && allowed(i, d, h)) {
        roomiest.add(h);
        if (roomiest.size() > BRANCHES) {
          roomiest.poll();
        }
      }
    }
    Integer[] candidates = roomiest.toArray(new Integer[0]);
    Arrays.sort(
        candidates, Comparator.<Integer>comparingLong(h -> -free[h]).thenComparingInt(h -> h));
    long lastFree = -1;
    for (int h : candidates) {
      if (++steps > STEP_LIMIT) {
        return false;
      }
      // Hosts with equal free memory and no group at stake are interchangeable here.
      if (!groupsAtStake && free[h] == lastFree) {
        continue;
      }
      lastFree = free[h];
      free[h] -= need;
      assigned[i] = h;
      if (placeFrom(i + 1)) {
        return true;
      }
      assigned[i] = -1;
      free[h] += need;
    }
    return false;
  }

  /**
   * True if the domain's hard rules allow the host, counting the domains assigned before {@code
   * upTo} as already there.
   */
  private boolean allowed(int upTo, int d, int h) {
    HardRules rules = initial.rules();
    if (!rules.hostAllowed(d, h)) {
      return false;
    }
    for (int g : rules.apartGroups(d)) {
      if (rules.apartOn(g, h) > 0 || assignedMember(upTo, h, g, true)) {
        return false;
      }
    }
    for (int g : rules.togetherGroups(d)) {
      if (rules.togetherSize(g) > 1
          && rules.togetherOn(g, h) == 0
          && !assignedMember(upTo, h, g, false)) {
        return false;
      }
    }
    return true;
  }

  private boolean assignedMember(int upTo, int h, int g, boolean apart) {
    for (int j = 0; j < upTo; j++) {
      if (assigned[j] == h) {
        int[] groups =
            apart
                ? initial.rules().apartGroups(order[j])
                : initial.rules().togetherGroups(order[j]);
        for (int x : groups) {
          if (x == g) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
