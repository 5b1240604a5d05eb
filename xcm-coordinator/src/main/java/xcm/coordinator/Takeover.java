package xcm.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.FencedHost;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.operation.OperationRecovery;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.restart.Definitions;
import xcm.mbeans.ObjectNames;
import xcm.serve.LogText;

/**
 * What a coordinator does when it becomes the active one — at start when it is alone, or when it
 * takes the lease over from another: it reads from the journal what the former active (or its own
 * former run) left — host modes, fenced hosts, kept definitions, operations that were running — and
 * once a collection round has told where the agents are, tells every agent its epoch, settles those
 * operations, and drains again the hosts whose drain was cut off. Requests that act wait for the
 * settling.
 *
 * <p>Thread-safe; one recovery thread at a time.
 */
final class Takeover implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final Inventory inventory;
  private final Journal journal;
  private final Definitions definitions;
  private final EnrolmentDesk enrolment;
  private final SharedRegistry registry;
  private final OperationService operations;
  private final OperationRecovery recovery;
  private final Runnable collectNow;
  private final JolokiaClient agents;
  private Thread running;

  Takeover(
      Inventory inventory,
      Journal journal,
      Definitions definitions,
      EnrolmentDesk enrolment,
      SharedRegistry registry,
      OperationService operations,
      OperationRecovery recovery,
      Runnable collectNow,
      JolokiaClient agents) {
    this.inventory = inventory;
    this.journal = journal;
    this.definitions = definitions;
    this.enrolment = enrolment;
    this.registry = registry;
    this.operations = operations;
    this.recovery = recovery;
    this.collectNow = collectNow;
    this.agents = agents;
  }

  /**
   * Before this coordinator acts under {@code epoch}: what the journal holds takes effect, and
   * requests that act wait for the settling.
   */
  synchronized void prepare(long epoch) {
    registry.follow();
    inventory.restoreModes(journal.hostModes());
    definitions.reload();
    // The hosts fenced stay FAILED, and an enrolled host that ran domains is a member before it
    // answers: one that never does is fenced in its turn and its domains restarted, rather than
    // left pending (and while a host is pending, nothing restarts: it may run them).
    for (FencedHost fenced : journal.fencedHosts()) {
      inventory.rememberFenced(
          fenced.host(),
          fenced.url(),
          "fenced before this coordinator took over",
          HostFailure.fenced(fenced.at(), fenced.reason()));
    }
    Set<String> ran = definitions.hostsThatRan();
    Map<String, String> remembered = new HashMap<>();
    for (Enrolled e : enrolment.enrolled()) {
      if (ran.contains(e.host())) {
        remembered.put(e.host(), ClusterCollector.normalise(e.url()));
      }
    }
    inventory.rememberAll(remembered, "not heard from since this coordinator took over", null);
    operations.takingOver(epoch);
  }

  /**
   * Once this coordinator acts under {@code epoch}: tells the agents, settles what was running and
   * goes on with cut-off drains, on a thread of its own; returns at once.
   */
  synchronized void start(long epoch) {
    long round = inventory.snapshot().round();
    running =
        new Thread(
            () -> {
              try {
                // The agents first, as this coordinator last saw them: the sooner they know, the
                // sooner a former active that wakes up is refused.
                announce(epoch);
                collectNow.run();
                while (inventory.snapshot().round() <= round) {
                  Thread.sleep(100);
                }
                int settled = recovery.recover();
                log.info(
                    "took over under epoch {}; settled {} operations left running", epoch, settled);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              } catch (RuntimeException e) {
                log.error("recovering unfinished operations failed", e);
              }
              operations.recovered();
              try {
                recovery.continueDrains();
              } catch (RuntimeException e) {
                log.error("continuing the drains cut off failed", e);
              }
            },
            "xcm-takeover");
    running.setDaemon(true);
    running.start();
  }

  /**
   * Tells every answering agent the new epoch at once, so that a former active that wakes up is
   * refused even by an agent this coordinator has not yet asked anything of.
   */
  private void announce(long epoch) throws InterruptedException {
    Map<String, CompletableFuture<JsonNode>> told = new TreeMap<>();
    for (HostRecord host : inventory.snapshot().hosts().values()) {
      if (host.data() != null && host.removedAt() == null) {
        told.put(
            host.name(),
            agents.sendAsync(
                host.url(), Request.exec(ObjectNames.hostOperations(), "announceEpoch", epoch)));
      }
    }
    List<String> notTold = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<JsonNode>> e : told.entrySet()) {
      try {
        JolokiaClient.await(e.getValue());
      } catch (JolokiaException refused) {
        notTold.add(e.getKey() + " (" + refused.getMessage() + ")");
      }
    }
    if (notTold.isEmpty()) {
      log.info("told {} agents of epoch {}", told.size(), epoch);
    } else {
      log.warn(
          "told {} of {} agents of epoch {}; not told: {}",
          told.size() - notTold.size(),
          told.size(),
          epoch,
          LogText.escape(String.join("; ", notTold)));
    }
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.interrupt();
    }
  }
}
