package xcm.coordinator.operation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.Journal;
import xcm.mbeans.HostState;
import xcm.serve.LogText;

/**
 * Hosts an operator takes out of service and back: a drain puts its host DRAINING when it is
 * admitted and MAINTENANCE when it has emptied it; activate returns it to ACTIVE. A mode is
 * journaled before anything acts on it, so that a restarted coordinator keeps it.
 *
 * <p>Thread-safe.
 */
final class HostModes {
  private static final Logger log = LoggerFactory.getLogger(HostModes.class);

  private final Inventory inventory;
  private final Journal journal;
  private final Runnable collectNow;
  private final AuditLog audit;

  /**
   * @param collectNow runs a collection round now: a drain ends in maintenance only when fresh
   *     samples show its host empty
   */
  HostModes(Inventory inventory, Journal journal, Runnable collectNow, AuditLog audit) {
    this.inventory = inventory;
    this.journal = journal;
    this.collectNow = collectNow;
    this.audit = audit;
  }

  /**
   * Sets a mode in memory only, at once: for admission, which must not wait on the journal while it
   * holds its lock. The caller journals it with {@link #journal} before acting, or puts the old
   * mode back.
   */
  void setInMemory(String host, HostState mode) {
    inventory.setMode(host, mode);
  }

  /** The operator mode a member is in now; ACTIVE for a host that is no member. */
  HostState mode(String host) {
    HostRecord record = inventory.snapshot().host(host);
    return record == null ? HostState.ACTIVE : record.mode();
  }

  /** Records the host's mode in the journal; throws {@code JournalException} if it cannot. */
  void journal(String host, HostState mode) {
    journal.hostMode(host, mode);
  }

  /** Journals a host's new mode, then applies it; a mode not journaled is not applied. */
  void set(String host, HostState mode) {
    journal.hostMode(host, mode);
    inventory.setMode(host, mode);
  }

  /**
   * A drain ended, or its end changed (an unsettled move settled): a drain that moved everything
   * puts its host in MAINTENANCE once fresh samples show it runs nothing; otherwise it stays
   * DRAINING for an operator to drain again or activate.
   */
  void drainEnded(Operation operation) {
    if (!(operation.kind() instanceof OperationKind.Drain drain) || drain.dryRun()) {
      return;
    }
    String host = drain.host();
    switch (operation.state()) {
      case SUCCEEDED -> {}
      case RUNNING -> {
        return;
      }
      case FAILED, CANCELLED -> {
        log.warn(
            "drain of {} ended {}: the host stays DRAINING",
            LogText.escape(host),
            operation.state());
        return;
      }
    }
    collectNow.run();
    HostRecord record = inventory.snapshot().host(host);
    long left =
        record == null || record.data() == null
            ? 0
            : record.data().domains().stream().filter(DomainData::active).count();
    if (left > 0) {
      audit.record(
          operation.requester(),
          drain.summary(),
          "host stays DRAINING: it still runs " + left + " domains");
      return;
    }
    set(host, HostState.MAINTENANCE);
    audit.record(operation.requester(), drain.summary(), "host is in MAINTENANCE");
  }
}
