package xcm.coordinator.balancing;

import xcm.mbeans.AutomationLevel;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * The continuous balancer's and power saving's configuration: their settings at start (the doors
 * change level, threshold and power saving later) and how STANDBY hosts are switched.
 *
 * @param fenceHook true to switch STANDBY hosts off and on through their fence devices; false to
 *     only mark them STANDBY
 */
public record BalancingConfig(BalancerSettings balancer, PowerSettings power, boolean fenceHook) {

  /**
   * Loads {@code balancing.*} and {@code power-saving.*} keys:
   *
   * <pre>
   * balancing.level                 off   off, manual or full
   * balancing.threshold             3     1 (conservative) to 5 (aggressive)
   * balancing.interval              5m    a round this often
   * balancing.window                15m   each domain's demand is smoothed over this
   * balancing.cooldown              30m   a domain that moved is not moved by a round sooner
   * balancing.max-moves-per-round   8
   * balancing.max-moves-per-hour    48
   * power-saving.enabled            false at level full, empty hosts into STANDBY
   * power-saving.target-cpu         0.70  peak CPU the other hosts may reach once one is emptied
   * power-saving.target-memory      0.80
   * power-saving.high-water-cpu     0.85  peak CPU that brings STANDBY hosts back
   * power-saving.high-water-memory  0.90
   * power-saving.spare-hosts        1     the largest hosts the targets leave out
   * power-saving.hook               none  none (only mark STANDBY) or fence (the host's fence
   *                                       device switches it off and on)
   * </pre>
   */
  public static BalancingConfig load(Settings s) {
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
    String hook = s.string("power-saving.hook", "none");
    if (!hook.equals("none") && !hook.equals("fence")) {
      throw new ConfigException(s.prefix() + "power-saving.hook", hook, "must be none or fence");
    }
    BalancerSettings balancer;
    try {
      balancer =
          new BalancerSettings(
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
    PowerSettings p = PowerSettings.defaults();
    PowerSettings power;
    try {
      power =
          new PowerSettings(
              s.bool("power-saving.enabled", false),
              share(s, "power-saving.target-cpu", p.targetCpu()),
              share(s, "power-saving.target-memory", p.targetMemory()),
              share(s, "power-saving.high-water-cpu", p.highWaterCpu()),
              share(s, "power-saving.high-water-memory", p.highWaterMemory()),
              s.nonNegativeInt("power-saving.spare-hosts", p.spareHosts()),
              p.peakFactor());
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.prefix() + "power-saving.*", null, e.getMessage());
    }
    return new BalancingConfig(balancer, power, hook.equals("fence"));
  }

  private static double share(Settings s, String key, double fallback) {
    String text = s.string(key, Double.toString(fallback));
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new ConfigException(s.prefix() + key, text, "must be a number like 0.7");
    }
  }
}
