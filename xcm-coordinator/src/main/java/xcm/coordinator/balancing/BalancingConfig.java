package xcm.coordinator.balancing;

import xcm.mbeans.AutomationLevel;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/** The continuous balancer's configuration: its settings at start (the doors change them later). */
public final class BalancingConfig {
  private BalancingConfig() {}

  /**
   * Loads {@code balancing.*} keys:
   *
   * <pre>
   * balancing.level                 off   off, manual or full
   * balancing.threshold             3     1 (conservative) to 5 (aggressive)
   * balancing.interval              5m    a round this often
   * balancing.window                15m   each domain's demand is smoothed over this
   * balancing.cooldown              30m   a domain that moved is not moved by a round sooner
   * balancing.max-moves-per-round   8
   * balancing.max-moves-per-hour    48
   * </pre>
   */
  public static BalancerSettings load(Settings s) {
    BalancerSettings d = BalancerSettings.defaults();
    String level = s.string("balancing.level", d.level().label());
    AutomationLevel parsed;
    try {
      parsed = AutomationLevel.of(level);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          s.prefix() + "balancing.level", level, "must be off, manual or full");
    }
    int threshold = s.positiveInt("balancing.threshold", d.threshold().level());
    if (threshold > MigrationThreshold.AGGRESSIVE) {
      throw new ConfigException(
          s.prefix() + "balancing.threshold",
          Integer.toString(threshold),
          "must be 1 (conservative) to 5 (aggressive)");
    }
    try {
      return new BalancerSettings(
          parsed,
          new MigrationThreshold(threshold),
          s.duration("balancing.interval", d.interval()),
          s.duration("balancing.window", d.window()),
          s.duration("balancing.cooldown", d.cooldown()),
          s.positiveInt("balancing.max-moves-per-round", d.maxMovesPerRound()),
          s.positiveInt("balancing.max-moves-per-hour", d.maxMovesPerHour()),
          d.noiseFactor(),
          d.memoryWeight(),
          d.cpuWeight());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.prefix() + "balancing.*", null, e.getMessage());
    }
  }
}
