package xcm.coordinator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.FencedHost;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.operation.OperationRecovery;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.restart.Definitions;

/**
 * What a coordinator does when it becomes the active one — at start when it is alone, or when it
 * takes the lease over from another: it reads from the journal what the former active (or its own
 * former run) left — host modes, fenced hosts, kept definitions, operations that were running — and
 * settles those operations once a collection round has told where the agents are, then drains again
 * the hosts whose drain was cut off. Requests that act wait for the settling.
 *
 * <p>Thread-safe; one recovery thread at a time.
 */
final class Takeover implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final Inventory inventory;
  private final Journal journal;
  private final Definitions definitions;
  private final EnrolmentDesk enrolment;
  private final OperationService operations;
  private final OperationRecovery recovery;
  private final Runnable collectNow;
  private Thread recovering;

  Takeover(
      Inventory inventory,
      Journal journal,
      Definitions definitions,
      EnrolmentDesk enrolment,
      OperationService operations,
      OperationRecovery recovery,
      Runnable collectNow) {
    this.inventory = inventory;
    this.journal = journal;
    this.definitions = definitions;
    this.enrolment = enrolment;
    this.operations = operations;
    this.recovery = recovery;
    this.collectNow = collectNow;
  }

  /** Takes over under {@code epoch}; returns at once, recovery goes on on its own thread. */
  synchronized void run(long epoch) {
    inventory.restoreModes(journal.hostModes());
    definitions.reload();
    // The hosts fenced stay FAILED, and an enrolled host that ran domains is a member before it
    // answers: one that never does is fenced in its turn and its domains restarted, rather than
    // left pending (and while a host is pending, nothing restarts: it may run them).
    for (FencedHost fenced : journal.fencedHosts()) {
      inventory.remember(
          fenced.host(),
          fenced.url(),
          "fenced before this coordinator took over",
          HostFailure.fenced(fenced.at(), fenced.reason()));
    }
    for (Enrolled e : enrolment.enrolled()) {
      if (!definitions.ranOn(e.host()).isEmpty()) {
        inventory.remember(
            e.host(),
            ClusterCollector.normalise(e.url()),
            "not heard from since this coordinator took over",
            null);
      }
    }
    operations.takingOver(epoch);
    if (!operations.recovering()) {
      return;
    }
    long round = inventory.snapshot().round();
    recovering =
        new Thread(
            () -> {
              try {
                collectNow.run();
                while (inventory.snapshot().round() <= round) {
                  Thread.sleep(100);
                }
                int settled = recovery.recover();
                log.info("settled {} operations left running (epoch {})", settled, epoch);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              } catch (RuntimeException e) {
                log.error("recovering unfinished operations failed", e);
              }
              operations.recovered();
              recovery.continueDrains();
            },
            "xcm-recovery");
    recovering.setDaemon(true);
    recovering.start();
  }

  @Override
  public synchronized void close() {
    if (recovering != null) {
      recovering.interrupt();
    }
  }
}
