package xcm.coordinator.plan;

import java.util.Arrays;

/**
 * A proven lower bound on the number of moves that bring the weighted score down to a target.
 *
 * <p>The argument, metric by metric: k moves relocate at most k domains, and relocating domain d
 * off host a onto host b changes the metric's host values by {@code v_d / cap_a} and {@code v_d /
 * cap_b}, so the L1 distance between the host values before and after k moves is at most the sum of
 * the k largest {@code c_d = v_d (1/cap_host(d) + 1/cap_min)}. Among all vectors within L1 distance
 * B of the current one, the one with the smallest variance clips the values to a band {@code [t -
 * c, t + c]} around its own mean t (the KKT conditions of that convex problem), which {@link
 * #minVariance} finds by bisection. The score after k moves is therefore at least Σ weight ×
 * sqrt(minVariance(B_m(k))), each metric taking its own best k domains, and the bound is the
 * smallest k for which that floor is at or below the target. Memory, anti-affinity and every other
 * constraint are relaxed, which can only lower the bound, so it stays valid.
 *
 * <p>Pure and thread-safe (no state).
 */
final class MoveLowerBound {
  private static final int BISECTIONS = 64;

  private final double[][] sortedValues;
  private final double[][] budgets;
  private final Weights weights;

  private MoveLowerBound(double[][] sortedValues, double[][] budgets, Weights weights) {
    this.sortedValues = sortedValues;
    this.budgets = budgets;
    this.weights = weights;
  }

  /**
   * Captures the model's current host values; the bound then counts moves from this placement. Only
   * domains marked {@code movable} may move, and only onto hosts the model counts.
   */
  static MoveLowerBound from(
      LoadModel model, Placement placement, Weights weights, boolean[] movable) {
    int hosts = placement.hostCount();
    double[][] sortedValues = new double[LoadModel.METRICS][];
    double[][] budgets = new double[LoadModel.METRICS][];
    for (int m = 0; m < LoadModel.METRICS; m++) {
      double maxReciprocal = 0;
      double[] values = new double[model.countedHosts()];
      int i = 0;
      for (int h = 0; h < hosts; h++) {
        if (model.counted(h)) {
          values[i++] = model.value(m, h);
          maxReciprocal = Math.max(maxReciprocal, model.reciprocalCapacity(m, h));
        }
      }
      Arrays.sort(values);
      sortedValues[m] = values;
      double[] change = new double[placement.domainCount()];
      int k = 0;
      for (int d = 0; d < movable.length; d++) {
        if (movable[d]) {
          int from = placement.hostOf(d);
          change[k++] = model.demand(m, d) * (model.reciprocalCapacity(m, from) + maxReciprocal);
        }
      }
      double[] largest = Arrays.copyOf(change, k);
      Arrays.sort(largest);
      double[] prefix = new double[k + 1];
      for (int j = 0; j < k; j++) {
        prefix[j + 1] = prefix[j] + largest[k - 1 - j];
      }
      budgets[m] = prefix;
    }
    return new MoveLowerBound(sortedValues, budgets, weights);
  }

  /** The smallest k such that k moves may bring the score to {@code target} or below. */
  int movesToReach(double target) {
    // The floor only rounds down (see minVariance); the slack absorbs the rest of the rounding.
    double reachable = target * (1 + 1e-9) + 1e-12;
    int movableCount = budgets[0].length - 1;
    if (floor(0) <= reachable) {
      return 0;
    }
    if (floor(movableCount) > reachable) {
      return movableCount;
    }
    int low = 0;
    int high = movableCount;
    while (high - low > 1) {
      int mid = (low + high) >>> 1;
      if (floor(mid) <= reachable) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return high;
  }

  /** The lowest score that k moves may reach, metric floors added up. */
  double floor(int k) {
    double score = 0;
    for (int m = 0; m < LoadModel.METRICS; m++) {
      if (weights.get(m) > 0) {
        score += weights.get(m) * Math.sqrt(minVariance(sortedValues[m], budgets[m][k]));
      }
    }
    return score;
  }

  /**
   * The smallest population variance of any vector within L1 distance {@code budget} of the sorted
   * values, rounded down.
   */
  static double minVariance(double[] sorted, double budget) {
    int n = sorted.length;
    if (n == 0) {
      return 0;
    }
    Band band = new Band(sorted);
    if (budget >= band.costToEqualise()) {
      return 0;
    }
    // Wider bands cost less; keep low at a half-width whose band costs at least the budget, so
    // the variance returned is that of a band at least as narrow as the optimal one.
    double low = 0;
    double high = (sorted[n - 1] - sorted[0]) / 2;
    for (int i = 0; i < BISECTIONS && high - low > 1e-15 * (1 + high); i++) {
      double mid = (low + high) / 2;
      if (band.cost(mid) >= budget) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return Math.max(0, band.variance(low) * (1 - 1e-12));
  }

  /** Clipping sorted values to a band centred on the mean of the clipped values. */
  private static final class Band {
    private final double[] sorted;
    private final double[] prefix;
    private final double[] prefixSq;
    private final int n;

    Band(double[] sorted) {
      this.sorted = sorted;
      n = sorted.length;
      prefix = new double[n + 1];
      prefixSq = new double[n + 1];
      for (int i = 0; i < n; i++) {
        prefix[i + 1] = prefix[i] + sorted[i];
        prefixSq[i + 1] = prefixSq[i] + sorted[i] * sorted[i];
      }
    }

    /** L1 distance from the values to their median, the cheapest way to make them all equal. */
    double costToEqualise() {
      double median = sorted[n / 2];
      return (median * (n / 2) - prefix[n / 2])
          + (prefix[n] - prefix[n / 2] - median * (n - n / 2));
    }

    double cost(double halfWidth) {
      double t = centre(halfWidth);
      double lo = t - halfWidth;
      double hi = t + halfWidth;
      int below = countBelow(lo);
      int upTo = countAtMost(hi);
      return (below * lo - prefix[below]) + (prefix[n] - prefix[upTo] - (n - upTo) * hi);
    }

    double variance(double halfWidth) {
      double t = centre(halfWidth);
      double lo = t - halfWidth;
      double hi = t + halfWidth;
      int below = countBelow(lo);
      int upTo = countAtMost(hi);
      double s = below * lo + (prefix[upTo] - prefix[below]) + (n - upTo) * hi;
      double q = below * lo * lo + (prefixSq[upTo] - prefixSq[below]) + (n - upTo) * hi * hi;
      double mean = s / n;
      return q / n - mean * mean;
    }

    /** The t with mean(clip(x, t - w, t + w)) = t; that mean minus t falls as t grows. */
    private double centre(double halfWidth) {
      double low = sorted[0];
      double high = sorted[n - 1];
      for (int i = 0; i < BISECTIONS && high - low > 1e-15 * (1 + Math.abs(high)); i++) {
        double t = (low + high) / 2;
        double lo = t - halfWidth;
        double hi = t + halfWidth;
        int below = countBelow(lo);
        int upTo = countAtMost(hi);
        double mean = (below * lo + (prefix[upTo] - prefix[below]) + (n - upTo) * hi) / n;
        if (mean > t) {
          low = t;
        } else {
          high = t;
        }
      }
      return (low + high) / 2;
    }

    private int countBelow(double value) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] < value) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    private int countAtMost(double value) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] <= value) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
