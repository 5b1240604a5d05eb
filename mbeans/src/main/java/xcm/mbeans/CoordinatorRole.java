package xcm.mbeans;

/** What a coordinator may do, by the lease on the journal it holds or not. */
public enum CoordinatorRole {
  /** Serves the read-only views and refuses requests that act, naming the active coordinator. */
  STANDBY,
  /** Holds the lease: acts, and carries its epoch to the agents. */
  ACTIVE,
  /**
   * Held the lease and found another coordinator had taken it: acts on nothing more, and is to be
   * started again (as a standby), because what it held in memory may no longer be true.
   */
  DEPOSED
}
