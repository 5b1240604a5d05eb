package xcm.coordinator.balancing;

import java.time.Duration;
import xcm.mbeans.AutomationLevel;

/**
 * How the continuous balancer runs; changeable at run time as a whole (the MBean and the CLI swap
 * in a new record). Immutable and thread-safe.
 *
 * @param interval how often a round runs
 * @param window the span {@link DemandTracker} smooths each domain's demand over
 * @param cooldown a domain that moved less than this ago is not moved again by a round
 * @param maxMovesPerRound the most moves one round makes
 * @param maxMovesPerHour the most moves the rounds of any hour make together
 * @param noiseFactor how many standard deviations of its own noise a move's gain must exceed
 * @param memoryWeight the weight of memory in the imbalance
 * @param cpuWeight the weight of CPU in the imbalance
 */
public record BalancerSettings(
    AutomationLevel level,
    MigrationThreshold threshold,
    Duration interval,
    Duration window,
    Duration cooldown,
    int maxMovesPerRound,
    int maxMovesPerHour,
    double noiseFactor,
    double memoryWeight,
    double cpuWeight) {

  /**
   * A round every five minutes on demand smoothed over fifteen: sixty samples at the default
   * collection interval, short enough to follow a working day's rise within half an hour.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

  /**
   * Six rounds: a domain that moved is left alone while its new host's smoothed demand catches up
   * with it; what keeps it from bouncing back later is the gain and noise test, not this.
   */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(30);

  public BalancerSettings {
    require(level != null, "automation level is missing");
    require(threshold != null, "migration threshold is missing");
    require(positive(interval), "interval must be above 0, found: " + interval);
    require(positive(window), "demand window must be above 0, found: " + window);
    require(
        cooldown != null && !cooldown.isNegative(),
        "cooldown must not be negative, found: " + cooldown);
    require(
        maxMovesPerRound >= 1, "maxMovesPerRound must be at least 1, found: " + maxMovesPerRound);
    require(
        maxMovesPerHour >= maxMovesPerRound,
        "maxMovesPerHour ("
            + maxMovesPerHour
            + ") must be at least maxMovesPerRound ("
            + maxMovesPerRound
            + ")");
    require(
        noiseFactor >= 0 && noiseFactor <= 10,
        "noiseFactor must be 0 to 10, found: " + noiseFactor);
    require(memoryWeight >= 0 && memoryWeight <= 100, "memoryWeight must be 0 to 100");
    require(cpuWeight >= 0 && cpuWeight <= 100, "cpuWeight must be 0 to 100");
    require(memoryWeight + cpuWeight > 0, "memoryWeight and cpuWeight cannot both be 0");
  }

  /** Off, threshold 3, the default interval, window and cooldown, 8 moves a round, 48 an hour. */
  public static BalancerSettings defaults() {
    return new BalancerSettings(
        AutomationLevel.OFF,
        MigrationThreshold.DEFAULT,
        DEFAULT_INTERVAL,
        DEFAULT_WINDOW,
        DEFAULT_COOLDOWN,
        8,
        48,
        2.0,
        1.0,
        1.0);
  }

  public BalancerSettings withLevel(AutomationLevel newLevel) {
    return new BalancerSettings(
        newLevel,
        threshold,
        interval,
        window,
        cooldown,
        maxMovesPerRound,
        maxMovesPerHour,
        noiseFactor,
        memoryWeight,
        cpuWeight);
  }

  public BalancerSettings withThreshold(MigrationThreshold newThreshold) {
    return new BalancerSettings(
        level,
        newThreshold,
        interval,
        window,
        cooldown,
        maxMovesPerRound,
        maxMovesPerHour,
        noiseFactor,
        memoryWeight,
        cpuWeight);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
