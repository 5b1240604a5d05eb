package xcm.coordinator.inventory;

import java.time.Instant;
import java.util.Objects;
import xcm.mbeans.HostState;

/**
 * Where a host that stopped answering is on the failure path, and why.
 *
 * @param phase {@link HostState#SUSPECT}, {@link HostState#FENCING}, {@link HostState#FENCE_FAILED}
 *     or {@link HostState#FAILED}
 * @param since when the host entered this phase
 * @param reason what XCM found or did, for every view: the fence agent's message, who confirmed
 * @param attempts fencing attempts that failed so far
 * @param nextAttempt when fencing is tried again (FENCE_FAILED), or probes run again (SUSPECT);
 *     null for at once
 * @param runs another agent reached the host's agent at the last probe: it is cut off from the
 *     coordinator, not failed, and nobody may confirm it down
 */
public record HostFailure(
    HostState phase,
    Instant since,
    String reason,
    int attempts,
    Instant nextAttempt,
    boolean runs) {

  public HostFailure {
    Objects.requireNonNull(phase, "phase");
    if (!phase.failing()) {
      throw new IllegalArgumentException("not a failure phase: " + phase);
    }
    Objects.requireNonNull(since, "since");
    reason = reason == null ? "" : reason;
  }

  /** A host first found not answering. */
  public static HostFailure suspect(Instant now, String reason) {
    return new HostFailure(HostState.SUSPECT, now, reason, 0, null, false);
  }

  /** A host fenced at {@code at}, for {@code reason}. */
  public static HostFailure fenced(Instant at, String reason) {
    return new HostFailure(HostState.FAILED, at, reason, 0, null, false);
  }

  /** The next phase, counting failed attempts on. */
  public HostFailure then(HostState next, Instant now, String why, Instant retryAt) {
    int failed = next == HostState.FENCE_FAILED ? attempts + 1 : attempts;
    return new HostFailure(next, phase == next ? since : now, why, failed, retryAt, false);
  }

  /** Still suspect, its agent reached by another agent; probed again at {@code retryAt}. */
  public HostFailure cutOff(String why, Instant retryAt) {
    return new HostFailure(HostState.SUSPECT, since, why, attempts, retryAt, true);
  }

  /** True once the host is known to be off: its domains may run elsewhere. */
  public boolean fenced() {
    return phase == HostState.FAILED;
  }
}
