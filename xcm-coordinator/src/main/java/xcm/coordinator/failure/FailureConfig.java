package xcm.coordinator.failure;

import java.time.Duration;
import xcm.coordinator.plan.FailoverTarget;
import xcm.mbeans.HostState;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * How XCM handles a host that stops answering.
 *
 * @param detectAfter how long a host's agent may miss collection rounds before the host is SUSPECT
 *     (vSphere HA declares a host failed after 15 s without heartbeats)
 * @param firstRetry how long after a failed fence XCM tries again; each failure doubles it
 * @param lastRetry the longest wait between fencing attempts
 * @param peersAsked how many other agents are asked whether they still reach a suspect host
 * @param returnMode the mode a fenced host returns in once its stale copies are gone: ACTIVE, or
 *     MAINTENANCE for an operator to look at it first
 * @param failover the host failures the cluster must absorb with every VM restarted (below it an
 *     alert fires, and no plan of XCM's moves it lower), and the CPU limit of restarts
 */
public record FailureConfig(
    Duration detectAfter,
    Duration firstRetry,
    Duration lastRetry,
    int peersAsked,
    HostState returnMode,
    FailoverTarget failover) {

  public static final FailureConfig DEFAULTS =
      new FailureConfig(
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          3,
          HostState.ACTIVE,
          new FailoverTarget(1, 100));

  public FailureConfig {
    if (detectAfter.isNegative() || detectAfter.isZero()) {
      throw new IllegalArgumentException("failure detection time must be positive: " + detectAfter);
    }
    if (firstRetry.isNegative() || firstRetry.isZero() || lastRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException(
          "fence retries must wait a positive time, the first no longer than the last: "
              + firstRetry
              + ", "
              + lastRetry);
    }
    if (peersAsked < 0) {
      throw new IllegalArgumentException("peers asked must not be negative: " + peersAsked);
    }
    if (returnMode != HostState.ACTIVE && returnMode != HostState.MAINTENANCE) {
      throw new IllegalArgumentException(
          "a fenced host returns ACTIVE or in MAINTENANCE, not " + returnMode);
    }
  }

  /**
   * Reads {@code failure.detect-after} (15s), {@code failure.fence-retry} (10s), {@code
   * failure.fence-retry-max} (5m), {@code failure.peers-asked} (3), {@code failure.return} ({@code
   * active} or {@code maintenance}), {@code failure.failover-level} (1) and {@code
   * failure.restart-cpu-percent} (100).
   */
  public static FailureConfig load(Settings s) {
    String back = s.string("failure.return", "active");
    HostState mode =
        switch (back) {
          case "active" -> HostState.ACTIVE;
          case "maintenance" -> HostState.MAINTENANCE;
          default ->
              throw new ConfigException(
                  s.prefix() + "failure.return", back, "must be active or maintenance");
        };
    try {
      return new FailureConfig(
          s.duration("failure.detect-after", DEFAULTS.detectAfter()),
          s.duration("failure.fence-retry", DEFAULTS.firstRetry()),
          s.duration("failure.fence-retry-max", DEFAULTS.lastRetry()),
          s.nonNegativeInt("failure.peers-asked", DEFAULTS.peersAsked()),
          mode,
          new FailoverTarget(
              s.nonNegativeInt("failure.failover-level", DEFAULTS.failover().level()),
              s.positiveInt("failure.restart-cpu-percent", DEFAULTS.failover().cpuPercent())));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.prefix() + "failure.*", "", e.getMessage());
    }
  }

  /** The wait after {@code failures} failed fencing attempts: doubling, capped. */
  public Duration retryAfter(int failures) {
    Duration wait = firstRetry;
    for (int i = 1; i < failures && wait.compareTo(lastRetry) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(lastRetry) > 0 ? lastRetry : wait;
  }
}
