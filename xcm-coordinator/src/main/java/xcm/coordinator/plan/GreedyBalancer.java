package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy best-gain balancing on the weighted score: at each step the move with the largest score
 * drop among the candidates, until no candidate drops the score by the minimum gain or the move
 * limit is reached.
 *
 * <p>Candidates are pruned so that a step costs about the same at 50 hosts as at 10,000: the
 * sources are the {@code narrowFan} most loaded hosts of each {@link HostRanking}, the destinations
 * the least loaded, and every movable domain on a source is tried on every destination, its score
 * delta computed in O(1) by {@link LoadModel}. Only when that finds no move worth its gain is the
 * fan widened to {@code wideFan} before giving up. A wide search that finds nothing on a source
 * marks it exhausted until the next rebuild, so hosts whose domains are pinned or fit nowhere do
 * not crowd the top of the rankings. Rebuilds happen every few hundred moves and also shed rounding
 * drift in the model.
 *
 * <p>Not thread-safe; one run per instance.
 */
final class GreedyBalancer {
  /** One chosen move, by index. */
  record Step(int domain, int from, int to, double scoreBefore, double scoreAfter) {}

  /** What a run did and why it stopped. */
  record Outcome(List<Step> steps, String stopReason) {}

  private final Placement placement;
  private final LoadModel model;
  private final HostRanking ranking;
  private final int narrowFan;
  private final int wideFan;
  // Sources with no move worth the minimum gain to the narrow, resp. wide, destinations.
  private final boolean[] narrowExhausted;
  private final boolean[] wideExhausted;
  private final double[] without = new double[6];
  private int bestDomain;
  private int bestTo;
  private double bestScore;

  GreedyBalancer(
      Placement placement, LoadModel model, Weights weights, int narrowFan, int wideFan) {
    this.placement = placement;
    this.model = model;
    this.narrowFan = narrowFan;
    this.wideFan = wideFan;
    ranking = new HostRanking(model, weights, placement.hostCount());
    narrowExhausted = new boolean[placement.hostCount()];
    wideExhausted = new boolean[placement.hostCount()];
  }

  Outcome run(double minGain, int maxMoves) {
    List<Step> steps = new ArrayList<>();
    int rebuildEvery = Math.max(64, placement.hostCount() / 16);
    int sinceRebuild = rebuildEvery;
    double score = model.score();
    while (true) {
      if (steps.size() >= maxMoves) {
        return new Outcome(steps, "reached the limit of " + maxMoves + " moves");
      }
      if (sinceRebuild >= rebuildEvery) {
        model.recompute();
        score = model.score();
        ranking.rebuild();
        clearMarks();
        sinceRebuild = 0;
      }
      boolean found = search(narrowFan, score, minGain, narrowExhausted);
      if (!found && narrowFan < wideFan) {
        found = search(wideFan, score, minGain, wideExhausted);
      }
      if (!found && marksSinceRebuild()) {
        // The marks may hide a move the changed destinations now allow: one clean look.
        clearMarks();
        found = search(wideFan, score, minGain, wideExhausted);
      }
      if (!found) {
        return new Outcome(
            steps, "no move lowers the score by the minimum gain " + ScoreFormat.gain(minGain));
      }
      int d = bestDomain;
      int from = placement.hostOf(d);
      int to = bestTo;
      ranking.remove(from);
      ranking.remove(to);
      placement.move(d, to);
      model.apply(d, from, to);
      ranking.add(from);
      ranking.add(to);
      double after = model.score();
      steps.add(new Step(d, from, to, score, after));
      score = after;
      sinceRebuild++;
    }
  }

  /**
   * Finds the best move within the fan; false if none gains {@code minGain}. Sources that have no
   * such move to any destination tried are marked in {@code exhausted} and skipped by searches of
   * that width (and narrower) until the next rebuild, so the fan reaches further down the rankings
   * instead of retrying them.
   */
  /**
   * The best single move of a domain not yet moved, among the wide fan; false if none lowers the
   * score by {@code minGain}. Then {@link #bestDomain}, {@link #bestTo} and {@link #bestScore}
   * describe it.
   */
  boolean findWide(double score, double minGain) {
    clearMarks();
    return search(wideFan, score, minGain, wideExhausted);
  }

  int bestDomain() {
    return bestDomain;
  }

  int bestTo() {
    return bestTo;
  }

  double bestScore() {
    return bestScore;
  }

  /** Relocates a domain and keeps model and rankings in step. */
  void relocate(int d, int to) {
    int from = placement.hostOf(d);
    ranking.remove(from);
    ranking.remove(to);
    placement.relocate(d, to);
    model.apply(d, from, to);
    ranking.add(from);
    ranking.add(to);
  }

  /**
   * Relocates a domain in placement and model only; the rankings go stale until {@link #rerank}.
   * For searches that make many tentative changes and need no rankings meanwhile.
   */
  void relocateUnranked(int d, int to) {
    int from = placement.hostOf(d);
    placement.relocate(d, to);
    model.apply(d, from, to);
  }

  /** Brings the rankings back in step after {@link #relocateUnranked}. */
  void rerank() {
    ranking.rebuild();
  }

  /** The least loaded hosts of every ranking, up to {@code perRanking} each. */
  int[] leastLoaded(int perRanking) {
    return ranking.leastLoaded(perRanking, placement::accepting);
  }

  int wideFan() {
    return wideFan;
  }

  private boolean search(int fan, double score, double minGain, boolean[] exhausted) {
    boolean narrow = exhausted == narrowExhausted;
    int[] sources =
        ranking.mostLoaded(
            fan, h -> !wideExhausted[h] && !(narrow && narrowExhausted[h]) && hasMovable(h));
    int[] destinations = ranking.leastLoaded(fan, placement::accepting);
    bestScore = score;
    bestDomain = -1;
    double worthIt = score - minGain;
    for (int from : sources) {
      boolean gives = false;
      for (int i = 0; i < placement.domainsOn(from); i++) {
        int d = placement.domainOn(from, i);
        if (!placement.movable(d)) {
          continue;
        }
        model.sumsWithout(d, from, without);
        for (int to : destinations) {
          if (to != from && placement.canMove(d, to)) {
            double s = model.scoreIfAdded(without, d, to);
            if (s < bestScore) {
              bestScore = s;
              bestDomain = d;
              bestTo = to;
            }
            gives |= s <= worthIt;
          }
        }
      }
      if (!gives) {
        exhausted[from] = true;
      }
    }
    return bestDomain >= 0 && bestScore <= worthIt;
  }

  private boolean marksSinceRebuild() {
    for (boolean marked : wideExhausted) {
      if (marked) {
        return true;
      }
    }
    return false;
  }

  private void clearMarks() {
    Arrays.fill(narrowExhausted, false);
    Arrays.fill(wideExhausted, false);
  }

  private boolean hasMovable(int h) {
    for (int i = 0; i < placement.domainsOn(h); i++) {
      if (placement.movable(placement.domainOn(h, i))) {
        return true;
      }
    }
    return false;
  }
}
