package xcm.mbeans;

/**
 * A domain's run state, as libvirt's {@code virDomainState}; {@link #code()} is libvirt's number,
 * which the {@code xcm_domain_state} metric exports.
 */
public enum DomainState {
  NOSTATE(0),
  RUNNING(1),
  BLOCKED(2),
  PAUSED(3),
  SHUTDOWN(4),
  SHUTOFF(5),
  CRASHED(6),
  PMSUSPENDED(7);

  private final int code;

  DomainState(int code) {
    this.code = code;
  }

  /** libvirt's {@code virDomainState} value. */
  public int code() {
    return code;
  }

  /** True while the domain holds memory on its host: running, blocked, paused or suspended. */
  public boolean isActive() {
    return this == RUNNING
        || this == BLOCKED
        || this == PAUSED
        || this == SHUTDOWN
        || this == PMSUSPENDED;
  }

  /** The state for libvirt's number; unknown numbers (newer libvirt) map to {@link #NOSTATE}. */
  public static DomainState ofCode(int code) {
    for (DomainState state : values()) {
      if (state.code == code) {
        return state;
      }
    }
    return NOSTATE;
  }
}
