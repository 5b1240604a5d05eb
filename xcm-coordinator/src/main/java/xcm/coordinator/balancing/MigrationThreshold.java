package xcm.coordinator.balancing;

/**
 * How eager the continuous balancer is, 1 (conservative) to 5 (aggressive), as two numbers an
 * operator can check against the views:
 *
 * <ul>
 *   <li>the <em>imbalance that starts a round</em>: below it the cluster counts as balanced and the
 *       round moves nothing. The imbalance is the standard deviation of the ACTIVE hosts' CPU
 *       utilisation plus that of their memory utilisation (0.10 is, for example, hosts spread ten
 *       percentage points around the mean on one of them and even on the other);
 *   <li>the <em>least gain of a move</em>: how much a move must lower that imbalance, given as
 *       {@code L / N} for N ACTIVE hosts, since one move changes two hosts' share of a spread over
 *       N.
 * </ul>
 *
 * <table>
 *   <caption>The levels</caption>
 *   <tr><th>level</th><th>starts at</th><th>least gain (L)</th></tr>
 *   <tr><td>1</td><td>0.20</td><td>0.20 / N</td></tr>
 *   <tr><td>2</td><td>0.14</td><td>0.07 / N</td></tr>
 *   <tr><td>3</td><td>0.10</td><td>0.025 / N</td></tr>
 *   <tr><td>4</td><td>0.06</td><td>0.008 / N</td></tr>
 *   <tr><td>5</td><td>0.03</td><td>0.002 / N</td></tr>
 * </table>
 *
 * <p>Both fall as the level rises, so a higher level never moves fewer domains on the same input.
 * Every level also refuses a move whose gain is within the noise of the demand it was computed from
 * ({@link ContinuousBalancer}).
 */
public record MigrationThreshold(int level) {
  public static final int CONSERVATIVE = 1;
  public static final int AGGRESSIVE = 5;
  public static final MigrationThreshold DEFAULT = new MigrationThreshold(3);

  private static final double[] START_IMBALANCE = {0.20, 0.14, 0.10, 0.06, 0.03};
  private static final double[] LEAST_GAIN = {0.20, 0.07, 0.025, 0.008, 0.002};

  public MigrationThreshold {
    if (level < CONSERVATIVE || level > AGGRESSIVE) {
      throw new IllegalArgumentException(
          "migration threshold must be 1 (conservative) to 5 (aggressive), found: " + level);
    }
  }

  /** The least imbalance that starts a round. */
  public double startImbalance() {
    return START_IMBALANCE[level - 1];
  }

  /** The least gain of a move on a cluster of that many ACTIVE hosts. */
  public double minGain(int hosts) {
    return LEAST_GAIN[level - 1] / Math.max(1, hosts);
  }

  /** The most permissive level's least gain: the moves every level cuts its own from. */
  static double finestGain(int hosts) {
    return LEAST_GAIN[AGGRESSIVE - 1] / Math.max(1, hosts);
  }
}
