package xcm.agent.migration;

import xcm.client.JolokiaException;
import xcm.mbeans.MigrationJob;

/**
 * The destination host's agent as the source agent sees it during a migration: for a hand-over, the
 * incoming half of the phases ({@code prepareIncoming}, {@code finishIncoming}, {@code
 * abortIncoming} of its {@code xcm:type=HostOperations}); for libvirt's live migration, where its
 * libvirtd takes the domain ({@link #describe()}) and libvirt's figures afterwards ({@link
 * #completedMigration}).
 *
 * <p>A call that does not succeed throws {@link JolokiaException}, whose outcome tells what it may
 * have done on the destination: a rollback may only resume the source's copy when the destination
 * certainly does not run the domain.
 *
 * <p>Implementations are thread-safe.
 */
public interface Peer {

  /** The destination's Jolokia URL. */
  String url();

  /** What a live migration needs to know of the destination: one read of its {@code Host}. */
  Destination describe() throws JolokiaException;

  /**
   * libvirt's statistics of the domain's last completed migration on the destination; null when its
   * libvirt has none.
   */
  MigrationJob completedMigration(String domain) throws JolokiaException;

  /**
   * PREPARE: the destination defines the domain (paused where it can start it paused, else shut
   * off). Each phase carries the coordinator's ticket for the hand-over, which an enrolled
   * destination checks ("" where the agents are not enrolled).
   *
   * @return the destination's host name, or null if it did not tell
   */
  String prepareIncoming(String xml, String ticket) throws JolokiaException;

  /**
   * FINISH: the destination runs the domain. Returns normally exactly when the domain runs there,
   * also when asked again after an answer was lost.
   */
  void finishIncoming(String domain, String ticket) throws JolokiaException;

  /** Undoes PREPARE: the destination removes its copy, unless that copy runs. */
  void abortIncoming(String domain, String ticket) throws JolokiaException;

  /**
   * The destination as its agent describes itself.
   *
   * @param host its host name
   * @param libvirtUri the libvirt URI its agent samples
   * @param libvirtConnected whether its agent reaches its libvirt now
   * @param migrationUri the URI the source's libvirtd connects to; empty when it cannot take live
   *     migrations
   * @param migrationAddress where migration data goes; empty to let libvirt choose
   * @param memoryFreeBytes its free memory as last sampled
   */
  record Destination(
      String host,
      String libvirtUri,
      boolean libvirtConnected,
      String migrationUri,
      String migrationAddress,
      long memoryFreeBytes) {}
}
