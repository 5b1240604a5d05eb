package xcm.coordinator.failure;

import java.time.Instant;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.HostState;

/**
 * What to do next about one host, from its record and the time alone: pure, so that every path is
 * tested without agents, BMCs or clocks.
 */
public enum FailureStep {
  /** Nothing: the host answers, or waits for a retry or an operator. */
  NONE,
  /** It has not answered for the detection time: mark it SUSPECT. */
  SUSPECT,
  /** Ask its BMC and the other agents, then fence it unless another agent still reaches it. */
  PROBE,
  /** Fencing failed before and its back-off has passed: fence again. */
  FENCE_AGAIN,
  /** Fenced: restart what it ran that runs nowhere now. */
  RESTART,
  /** Fenced and answering again (powered back on): remove its stale copies, then return it. */
  RETURN;

  /** The step for {@code host} at {@code now}. */
  public static FailureStep of(HostRecord host, Instant now, FailureConfig config) {
    if (host.removedAt() != null) {
      return NONE;
    }
    HostFailure failure = host.failure();
    if (failure == null) {
      if (host.mode() == HostState.STANDBY && !runsDomains(host)) {
        // Emptied and switched off by power saving: silence is what it should do.
        return NONE;
      }
      return host.missedRounds() > 0 && !answeredWithin(host, now, config) ? SUSPECT : NONE;
    }
    return switch (failure.phase()) {
      case SUSPECT -> due(failure, now) ? PROBE : NONE;
      case FENCE_FAILED -> due(failure, now) ? FENCE_AGAIN : NONE;
      case FAILED -> host.reachable() && host.missedRounds() == 0 ? RETURN : RESTART;
      // The fence agent is running: its end decides.
      case FENCING -> NONE;
      default -> throw new IllegalStateException("not a failure phase: " + failure.phase());
    };
  }

  /** True if the host's last sample shows a domain holding memory and CPUs there. */
  private static boolean runsDomains(HostRecord host) {
    return host.data() != null && host.data().domains().stream().anyMatch(DomainData::active);
  }

  private static boolean answeredWithin(HostRecord host, Instant now, FailureConfig config) {
    return host.lastSeen().plus(config.detectAfter()).isAfter(now);
  }

  private static boolean due(HostFailure failure, Instant now) {
    return failure.nextAttempt() == null || !failure.nextAttempt().isAfter(now);
  }
}
