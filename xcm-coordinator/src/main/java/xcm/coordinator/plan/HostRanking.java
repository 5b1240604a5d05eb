package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Counted hosts ranked four ways: by each metric's utilisation, and by a combined key (Σ weight ×
 * (x − mean) / σ, with means and deviations frozen at the last {@link #rebuild}). The most loaded
 * hosts of any ranking are balance sources, the least loaded destinations. One ranking is not
 * enough: the best move often shifts memory from a memory-heavy host that is light on CPU, which a
 * combined key buries in the middle.
 *
 * <p>A move changes two hosts: {@link #remove} them before, {@link #add} them after. Not
 * thread-safe.
 */
final class HostRanking {
  private static final int COMBINED = LoadModel.METRICS;

  private final LoadModel model;
  private final Weights weights;
  private final int hosts;
  private final double[][] key;
  private final List<TreeSet<Integer>> rankings = new ArrayList<>();
  private final Integer[] boxed;
  private final double[] mean = new double[LoadModel.METRICS];
  private final double[] scale = new double[LoadModel.METRICS];
  private final boolean[] taken;

  HostRanking(LoadModel model, Weights weights, int hosts) {
    this.model = model;
    this.weights = weights;
    this.hosts = hosts;
    key = new double[COMBINED + 1][hosts];
    for (int r = 0; r <= COMBINED; r++) {
      double[] k = key[r];
      rankings.add(
          new TreeSet<>(
              (a, b) -> {
                int c = Double.compare(k[a], k[b]);
                return c != 0 ? c : Integer.compare(a, b);
              }));
    }
    boxed = new Integer[hosts];
    for (int h = 0; h < hosts; h++) {
      boxed[h] = h;
    }
    taken = new boolean[hosts];
  }

  /** Re-reads every host and refreezes the combined key's means and deviations. */
  void rebuild() {
    for (int m = 0; m < LoadModel.METRICS; m++) {
      mean[m] = model.mean(m);
      double sd = model.stddev(m);
      scale[m] = sd > 0 ? weights.get(m) / sd : 0;
    }
    for (TreeSet<Integer> ranking : rankings) {
      ranking.clear();
    }
    for (int h = 0; h < hosts; h++) {
      if (model.counted(h)) {
        add(h);
      }
    }
  }

  void remove(int h) {
    for (int r = 0; r <= COMBINED; r++) {
      if (used(r)) {
        rankings.get(r).remove(boxed[h]);
      }
    }
  }

  void add(int h) {
    double combined = 0;
    for (int m = 0; m < LoadModel.METRICS; m++) {
      double x = model.value(m, h);
      key[m][h] = x;
      combined += scale[m] * (x - mean[m]);
    }
    key[COMBINED][h] = combined;
    for (int r = 0; r <= COMBINED; r++) {
      if (used(r)) {
        rankings.get(r).add(boxed[h]);
      }
    }
  }

  /**
   * Up to {@code perRanking} hosts from the top of each ranking that pass the filter, no repeats.
   */
  int[] mostLoaded(int perRanking, IntPredicate filter) {
    return collect(perRanking, filter, true);
  }

  /** Up to {@code perRanking} hosts from the bottom of each ranking that pass, no repeats. */
  int[] leastLoaded(int perRanking, IntPredicate filter) {
    return collect(perRanking, filter, false);
  }

  private int[] collect(int perRanking, IntPredicate filter, boolean top) {
    int[] out = new int[perRanking * (COMBINED + 1)];
    int n = 0;
    for (int r = 0; r <= COMBINED; r++) {
      if (!used(r)) {
        continue;
      }
      Iterator<Integer> it =
          top ? rankings.get(r).descendingIterator() : rankings.get(r).iterator();
      int found = 0;
      while (found < perRanking && it.hasNext()) {
        int h = it.next();
        if (!taken[h] && filter.test(h)) {
          taken[h] = true;
          out[n++] = h;
          found++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      taken[out[i]] = false;
    }
    return Arrays.copyOf(out, n);
  }

  private boolean used(int ranking) {
    return ranking == COMBINED || weights.get(ranking) > 0;
  }
}
