package xcm.coordinator.restart;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.coordinator.failure.FailureConfig;
import xcm.coordinator.failure.Restarts;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.DomainDefinition;
import xcm.coordinator.leader.Mandate;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.PlanningInput;
import xcm.coordinator.plan.ClusterSnapshot.Domain;
import xcm.coordinator.plan.ClusterSnapshot.Host;
import xcm.coordinator.plan.RestartPlanner;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;
import xcm.serve.LogText;

/**
 * Restarts a fenced host's domains on other hosts, and removes its stale copies when it comes back
 * ({@link StaleCopies}).
 *
 * <p>A domain restarts when the kept definitions say it ran on the fenced host, no answering host
 * runs it, and no operation holds it or is restarting it; one whose restarts failed waits, longer
 * each time. Nothing restarts while a member has not been heard from since the coordinator started
 * or a configured agent has never answered: that host may run the domain. One that a cut-off
 * restart left defined, shut off, on an ACTIVE host is started there; the others are placed by
 * {@link RestartPlanner} (priority, memory, CPU, hard rules), counting the restarts still under
 * way, and started as one RESTART operation. What fits nowhere is named, and tried again every
 * round.
 *
 * <p>Thread-safe: restarts of different hosts are planned one at a time, so that none counts on
 * memory another takes.
 */
public final class HostRestarts implements Restarts {
  private static final Logger log = LoggerFactory.getLogger(HostRestarts.class);

  private final Inventory inventory;
  private final Definitions definitions;
  private final OperationService operations;
  private final StaleCopies stale;
  private final FailureConfig config;
  private final long reservedMemoryBytes;
  private final Clock clock;
  private final Map<String, String> waiting = new ConcurrentHashMap<>();

  /**
   * @param mandate the epoch that removing a stale copy carries, which the returning host's agent
   *     checks
   */
  public HostRestarts(
      Inventory inventory,
      Definitions definitions,
      OperationService operations,
      JolokiaClient agents,
      Mandate mandate,
      FailureConfig config,
      long reservedMemoryBytes,
      Clock clock) {
    this.inventory = inventory;
    this.definitions = definitions;
    this.operations = operations;
    this.stale = new StaleCopies(agents, mandate, operations.audit());
    this.config = config;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.clock = clock;
  }

  /** Per fenced host, why some of its domains are not restarted now; empty when none wait. */
  public Map<String, String> waiting() {
    return Map.copyOf(waiting);
  }

  @Override
  public synchronized void restart(String host) {
    ClusterSnapshot cluster = inventory.snapshot();
    HostRecord failed = cluster.host(host);
    if (failed == null
        || failed.failure() == null
        || !failed.failure().fenced()
        || (failed.reachable() && failed.missedRounds() == 0)) {
      return;
    }
    RestartLedger ledger = ledger();
    if (ledger.restarting(host)) {
      return;
    }
    String unheard = unheard(cluster, host);
    Set<String> running = new HashSet<>(ledger.notYetSeen(cluster));
    Map<String, HostRecord> definedOn = new HashMap<>();
    for (HostRecord h : cluster.hosts().values()) {
      if (h.data() == null || h.removedAt() != null || h.name().equals(host)) {
        continue;
      }
      for (DomainData d : h.data().domains()) {
        if (d.active()) {
          running.add(d.uuid());
        } else if (h.state() == HostState.ACTIVE && h.answering()) {
          definedOn.put(d.uuid(), h);
        }
      }
    }
    Instant now = clock.instant();
    List<DomainDefinition> due = new ArrayList<>();
    for (DomainDefinition d : definitions.ranOn(host)) {
      if (!running.contains(d.uuid()) && ledger.mayRestart(d.uuid(), now)) {
        due.add(d);
      }
    }
    if (due.isEmpty()) {
      waiting.remove(host);
      return;
    }
    if (unheard != null) {
      wait(host, due.size() + " domains wait: " + unheard + " may run them");
      return;
    }
    List<MoveRequest> moves = new ArrayList<>();
    List<PlannedMove> planned = new ArrayList<>();
    List<DomainDefinition> toPlace = new ArrayList<>();
    for (DomainDefinition d : due) {
      HostRecord there = definedOn.get(d.uuid());
      if (there == null) {
        toPlace.add(d);
        continue;
      }
      moves.add(
          MoveRequest.restart(d.name(), d.uuid(), host, failed.url(), there.name(), there.url()));
      planned.add(
          new PlannedMove(
              d.name(), host, there.name(), 0, 0, "defined there by an earlier restart"));
    }
    List<String> notes = new ArrayList<>();
    if (!toPlace.isEmpty()) {
      RestartPlanner.Result placed;
      try {
        placed =
            RestartPlanner.place(
                snapshot(cluster, host, toPlace, ledger), host, config.failover().cpuPercent());
      } catch (IllegalStateException e) {
        wait(host, toPlace.size() + " domains wait: " + e.getMessage());
        return;
      }
      Map<String, DomainDefinition> byName = new HashMap<>();
      toPlace.forEach(d -> byName.put(d.name(), d));
      for (RestartPlanner.Restart r : placed.restarts()) {
        DomainDefinition d = byName.get(r.domain());
        HostRecord to = cluster.host(r.host());
        moves.add(MoveRequest.restart(d.name(), d.uuid(), host, failed.url(), to.name(), to.url()));
        planned.add(
            new PlannedMove(
                d.name(), host, to.name(), 0, 0, "restart priority " + r.priority().word()));
      }
      notes.addAll(placed.left());
      placed.staying().forEach(s -> notes.add(s + ": its rules say restart never"));
      if (placed.left().isEmpty()) {
        waiting.remove(host);
      } else {
        wait(
            host,
            placed.left().size() + " domains fit nowhere: " + String.join("; ", placed.left()));
      }
    }
    if (moves.isEmpty()) {
      return;
    }
    PlanView plan = new PlanView("restart", "none", 0, 0, moves.size(), true, planned, notes);
    try {
      operations.restart(host, plan, moves);
    } catch (IllegalArgumentException | IllegalStateException e) {
      wait(host, "the restart waits: " + e.getMessage());
    }
  }

  @Override
  public boolean removeStaleCopies(String host) {
    return stale.remove(inventory.snapshot(), host, ledger());
  }

  private RestartLedger ledger() {
    return RestartLedger.of(
        List.copyOf(operations.registry().all()), config.firstRetry(), config.lastRetry());
  }

  /** A host that may run the fenced host's domains without the coordinator knowing; or null. */
  private static String unheard(ClusterSnapshot cluster, String fenced) {
    for (HostRecord h : cluster.hosts().values()) {
      if (!h.name().equals(fenced)
          && h.removedAt() == null
          && h.failure() == null
          && h.data() == null) {
        return "host " + h.name() + " has not answered since the coordinator started, and";
      }
    }
    if (!cluster.pending().isEmpty()) {
      return "the agent at "
          + cluster.pending().keySet().iterator().next()
          + " never answered, and";
    }
    return null;
  }

  private void wait(String host, String why) {
    if (!why.equals(waiting.put(host, why))) {
      log.warn("restarts of fenced host {}: {}", LogText.escape(host), LogText.escape(why));
    }
  }

  /**
   * The planning snapshot with the fenced host holding exactly the domains to restart, as their
   * kept definitions describe them, and every restart still under way counted on its destination.
   */
  private xcm.coordinator.plan.ClusterSnapshot snapshot(
      ClusterSnapshot cluster, String host, List<DomainDefinition> toPlace, RestartLedger ledger) {
    xcm.coordinator.plan.ClusterSnapshot now =
        PlanningInput.of(cluster, reservedMemoryBytes, Map.of(), Map.of(), clock.instant());
    List<Host> hosts = new ArrayList<>(now.hosts());
    if (now.host(host).isEmpty()) {
      hosts.add(new Host(host, HostState.FAILED, 0, 0, 0));
    }
    Set<String> names = new HashSet<>();
    toPlace.forEach(d -> names.add(d.name()));
    List<Domain> domains = new ArrayList<>();
    for (Domain d : now.domains()) {
      if (!d.host().equals(host) && !names.contains(d.name())) {
        domains.add(d);
        names.add(d.name());
      }
    }
    for (MoveRequest move : ledger.underWay().values()) {
      DomainDefinition d = definitions.of(move.uuid()).orElse(null);
      if (d != null && !names.contains(d.name()) && now.host(move.to()).isPresent()) {
        domains.add(domain(d, move.to(), true));
        names.add(d.name());
      }
    }
    for (DomainDefinition d : toPlace) {
      domains.add(domain(d, host, false));
    }
    return new xcm.coordinator.plan.ClusterSnapshot(hosts, domains);
  }

  /** A kept definition as a domain to plan on, at its CPU load while it ran, smoothed. */
  private Domain domain(DomainDefinition d, String host, boolean pinned) {
    return new Domain(
        d.name(),
        host,
        DomainState.RUNNING,
        d.memoryBytes(),
        d.vcpus(),
        definitions.cpuUtilisation(d.uuid()),
        rules(d),
        pinned,
        OptionalLong.empty());
  }

  private static PlacementRules rules(DomainDefinition d) {
    try {
      return PlacementRules.parse(d.rules());
    } catch (RulesFormatException e) {
      // The rules were read from the same metadata when they were kept: they parsed then.
      return PlacementRules.NONE;
    }
  }
}
