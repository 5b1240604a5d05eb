package xcm.coordinator.inventory;

import java.time.Instant;
import xcm.mbeans.HostState;

/**
 * The coordinator's record of one host: where its agent is, whether it answers, what it said last.
 * Immutable; {@link HostLifecycle} makes the next one.
 *
 * @param mode what operators made of the host: {@link HostState#ACTIVE}, {@link HostState#DRAINING}
 *     or {@link HostState#MAINTENANCE}, or power saving: {@link HostState#STANDBY}; kept while the
 *     host is unreachable so that a host in maintenance does not come back as active
 * @param reachable false once the agent missed the configured number of rounds in a row
 * @param missedRounds rounds missed in a row
 * @param lastSeen when the agent last answered (when it was added, before that)
 * @param lastError why it last failed to answer; null if it never failed
 * @param errorsTotal rounds it failed to answer since it joined
 * @param removedAt when {@code removeHost} took it out; null while it is a member
 * @param data what it reported when it last answered; null before its first answer
 * @param failure where it is on the failure path (suspect, fencing, fenced); null when it is not
 */
public record HostRecord(
    String name,
    String url,
    HostState mode,
    boolean reachable,
    int missedRounds,
    Instant lastSeen,
    String lastError,
    long errorsTotal,
    Instant removedAt,
    HostData data,
    HostFailure failure) {

  /**
   * True when its agent answered the last round and it is on no failure path: what it reports is
   * current, and it may vouch for other hosts.
   */
  public boolean answering() {
    return removedAt == null && reachable && missedRounds == 0 && failure == null && data != null;
  }

  /** The state every view shows. */
  public HostState state() {
    if (removedAt != null) {
      return HostState.REMOVED;
    }
    if (failure != null) {
      return failure.phase();
    }
    // A host in STANDBY may be switched off: its silence is expected.
    return reachable || mode == HostState.STANDBY ? mode : HostState.UNREACHABLE;
  }

  /**
   * The same host fenced: powered off, it runs nothing, whatever it reported last (its domains are
   * restarted elsewhere, and must not count twice).
   */
  public HostRecord fenced(HostFailure next) {
    return with(data == null ? null : data.withoutDomains(), next);
  }

  /** The same host on another step of the failure path; null: off it. */
  public HostRecord withFailure(HostFailure next) {
    return with(data, next);
  }

  /** The same host reporting {@code newData}, all else as it is. */
  public HostRecord withData(HostData newData) {
    return with(newData, failure);
  }

  private HostRecord with(HostData newData, HostFailure next) {
    return new HostRecord(
        name,
        url,
        mode,
        reachable,
        missedRounds,
        lastSeen,
        lastError,
        errorsTotal,
        removedAt,
        newData,
        next);
  }
}
