package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the evacuation of one host: every resource-holding domain on it moves to another ACTIVE
 * host under the placement constraints, or the drain is refused with each domain that fits nowhere
 * named, with its memory shortfall.
 *
 * <p>The chosen strategy places the domains first; if it leaves some out, a tight best-fit by
 * memory tries again ({@link DrainAttempt}), and then a bounded exhaustive search ({@link
 * DrainSearch}, {@value DrainSearch#STEP_LIMIT} steps; complete for small drains). Only when all
 * three fail is the drain refused ({@link DrainRefusal}). Shut-off domains stay defined on the host
 * and are listed in the plan's notes; pinned and cooling-down domains cannot leave, so a host that
 * holds any is refused (pass a cooldown of 0 to drain regardless of recent moves).
 *
 * <pre>{@code
 * Plan plan = DrainPlanner.plan(snapshot, "h3", DrainStrategy.BEST_FIT, Weights.EQUAL,
 *     PlanOptions.defaults());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DrainPlanner {
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
    Integer[] order = largestFirst(initial, drained);
    boolean[] destination = new boolean[initial.hostCount()];
    int count = 0;
    for (int h = 0; h < destination.length; h++) {
      destination[h] = initial.accepting(h) && h != drained;
      count += destination[h] ? 1 : 0;
    }
    int destinations = count;

    List<Unplaced> blocked = DrainRefusal.blocked(initial, order, destinations);
    Integer[] movable =
        Arrays.stream(order)
            .filter(d -> initial.movable(d) && destinations > 0)
            .toArray(Integer[]::new);
    DrainAttempt first =
        DrainAttempt.place(
            snapshot,
            options,
            drained,
            movable,
            DrainAttempt.Rule.of(strategy),
            weights,
            destination);
    DrainAttempt best = first;
    if (!first.complete()) {
      DrainAttempt tight =
          DrainAttempt.place(
              snapshot,
              options,
              drained,
              movable,
              DrainAttempt.Rule.TIGHT_FIT,
              weights,
              destination);
      best = tight.placedCount() > best.placedCount() ? tight : best;
      if (!tight.complete()) {
        int[] found = DrainSearch.search(initial, movable, destination);
        if (found != null) {
          best =
              DrainAttempt.replay(snapshot, options, drained, movable, found, weights, destination);
        }
      }
    }
    if (!blocked.isEmpty() || !best.complete()) {
      throw DrainRefusal.refusal(host, initial, order.length, movable, best, blocked, destination);
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

  /**
   * The resource-holding domains on the host, largest first: the hardest to place get the most
   * choice.
   */
  private static Integer[] largestFirst(Placement initial, int drained) {
    int[] leaving = initial.domainsOnHost(drained);
    Integer[] order = new Integer[leaving.length];
    for (int i = 0; i < leaving.length; i++) {
      order[i] = leaving[i];
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(d -> -initial.memoryBytes(d))
            .thenComparing(initial::domainName));
    return order;
  }
}
