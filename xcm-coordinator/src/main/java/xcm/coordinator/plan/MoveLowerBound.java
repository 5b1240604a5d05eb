package xcm.coordinator.plan;

import java.util.Arrays;

/**
 * A proven lower bound on the number of moves that bring the weighted score down to a target.
 *
 * <p>The argument, metric by metric. Moving domain d off host a lowers a's value by exactly {@code
 * v_d / cap_a} and raises its destination's by at most {@code v_d / cap_min}. So after k moves the
 * total decrease over all hosts, Σ (x − y)⁺, is at most the sum D(k) of the k largest {@code v_d /
 * cap_host(d)}, and the total increase, Σ (y − x)⁺, at most the sum U(k) of the k largest {@code
 * v_d / cap_min}. Among all host values y within those two budgets, the variance is smallest when
 * the highest values are cut down to a level {@code hi} that spends D(k) and the lowest raised to a
 * level {@code lo} that spends U(k) (lowering anything above the mean, or raising anything below
 * it, lowers the variance); if {@code lo} passes {@code hi} all values can meet and the floor is 0.
 * The score after k moves is at least Σ weight × sqrt(that variance), each metric with its own best
 * k domains, and the bound is the smallest k whose floor is at or below the target. Memory,
 * anti-affinity and the other constraints are relaxed, which can only lower the bound, so it stays
 * valid; MoveLowerBoundTest checks it against exhaustive search.
 *
 * <p>Immutable and thread-safe once built.
 */
final class MoveLowerBound {
  private final double[][] sortedValues;
  private final double[][] prefix;
  private final double[][] prefixSq;
  private final double[][] downBudget;
  private final double[][] upBudget;
  private final Weights weights;

  private MoveLowerBound(
      double[][] sortedValues, double[][] downBudget, double[][] upBudget, Weights weights) {
    this.sortedValues = sortedValues;
    this.downBudget = downBudget;
    this.upBudget = upBudget;
    this.weights = weights;
    prefix = new double[LoadModel.METRICS][];
    prefixSq = new double[LoadModel.METRICS][];
    for (int m = 0; m < LoadModel.METRICS; m++) {
      double[] x = sortedValues[m];
      prefix[m] = new double[x.length + 1];
      prefixSq[m] = new double[x.length + 1];
      for (int i = 0; i < x.length; i++) {
        prefix[m][i + 1] = prefix[m][i] + x[i];
        prefixSq[m][i + 1] = prefixSq[m][i] + x[i] * x[i];
      }
    }
  }

  /**
   * Captures the model's current host values; the bound then counts moves from this placement. Only
   * domains marked {@code movable} may move, and only onto hosts the model counts.
   */
  static MoveLowerBound from(
      LoadModel model, Placement placement, Weights weights, boolean[] movable) {
    int hosts = placement.hostCount();
    double[][] sortedValues = new double[LoadModel.METRICS][];
    double[][] down = new double[LoadModel.METRICS][];
    double[][] up = new double[LoadModel.METRICS][];
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
      double[] leaving = new double[placement.domainCount()];
      double[] arriving = new double[placement.domainCount()];
      int k = 0;
      for (int d = 0; d < movable.length; d++) {
        if (movable[d]) {
          leaving[k] = model.demand(m, d) * model.reciprocalCapacity(m, placement.hostOf(d));
          arriving[k] = model.demand(m, d) * maxReciprocal;
          k++;
        }
      }
      down[m] = largestFirstSums(Arrays.copyOf(leaving, k));
      up[m] = largestFirstSums(Arrays.copyOf(arriving, k));
    }
    return new MoveLowerBound(sortedValues, down, up, weights);
  }

  /** The smallest k such that k moves may bring the score to {@code target} or below. */
  int movesToReach(double target) {
    // Relative slack for rounding: the bound must err low, never high.
    double reachable = target * (1 + 1e-9) + 1e-12;
    int movableCount = downBudget[0].length - 1;
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
        double variance =
            minVariance(sortedValues[m], prefix[m], prefixSq[m], downBudget[m][k], upBudget[m][k]);
        score += weights.get(m) * Math.sqrt(variance);
      }
    }
    return score;
  }

  /** As {@link #minVariance(double[], double[], double[], double, double)}, for tests. */
  static double minVariance(double[] sorted, double down, double up) {
    double[] p = new double[sorted.length + 1];
    double[] q = new double[sorted.length + 1];
    for (int i = 0; i < sorted.length; i++) {
      p[i + 1] = p[i] + sorted[i];
      q[i + 1] = q[i] + sorted[i] * sorted[i];
    }
    return minVariance(sorted, p, q, down, up);
  }

  /**
   * The smallest population variance of values y with Σ (x − y)⁺ ≤ {@code down} and Σ (y − x)⁺ ≤
   * {@code up}, for the sorted values x with their prefix sums of x and x².
   */
  static double minVariance(
      double[] sorted, double[] prefix, double[] prefixSq, double down, double up) {
    int n = sorted.length;
    if (n == 0) {
      return 0;
    }
    double hi = cutLevel(sorted, prefix, down);
    double lo = raiseLevel(sorted, prefix, up);
    if (lo >= hi) {
      return 0;
    }
    int below = countBelow(sorted, lo);
    int upTo = countAtMost(sorted, hi);
    double s = below * lo + (prefix[upTo] - prefix[below]) + (n - upTo) * hi;
    double q = below * lo * lo + (prefixSq[upTo] - prefixSq[below]) + (n - upTo) * hi * hi;
    double mean = s / n;
    return Math.max(0, q / n - mean * mean);
  }

  /** The level hi at which Σ (x − hi)⁺ equals the budget (or the minimum, if it buys all). */
  private static double cutLevel(double[] sorted, double[] prefix, double budget) {
    int n = sorted.length;
    // Cutting the top j values to sorted[n - 1 - j] costs Σ top j − j × sorted[n - 1 - j].
    for (int j = 1; j < n; j++) {
      double level = sorted[n - 1 - j];
      double cost = (prefix[n] - prefix[n - j]) - j * level;
      if (cost >= budget) {
        return (prefix[n] - prefix[n - j] - budget) / j;
      }
    }
    return (prefix[n] - budget) / n;
  }

  /** The level lo at which Σ (lo − x)⁺ equals the budget. */
  private static double raiseLevel(double[] sorted, double[] prefix, double budget) {
    int n = sorted.length;
    for (int j = 1; j < n; j++) {
      double level = sorted[j];
      double cost = j * level - prefix[j];
      if (cost >= budget) {
        return (prefix[j] + budget) / j;
      }
    }
    return (prefix[n] + budget) / n;
  }

  private static double[] largestFirstSums(double[] values) {
    Arrays.sort(values);
    int k = values.length;
    double[] sums = new double[k + 1];
    for (int j = 0; j < k; j++) {
      sums[j + 1] = sums[j] + values[k - 1 - j];
    }
    return sums;
  }

  private static int countBelow(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
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

  private static int countAtMost(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
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
