package xcm.coordinator.operation;

import java.time.Duration;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * How long the audit log keeps its entries: keys {@code audit.max-age} (90d), {@code
 * audit.max-rows} (1000000) and {@code audit.prune-interval} (1h). An entry goes when it is older
 * than the age or beyond the newest rows, whichever comes first, at the next pruning.
 */
public record AuditRetention(Duration maxAge, int maxRows, Duration pruneInterval) {
  public static final AuditRetention DEFAULT =
      new AuditRetention(Duration.ofDays(90), 1_000_000, Duration.ofHours(1));

  public AuditRetention {
    if (maxAge.isNegative() || maxAge.isZero() || maxRows < 1 || pruneInterval.isZero()) {
      throw new IllegalArgumentException(
          "the audit log keeps entries for a positive age and at least one row, pruned at a"
              + " positive interval");
    }
  }

  /** Reads the {@code audit.*} keys. */
  public static AuditRetention load(Settings s) {
    Duration age = positive(s, "audit.max-age", DEFAULT.maxAge());
    int rows = s.positiveInt("audit.max-rows", DEFAULT.maxRows());
    Duration interval = positive(s, "audit.prune-interval", DEFAULT.pruneInterval());
    return new AuditRetention(age, rows, interval);
  }

  private static Duration positive(Settings s, String key, Duration defaultValue) {
    Duration value = s.duration(key, defaultValue);
    if (value.isZero()) {
      throw new ConfigException(
          s.prefix() + key, s.string(key).orElse("0"), "must be longer than 0");
    }
    return value;
  }
}
