package xcm.coordinator.inventory;

import java.time.Duration;
import java.time.Instant;
import xcm.mbeans.HostState;

/**
 * The rules a host's record follows round after round. Pure: the time comes in as an argument.
 *
 * <ul>
 *   <li>A host that answers is reachable, whatever it missed before.
 *   <li>A host that misses {@code unreachableAfterRounds} rounds in a row is {@link
 *       HostState#UNREACHABLE} until it answers again; its operator mode (active, draining,
 *       maintenance) is kept for then.
 *   <li>A host is dead, and leaves every view, once it was removed, or once it has been unreachable
 *       and unheard of for {@code deadAfter} — unless it is on the failure path ({@link
 *       HostFailure}), where it stays until an operator removes it or it comes back, or in STANDBY,
 *       where power saving may have switched it off.
 * </ul>
 */
public final class HostLifecycle {
  private final int unreachableAfterRounds;
  private final Duration deadAfter;

  public HostLifecycle(int unreachableAfterRounds, Duration deadAfter) {
    if (unreachableAfterRounds < 1) {
      throw new IllegalArgumentException(
          "unreachable-after-rounds must be at least 1, found " + unreachableAfterRounds);
    }
    this.unreachableAfterRounds = unreachableAfterRounds;
    this.deadAfter = deadAfter;
  }

  /** A host that joined now after its agent answered with {@code data}. */
  public HostRecord joined(String url, HostData data, Instant now) {
    return joined(url, data, HostState.ACTIVE, now);
  }

  /** A host that joined in an operator mode it had before the coordinator restarted. */
  public HostRecord joined(String url, HostData data, HostState mode, Instant now) {
    return new HostRecord(data.name(), url, mode, true, 0, now, null, 0, null, data, null);
  }

  /**
   * A host known from before a restart, not heard from yet: unreachable until its agent answers;
   * {@code failure} the failure it was on, or null.
   */
  public HostRecord remembered(
      String name, String url, HostState mode, String why, HostFailure failure, Instant now) {
    return new HostRecord(name, url, mode, false, 0, now, why, 0, null, null, failure);
  }

  /**
   * The record after the agent answered a round. A suspect host, or one XCM failed to fence, is
   * back: nothing it ran was started elsewhere. A host being fenced stays so until the fence agent
   * has answered, and a fenced host until its stale copies are gone ({@link HostFailure#fenced}).
   */
  public HostRecord answered(HostRecord host, HostData data, Instant now) {
    HostFailure failure = host.failure();
    if (failure != null
        && (failure.phase() == HostState.SUSPECT || failure.phase() == HostState.FENCE_FAILED)) {
      failure = null;
    }
    return new HostRecord(
        host.name(),
        host.url(),
        host.mode(),
        true,
        0,
        now,
        host.lastError(),
        host.errorsTotal(),
        host.removedAt(),
        data,
        failure);
  }

  /** The record after the agent failed to answer a round, for {@code reason}. */
  public HostRecord missed(HostRecord host, String reason, Instant now) {
    int missed = host.missedRounds() + 1;
    return new HostRecord(
        host.name(),
        host.url(),
        host.mode(),
        host.reachable() && missed < unreachableAfterRounds,
        missed,
        host.lastSeen(),
        reason,
        host.errorsTotal() + 1,
        host.removedAt(),
        host.data(),
        host.failure());
  }

  /** The record of a host an operator removed. */
  public HostRecord removed(HostRecord host, Instant now) {
    return new HostRecord(
        host.name(),
        host.url(),
        host.mode(),
        host.reachable(),
        host.missedRounds(),
        host.lastSeen(),
        host.lastError(),
        host.errorsTotal(),
        now,
        host.data(),
        host.failure());
  }

  /** The same host, its agent now at {@code url} (an agent restarted on another address). */
  public HostRecord moved(HostRecord host, String url, HostData data, Instant now) {
    return new HostRecord(
        host.name(),
        url,
        host.mode(),
        true,
        0,
        now,
        host.lastError(),
        host.errorsTotal(),
        null,
        data,
        host.failure());
  }

  /** The same host in another operator mode (ACTIVE, DRAINING, MAINTENANCE or STANDBY). */
  public HostRecord withMode(HostRecord host, HostState mode) {
    if (mode != HostState.ACTIVE
        && mode != HostState.DRAINING
        && mode != HostState.MAINTENANCE
        && mode != HostState.STANDBY) {
      throw new IllegalArgumentException("not an operator mode: " + mode);
    }
    return new HostRecord(
        host.name(),
        host.url(),
        mode,
        host.reachable(),
        host.missedRounds(),
        host.lastSeen(),
        host.lastError(),
        host.errorsTotal(),
        host.removedAt(),
        host.data(),
        host.failure());
  }

  /** True when the dead-host collector should drop the host from every view and metric. */
  public boolean isDead(HostRecord host, Instant now) {
    if (host.removedAt() != null) {
      return true;
    }
    if (host.failure() != null) {
      // Its domains wait for a fence, a restart or an operator: it stays in view until removed.
      return false;
    }
    if (host.mode() == HostState.STANDBY) {
      // Power saving switched it off: it is waited for, not collected.
      return false;
    }
    return !host.reachable() && !host.lastSeen().plus(deadAfter).isAfter(now);
  }

  public int unreachableAfterRounds() {
    return unreachableAfterRounds;
  }
}
