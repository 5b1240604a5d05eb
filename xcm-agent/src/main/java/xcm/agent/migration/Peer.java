package xcm.agent.migration;

/**
 * The destination host's agent as the source agent sees it during a migration: the incoming half of
 * the phases ({@code prepareIncoming}, {@code finishIncoming}, {@code abortIncoming} of its {@code
 * xcm:type=HostOperations}).
 */
interface Peer {

  /** The destination's Jolokia URL. */
  String url();

  /**
   * PREPARE: the destination defines the domain (paused where it can start it paused, else shut
   * off).
   *
   * @return the destination's host name, or null if it did not tell
   */
  String prepareIncoming(String xml) throws PeerException;

  /**
   * FINISH: the destination runs the domain. Returns normally exactly when the domain runs there,
   * also when asked again after an answer was lost.
   */
  void finishIncoming(String domain) throws PeerException;

  /** Undoes PREPARE: the destination removes its copy, unless that copy runs. */
  void abortIncoming(String domain) throws PeerException;
}
