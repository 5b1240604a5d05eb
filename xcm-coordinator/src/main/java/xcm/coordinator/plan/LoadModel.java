package xcm.coordinator.plan;

/**
 * The weighted score of a placement and its change under one move, in O(1) per move.
 *
 * <p>Per counted host it keeps three utilisations: memory (used / capacity), CPU load (Σ domain CPU
 * utilisation × vCPUs / host CPUs) and vCPU ratio (Σ vCPUs / host CPUs); per metric it keeps Σx and
 * Σx² over the counted hosts, so a standard deviation after a move needs only the two hosts' old
 * and new values. The score is Σ weight × population standard deviation.
 *
 * <p>Not thread-safe; callers keep it in step with their {@link Placement} by calling {@link
 * #apply} for every move.
 */
final class LoadModel {
  static final int MEMORY = 0;
  static final int CPU = 1;
  static final int VCPU = 2;
  static final int METRICS = 3;
  static final String[] METRIC_NAMES = {"memory", "cpu", "vcpu"};

  private final Placement placement;
  private final boolean[] counted;
  private final int n;
  private final double w0;
  private final double w1;
  private final double w2;
  // Per-domain demands and per-host reciprocal capacities, metric by metric.
  private final double[] v0;
  private final double[] v1;
  private final double[] v2;
  private final double[] inv0;
  private final double[] inv12;
  private final double[] x0;
  private final double[] x1;
  private final double[] x2;
  private final double[] sum = new double[METRICS];
  private final double[] sumSq = new double[METRICS];
  private final double[] ref = new double[METRICS];
  private boolean referenced;
  private final SoftRules soft;

  /**
   * A model over the hosts marked in {@code counted}; they must all be ACTIVE. Domains on other
   * hosts are not counted until they move onto a counted host.
   */
  LoadModel(Placement placement, Weights weights, boolean[] counted) {
    this.placement = placement;
    this.counted = counted.clone();
    int hosts = placement.hostCount();
    int c = 0;
    for (boolean b : counted) {
      c += b ? 1 : 0;
    }
    n = c;
    w0 = weights.memory();
    w1 = weights.cpu();
    w2 = weights.vcpu();
    int domains = placement.domainCount();
    v0 = new double[domains];
    v1 = new double[domains];
    v2 = new double[domains];
    for (int d = 0; d < domains; d++) {
      ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
      if (placement.holdsResources(d)) {
        v0[d] = domain.memoryBytes();
        v1[d] = domain.cpuUtilisation() * domain.vcpus();
        v2[d] = domain.vcpus();
      }
    }
    inv0 = new double[hosts];
    inv12 = new double[hosts];
    for (int h = 0; h < hosts; h++) {
      if (counted[h]) {
        inv0[h] = 1.0 / placement.capacityBytes(h);
        inv12[h] = 1.0 / placement.snapshot().hosts().get(h).cpus();
      }
    }
    x0 = new double[hosts];
    x1 = new double[hosts];
    x2 = new double[hosts];
    soft = SoftRules.of(placement, weights.soft());
    recompute();
  }

  /** ACTIVE hosts, the ones every balance score is taken over. */
  static boolean[] activeHosts(Placement placement) {
    boolean[] counted = new boolean[placement.hostCount()];
    for (int h = 0; h < counted.length; h++) {
      counted[h] = placement.accepting(h);
    }
    return counted;
  }

  /**
   * Rebuilds every value and sum from the placement, shedding rounding drift. Values are kept
   * relative to the first means: Σx² of values near 0.5 loses the last digits of a small variance
   * to cancellation, Σ(x − ref)² keeps them.
   */
  void recompute() {
    for (int h = 0; h < x0.length; h++) {
      double a = 0;
      double b = 0;
      double c = 0;
      if (counted[h]) {
        for (int i = 0; i < placement.domainsOn(h); i++) {
          int d = placement.domainOn(h, i);
          a += v0[d];
          b += v1[d];
          c += v2[d];
        }
      }
      x0[h] = a * inv0[h];
      x1[h] = b * inv12[h];
      x2[h] = c * inv12[h];
    }
    double[][] xs = {x0, x1, x2};
    for (int m = 0; m < METRICS; m++) {
      double[] x = xs[m];
      if (!referenced) {
        double total = 0;
        for (int h = 0; h < x.length; h++) {
          total += counted[h] ? x[h] : 0;
        }
        ref[m] = n == 0 ? 0 : total / n;
      }
      double s = 0;
      double q = 0;
      for (int h = 0; h < x.length; h++) {
        if (counted[h]) {
          x[h] -= ref[m];
          s += x[h];
          q += x[h] * x[h];
        } else {
          x[h] = 0;
        }
      }
      sum[m] = s;
      sumSq[m] = q;
    }
    referenced = true;
    if (soft != null) {
      soft.recompute();
    }
  }

  int countedHosts() {
    return n;
  }

  boolean counted(int h) {
    return counted[h];
  }

  /** Balance plus the weight of the soft rules broken: what the planners lower. */
  double score() {
    return balance() + (soft == null ? 0 : soft.penalty());
  }

  /** Σ weight × standard deviation, without soft rules. */
  double balance() {
    return w0 * sd(sum[0], sumSq[0]) + w1 * sd(sum[1], sumSq[1]) + w2 * sd(sum[2], sumSq[2]);
  }

  /** The soft rules broken now. */
  int softRulesBroken() {
    return soft == null ? 0 : soft.broken();
  }

  double stddev(int metric) {
    return sd(sum[metric], sumSq[metric]);
  }

  double mean(int metric) {
    return n == 0 ? 0 : ref[metric] + sum[metric] / n;
  }

  /** The host's utilisation in one metric; meaningful for counted hosts only. */
  double value(int metric, int h) {
    return ref[metric]
        + switch (metric) {
          case MEMORY -> x0[h];
          case CPU -> x1[h];
          default -> x2[h];
        };
  }

  /** The domain's demand in one metric, before division by a host's capacity. */
  double demand(int metric, int d) {
    return switch (metric) {
      case MEMORY -> v0[d];
      case CPU -> v1[d];
      default -> v2[d];
    };
  }

  /** The host's reciprocal capacity in one metric; 0 for hosts not counted. */
  double reciprocalCapacity(int metric, int h) {
    return metric == MEMORY ? inv0[h] : inv12[h];
  }

  /** The score if the domain moved from one host to another; nothing changes. */
  double scoreIfMoved(int d, int from, int to) {
    double s0 = sum[0];
    double s1 = sum[1];
    double s2 = sum[2];
    double q0 = sumSq[0];
    double q1 = sumSq[1];
    double q2 = sumSq[2];
    if (counted[from]) {
      double a0 = x0[from];
      double a1 = x1[from];
      double a2 = x2[from];
      double b0 = a0 - v0[d] * inv0[from];
      double b1 = a1 - v1[d] * inv12[from];
      double b2 = a2 - v2[d] * inv12[from];
      s0 += b0 - a0;
      s1 += b1 - a1;
      s2 += b2 - a2;
      q0 += b0 * b0 - a0 * a0;
      q1 += b1 * b1 - a1 * a1;
      q2 += b2 * b2 - a2 * a2;
    }
    if (counted[to]) {
      double a0 = x0[to];
      double a1 = x1[to];
      double a2 = x2[to];
      double b0 = a0 + v0[d] * inv0[to];
      double b1 = a1 + v1[d] * inv12[to];
      double b2 = a2 + v2[d] * inv12[to];
      s0 += b0 - a0;
      s1 += b1 - a1;
      s2 += b2 - a2;
      q0 += b0 * b0 - a0 * a0;
      q1 += b1 * b1 - a1 * a1;
      q2 += b2 * b2 - a2 * a2;
    }
    return w0 * sd(s0, q0)
        + w1 * sd(s1, q1)
        + w2 * sd(s2, q2)
        + (soft == null ? 0 : soft.penaltyIfMoved(d, from, to));
  }

  /**
   * Writes into {@code out} (six values: Σx then Σx² per metric) the sums after the domain left its
   * host, so that {@link #scoreIfAdded} can try many destinations for the price of one.
   */
  void sumsWithout(int d, int from, double[] out) {
    double a0 = x0[from];
    double a1 = x1[from];
    double a2 = x2[from];
    double b0 = a0 - v0[d] * inv0[from];
    double b1 = a1 - v1[d] * inv12[from];
    double b2 = a2 - v2[d] * inv12[from];
    out[0] = sum[0] + b0 - a0;
    out[1] = sum[1] + b1 - a1;
    out[2] = sum[2] + b2 - a2;
    out[3] = sumSq[0] + b0 * b0 - a0 * a0;
    out[4] = sumSq[1] + b1 * b1 - a1 * a1;
    out[5] = sumSq[2] + b2 * b2 - a2 * a2;
  }

  /** The score with the sums from {@link #sumsWithout} and the domain added to a counted host. */
  double scoreIfAdded(double[] without, int d, int to) {
    double a0 = x0[to];
    double a1 = x1[to];
    double a2 = x2[to];
    double b0 = a0 + v0[d] * inv0[to];
    double b1 = a1 + v1[d] * inv12[to];
    double b2 = a2 + v2[d] * inv12[to];
    return w0 * sd(without[0] + b0 - a0, without[3] + b0 * b0 - a0 * a0)
        + w1 * sd(without[1] + b1 - a1, without[4] + b1 * b1 - a1 * a1)
        + w2 * sd(without[2] + b2 - a2, without[5] + b2 * b2 - a2 * a2)
        + (soft == null ? 0 : soft.penaltyIfMoved(d, placement.hostOf(d), to));
  }

  /** Records a move that the placement has made or is about to make. */
  void apply(int d, int from, int to) {
    if (soft != null) {
      soft.apply(d, from, to);
    }
    if (counted[from]) {
      shift(from, -v0[d], -v1[d], -v2[d]);
    }
    if (counted[to]) {
      shift(to, v0[d], v1[d], v2[d]);
    }
  }

  private void shift(int h, double d0, double d1, double d2) {
    double b0 = x0[h] + d0 * inv0[h];
    double b1 = x1[h] + d1 * inv12[h];
    double b2 = x2[h] + d2 * inv12[h];
    sum[0] += b0 - x0[h];
    sum[1] += b1 - x1[h];
    sum[2] += b2 - x2[h];
    sumSq[0] += b0 * b0 - x0[h] * x0[h];
    sumSq[1] += b1 * b1 - x1[h] * x1[h];
    sumSq[2] += b2 * b2 - x2[h] * x2[h];
    x0[h] = b0;
    x1[h] = b1;
    x2[h] = b2;
  }

  private double sd(double s, double q) {
    if (n == 0) {
      return 0;
    }
    double mean = s / n;
    double variance = q / n - mean * mean;
    return variance > 0 ? Math.sqrt(variance) : 0;
  }
}
