package xcm.mbeans;

/** A host's place in the cluster, as the coordinator sees it. */
public enum HostState {
  /** Answers collections and accepts new domains. */
  ACTIVE,
  /** Missed the configured number of collection rounds in a row. */
  UNREACHABLE,
  /** Being evacuated: accepts no new domains, its domains are moving away. */
  DRAINING,
  /** Drained and held out of service until activated again. */
  MAINTENANCE,
  /** Gone from every view and metric (removed, or unreachable for too long). */
  REMOVED,
  /**
   * Missed collections for the detection time: XCM asks its fence device for its power and the
   * other agents whether they reach it; nothing is restarted yet. A host only the coordinator
   * cannot reach stays here.
   */
  SUSPECT,
  /** Being powered off through its fence device, before anything it ran starts elsewhere. */
  FENCING,
  /**
   * Fencing failed, or the host has no fence device: nothing it ran is restarted until fencing
   * succeeds (XCM retries) or an operator confirms it is down ({@code confirm-down}).
   */
  FENCE_FAILED,
  /**
   * Powered off by its fence device or confirmed down by an operator: its domains are restarted on
   * other hosts, and it takes none until it comes back and its stale copies are removed.
   */
  FAILED,
  /**
   * Emptied by the power-saving policy: takes no domains and may be powered off through its power
   * hook; brought back to ACTIVE when the cluster's demand crosses the high-water mark.
   */
  STANDBY;

  /** True for the states of a host that failed or may have: it takes no domains. */
  public boolean failing() {
    return this == SUSPECT || this == FENCING || this == FENCE_FAILED || this == FAILED;
  }
}
