package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One try at placing a drained host's domains: the moves it made, in order, and which domains it
 * placed. {@link #place} puts each domain by a {@link Rule} and skips the ones that fit nowhere;
 * {@link #replay} makes the moves {@link DrainSearch} found. Either way the moves are played on a
 * fresh placement, so their scores are those a plan shows.
 *
 * <p>Not thread-safe: its array and placement are the live ones; one drain makes and reads it.
 *
 * @param placed by domain number: true for the domains this attempt placed
 * @param total the number of domains it tried to place
 * @param state the placement after its moves
 */
record DrainAttempt(
    List<Move> moves,
    boolean[] placed,
    int placedCount,
    int total,
    Placement state,
    double initialScore) {

  /** How an attempt picks the host of each domain. */
  enum Rule {
    /** {@link DrainStrategy#BEST_FIT}: lowest weighted score, the tightest fit among equals. */
    BEST_FIT,
    /** {@link DrainStrategy#PAPER}: the host with the fewest domains that has room. */
    PAPER,
    /** The fallback when a strategy leaves domains out: least memory left free, by memory alone. */
    TIGHT_FIT;

    static Rule of(DrainStrategy strategy) {
      return switch (strategy) {
        case BEST_FIT -> BEST_FIT;
        case PAPER -> PAPER;
      };
    }
  }

  boolean complete() {
    return placedCount == total;
  }

  /** Places the domains in {@code order} by the rule, each where it fits, or not at all. */
  static DrainAttempt place(
      ClusterSnapshot snapshot,
      PlanOptions options,
      int drained,
      Integer[] order,
      Rule rule,
      Weights weights,
      boolean[] destination) {
    Placement placement = new Placement(snapshot, options);
    LoadModel model = new LoadModel(placement, weights, destination);
    double initialScore = model.score();
    int[] preference = rule == Rule.PAPER ? fewestDomainsFirst(placement, destination) : null;
    List<Move> moves = new ArrayList<>();
    boolean[] placed = new boolean[placement.domainCount()];
    int count = 0;
    for (int d : order) {
      int to;
      String reason;
      if (rule == Rule.PAPER) {
        to = firstFitting(placement, d, preference);
        reason =
            to < 0
                ? null
                : "paper: the host with the fewest domains that has room ("
                    + placement.hostName(to)
                    + ")";
      } else {
        to = bestFit(placement, model, d, drained, destination, rule == Rule.BEST_FIT);
        reason =
            to < 0
                ? null
                : rule == Rule.BEST_FIT
                    ? "best fit: lowest weighted score after placing it"
                    : "tight fit: least memory left free";
      }
      if (to < 0) {
        continue;
      }
      moves.add(move(placement, model, d, drained, to, reason));
      placed[d] = true;
      count++;
    }
    return new DrainAttempt(moves, placed, count, order.length, placement, initialScore);
  }

  /** Moves {@code order[i]} to {@code assigned[i]}, every one of them. */
  static DrainAttempt replay(
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
      moves.add(
          move(
              placement,
              model,
              d,
              drained,
              to,
              "exhaustive search: the only way found to fit every domain"));
      placed[d] = true;
    }
    return new DrainAttempt(moves, placed, order.length, order.length, placement, initialScore);
  }

  /**
   * The allowed destination with the lowest score after the move ({@code byScore}) or, among equal
   * scores and always when not by score, the one left with the least free memory; -1 if none.
   */
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
    return IntStream.range(0, destination.length)
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

  /** Moves domain {@code d} from the drained host to {@code to}, in the placement and the model. */
  private static Move move(
      Placement placement, LoadModel model, int d, int drained, int to, String reason) {
    double before = model.score();
    placement.move(d, to);
    model.apply(d, drained, to);
    return new Move(
        placement.domainName(d),
        placement.hostName(drained),
        placement.hostName(to),
        before,
        model.score(),
        reason);
  }
}
