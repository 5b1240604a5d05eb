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
  REMOVED
}
