package xcm.agent.migration;

import xcm.mbeans.ObjectNames;
import xcm.serve.Grants;

/**
 * What another agent may do on this one: exactly what a source asks of its destination ({@link
 * JolokiaPeer}) and nothing else. For a hand-over, define the domain, start it or remove the copy
 * it defined ({@link IncomingMigrations}, with the coordinator's ticket); for a live migration,
 * read the host (where its libvirtd takes domains, its free memory) and libvirt's figures of the
 * migration afterwards. Another agent is known by its cluster certificate.
 */
public final class PeerRole {
  public static final Grants GRANTS =
      Grants.role("peer")
          .exec(
              ObjectNames.hostOperations(),
              "prepareIncoming",
              "finishIncoming",
              "abortIncoming",
              "completedMigration")
          .read(ObjectNames.host());

  private PeerRole() {}
}
