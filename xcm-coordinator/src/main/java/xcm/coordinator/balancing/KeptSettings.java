package xcm.coordinator.balancing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.AutomationLevel;
import xcm.serve.LogText;

/**
 * The continuous balancer's and power saving's settings as they stand: the configured ones, then
 * what operators change at run time — each change audited, refused on a standby, and journaled
 * before it applies, so that a restart or a takeover keeps it ({@link #reload}).
 *
 * <p>Thread-safe.
 */
final class KeptSettings {
  private static final Logger log = LoggerFactory.getLogger(KeptSettings.class);
  private static final String LEVEL = "balancing.level";
  private static final String THRESHOLD = "balancing.threshold";
  private static final String POWER_SAVING = "power-saving.enabled";

  private final OperationService operations;
  private final Journal journal;
  private final AtomicReference<BalancerSettings> balancer;
  private final AtomicReference<PowerSettings> power;

  KeptSettings(
      OperationService operations,
      Journal journal,
      BalancerSettings balancer,
      PowerSettings power) {
    this.operations = operations;
    this.journal = journal;
    this.balancer = new AtomicReference<>(balancer);
    this.power = new AtomicReference<>(power);
    reload();
  }

  BalancerSettings balancer() {
    return balancer.get();
  }

  PowerSettings power() {
    return power.get();
  }

  /**
   * Applies what the journal keeps over the current settings. A value this XCM cannot read is
   * logged and left out.
   */
  void reload() {
    Map<String, String> kept = journal.settings();
    try {
      if (kept.containsKey(LEVEL)) {
        AutomationLevel level = AutomationLevel.of(kept.get(LEVEL));
        balancer.updateAndGet(s -> s.withLevel(level));
      }
      if (kept.containsKey(THRESHOLD)) {
        MigrationThreshold threshold =
            new MigrationThreshold(Integer.parseInt(kept.get(THRESHOLD)));
        balancer.updateAndGet(s -> s.withThreshold(threshold));
      }
      if (kept.containsKey(POWER_SAVING)) {
        boolean on = Boolean.parseBoolean(kept.get(POWER_SAVING));
        power.updateAndGet(p -> p.withEnabled(on));
      }
    } catch (IllegalArgumentException e) {
      log.warn(
          "a balancing setting in the journal is left out: {}", LogText.escape(e.getMessage()));
    }
  }

  BalancerSettings level(AutomationLevel level, Requester who) {
    return change(
        who,
        "balancing level " + level.label(),
        LEVEL,
        level.label(),
        balancer,
        s -> s.withLevel(level));
  }

  BalancerSettings threshold(MigrationThreshold threshold, Requester who) {
    return change(
        who,
        "balancing threshold " + threshold.level(),
        THRESHOLD,
        Integer.toString(threshold.level()),
        balancer,
        s -> s.withThreshold(threshold));
  }

  PowerSettings powerSaving(boolean on, Requester who) {
    return change(
        who,
        "power saving " + (on ? "on" : "off"),
        POWER_SAVING,
        Boolean.toString(on),
        power,
        p -> p.withEnabled(on));
  }

  private <T> T change(
      Requester who,
      String action,
      String key,
      String value,
      AtomicReference<T> setting,
      UnaryOperator<T> how) {
    return operations
        .audit()
        .audited(
            who,
            action,
            () -> {
              operations.requireActive();
              journal.setting(key, value);
              return setting.updateAndGet(how);
            },
            s -> "done");
  }
}
