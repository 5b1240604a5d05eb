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
  private final boolean[] exhausted;
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
    exhausted = new boolean[placement.hostCount()];
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
        Arrays.fill(exhausted, false);
        sinceRebuild = 0;
      }
      boolean found = search(narrowFan, score, minGain);
      if (!found && narrowFan < wideFan) {
        found = search(wideFan, score, minGain);
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
   * such move to any destination tried are skipped until the next rebuild, so the fan reaches
   * further down the rankings instead of retrying them.
   */
  private boolean search(int fan, double score, double minGain) {
    int[] sources = ranking.mostLoaded(fan, h -> !exhausted[h] && hasMovable(h));
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

  private boolean hasMovable(int h) {
    for (int i = 0; i < placement.domainsOn(h); i++) {
      if (placement.movable(placement.domainOn(h, i))) {
        return true;
      }
    }
    return false;
  }
}
