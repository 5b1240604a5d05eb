package xcm.coordinator;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.collect.Membership;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.RegistryRows;
import xcm.serve.StartException;

/**
 * Which hosts are collected, the same on every coordinator of a journal. An operator adds and
 * removes hosts on the active coordinator, which records the change in the journal before it
 * changes its own model, so that a change is never lost by a crash, nor half made; every
 * coordinator follows what was recorded after each round ({@link #follow}), the active one too (its
 * own changes are then found made already), and at its start.
 *
 * <p>Thread-safe.
 */
final class SharedRegistry implements Membership {
  private static final Logger log = LoggerFactory.getLogger(SharedRegistry.class);

  private final RegistryRows registry;
  private final ClusterCollector collector;
  private final Inventory inventory;
  private final EnrolmentDesk desk;
  private final LongSupplier mandate;
  private long seen;

  /**
   * @param mandate the epoch this coordinator acts under; throws {@link
   *     xcm.mbeans.StandbyException} on a standby, which changes nothing
   */
  SharedRegistry(
      RegistryRows registry,
      ClusterCollector collector,
      Inventory inventory,
      EnrolmentDesk desk,
      LongSupplier mandate) {
    this.registry = registry;
    this.collector = collector;
    this.inventory = inventory;
    this.desk = desk;
    this.mandate = mandate;
  }

  /**
   * Follows the journal from now on: at once (the hosts added before this start), then after every
   * round of {@code collector}.
   *
   * @throws StartException when the journal cannot be read
   */
  static SharedRegistry following(
      RegistryRows registry,
      ClusterCollector collector,
      Inventory inventory,
      EnrolmentDesk desk,
      LongSupplier mandate)
      throws StartException {
    SharedRegistry shared = new SharedRegistry(registry, collector, inventory, desk, mandate);
    try {
      shared.follow();
    } catch (JournalException e) {
      throw new StartException(e.getMessage(), e);
    }
    collector.afterRound(
        round -> {
          try {
            shared.follow();
          } catch (JournalException e) {
            log.warn("cannot follow the hosts added and removed: {}", e.getMessage());
          }
        });
    return shared;
  }

  /**
   * Reads the agent at {@code url} and makes its host a member, on every coordinator.
   *
   * @return the host name the agent reports
   * @throws IllegalArgumentException naming the URL and why the agent cannot be added
   * @throws xcm.mbeans.StandbyException on a standby
   */
  @Override
  public String addHost(String url) {
    mandate.getAsLong();
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("agent URL is empty");
    }
    String normalised = ClusterCollector.normalise(url.strip());
    boolean member = inventory.snapshot().hostAt(normalised) != null;
    String host = collector.addHost(normalised);
    if (!member) {
      try {
        registry.addMember(normalised);
      } catch (RuntimeException e) {
        // Not recorded, so not a member: the next coordinator would not know it.
        collector.removeHost(host);
        throw e;
      }
    }
    return host;
  }

  /**
   * Stops collecting {@code host} on every coordinator, and revokes its certificate when it is
   * enrolled (it may never have answered).
   *
   * @return whether a certificate was revoked
   * @throws IllegalArgumentException naming the host when it is neither a member nor enrolled
   * @throws xcm.mbeans.StandbyException on a standby
   */
  @Override
  public boolean removeHost(String host) {
    mandate.getAsLong();
    HostRecord member = inventory.snapshot().host(host);
    if (member != null && member.removedAt() != null) {
      member = null;
    }
    String enrolledUrl = desk.enrolled(host).map(e -> e.url()).orElse(null);
    if (member == null && enrolledUrl == null) {
      // Names the members.
      inventory.remove(host);
    }
    boolean revoked = desk.revoke(host);
    if (member != null
        && (enrolledUrl == null || !ClusterCollector.normalise(enrolledUrl).equals(member.url()))) {
      registry.removeMember(member.url());
    }
    if (member != null) {
      collector.removeHost(host);
    }
    if (enrolledUrl != null) {
      collector.forget(ClusterCollector.normalise(enrolledUrl));
    }
    return revoked;
  }

  /**
   * Takes in what was recorded since the last call: hosts enrolled, moved and removed, agent URLs
   * added and removed.
   *
   * @throws xcm.coordinator.journal.JournalException when the journal cannot be read
   */
  synchronized void follow() {
    desk.refresh();
    RegistryRows.MemberChanges changes = registry.members(seen);
    for (RegistryRows.Member m : changes.members()) {
      if (m.removed()) {
        collector.forget(m.url());
      } else {
        collector.expect(m.url());
      }
    }
    seen = changes.version();
  }
}
