package xcm.coordinator.restart;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.failure.Restarts;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.DomainDefinition;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.OperationKind;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.PlanningInput;
import xcm.coordinator.plan.RestartPlanner;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;
import xcm.serve.LogText;

/**
 * Restarts a fenced host's domains on other hosts, and removes its stale copies when it comes back.
 *
 * <p>A domain restarts when the kept definitions say it ran on the fenced host and no answering
 * host runs it now. One that a cut-off restart left defined, shut off, on an ACTIVE host is started
 * there; the others are placed by {@link RestartPlanner} (priority, memory, hard rules) and started
 * as one RESTART operation. What fits nowhere is named, and tried again every round, so it starts
 * once capacity appears.
 *
 * <p>Thread-safe; the failure handler calls it for one host at a time.
 */
public final class HostRestarts implements Restarts {
  private static final Logger log = LoggerFactory.getLogger(HostRestarts.class);

  private final Inventory inventory;
  private final Definitions definitions;
  private final OperationService operations;
  private final JolokiaClient agents;
  private final long reservedMemoryBytes;
  private final Clock clock;
  private final Map<String, List<String>> unplaced = new ConcurrentHashMap<>();

  public HostRestarts(
      Inventory inventory,
      Definitions definitions,
      OperationService operations,
      JolokiaClient agents,
      long reservedMemoryBytes,
      Clock clock) {
    this.inventory = inventory;
    this.definitions = definitions;
    this.operations = operations;
    this.agents = agents;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.clock = clock;
  }

  /** The domains of each fenced host that fit nowhere at its last restart, each with why. */
  public Map<String, List<String>> unplaced() {
    return Map.copyOf(unplaced);
  }

  @Override
  public void restart(String host) {
    ClusterSnapshot cluster = inventory.snapshot();
    HostRecord failed = cluster.host(host);
    if (failed == null || failed.failure() == null || !failed.failure().fenced()) {
      return;
    }
    Set<String> running = new HashSet<>();
    Map<String, HostRecord> definedOn = new HashMap<>();
    for (HostRecord h : cluster.hosts().values()) {
      if (h.data() == null || h.removedAt() != null || h.name().equals(host)) {
        continue;
      }
      for (DomainData d : h.data().domains()) {
        if (d.active()) {
          running.add(d.uuid());
        } else if (h.state() == xcm.mbeans.HostState.ACTIVE && answers(h)) {
          definedOn.put(d.uuid(), h);
        }
      }
    }
    Set<String> held = new HashSet<>();
    for (Operation o : operations.registry().running()) {
      if (restarting(o, host)) {
        // One restart of a host at a time: what it leaves is seen after it ends.
        return;
      }
      held.addAll(o.domainsHeld().keySet());
    }
    // A restart that succeeded shows in the cluster only from the next round on: until then its
    // domains must not look as if they ran nowhere, or they would be started a second time.
    for (Operation o : operations.registry().all()) {
      if (restarting(o, host)) {
        List<xcm.mbeans.MoveStatus> states = o.moves();
        for (int i = 0; i < states.size(); i++) {
          if (states.get(i).state() == xcm.mbeans.MoveState.SUCCEEDED) {
            running.add(o.requests().get(i).uuid());
          }
        }
      }
    }
    List<DomainDefinition> waiting = new ArrayList<>();
    for (DomainDefinition d : definitions.ranOn(host)) {
      if (!running.contains(d.uuid()) && !held.contains(d.uuid())) {
        waiting.add(d);
      }
    }
    if (waiting.isEmpty()) {
      unplaced.remove(host);
      return;
    }
    List<MoveRequest> moves = new ArrayList<>();
    List<PlannedMove> planned = new ArrayList<>();
    List<DomainDefinition> toPlace = new ArrayList<>();
    for (DomainDefinition d : waiting) {
      HostRecord there = definedOn.get(d.uuid());
      if (there != null) {
        moves.add(
            MoveRequest.restart(d.name(), d.uuid(), host, failed.url(), there.name(), there.url()));
        planned.add(
            new PlannedMove(
                d.name(), host, there.name(), 0, 0, "defined there by an earlier restart"));
      } else {
        toPlace.add(d);
      }
    }
    List<String> notes = new ArrayList<>();
    if (!toPlace.isEmpty()) {
      RestartPlanner.Result placed = RestartPlanner.place(snapshot(cluster, host, toPlace), host);
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
      if (!placed.left().isEmpty() && !placed.left().equals(unplaced.get(host))) {
        log.error(
            "{} domains of fenced host {} fit nowhere: {}",
            placed.left().size(),
            LogText.escape(host),
            LogText.escape(placed.left()));
      }
      if (placed.left().isEmpty()) {
        unplaced.remove(host);
      } else {
        unplaced.put(host, placed.left());
      }
    }
    if (moves.isEmpty()) {
      return;
    }
    PlanView plan = new PlanView("restart", "none", 0, 0, moves.size(), true, planned, notes);
    try {
      operations.restart(host, plan, moves);
    } catch (IllegalArgumentException | IllegalStateException e) {
      log.debug("restart of {} waits: {}", host, e.getMessage());
    }
  }

  /**
   * The planning snapshot with the fenced host holding exactly the domains to restart, as their
   * kept definitions describe them.
   */
  private xcm.coordinator.plan.ClusterSnapshot snapshot(
      ClusterSnapshot cluster, String host, List<DomainDefinition> toPlace) {
    xcm.coordinator.plan.ClusterSnapshot now =
        PlanningInput.of(cluster, reservedMemoryBytes, Map.of(), Map.of(), clock.instant());
    List<xcm.coordinator.plan.ClusterSnapshot.Host> hosts = new ArrayList<>(now.hosts());
    if (now.host(host).isEmpty()) {
      hosts.add(
          new xcm.coordinator.plan.ClusterSnapshot.Host(
              host, xcm.mbeans.HostState.FAILED, 0, 0, 0));
    }
    Set<String> restarting = new HashSet<>();
    toPlace.forEach(d -> restarting.add(d.name()));
    List<xcm.coordinator.plan.ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (xcm.coordinator.plan.ClusterSnapshot.Domain d : now.domains()) {
      if (!d.host().equals(host) && !restarting.contains(d.name())) {
        domains.add(d);
      }
    }
    for (DomainDefinition d : toPlace) {
      domains.add(
          new xcm.coordinator.plan.ClusterSnapshot.Domain(
              d.name(),
              host,
              DomainState.RUNNING,
              d.memoryBytes(),
              d.vcpus(),
              0,
              rules(d),
              false,
              java.util.OptionalLong.empty()));
    }
    return new xcm.coordinator.plan.ClusterSnapshot(hosts, domains);
  }

  private static PlacementRules rules(DomainDefinition d) {
    try {
      return PlacementRules.parse(d.rules());
    } catch (RulesFormatException e) {
      return PlacementRules.NONE;
    }
  }

  @Override
  public boolean removeStaleCopies(String host) {
    ClusterSnapshot cluster = inventory.snapshot();
    HostRecord back = cluster.host(host);
    if (back == null || back.data() == null) {
      return false;
    }
    for (Operation o : operations.registry().running()) {
      if (o.kind() instanceof xcm.coordinator.operation.OperationKind.Restart r
          && r.host().equals(host)) {
        // Its domains are being started elsewhere: which copies are stale is known at the end.
        return false;
      }
    }
    Set<String> elsewhere = new HashSet<>();
    for (HostRecord h : cluster.hosts().values()) {
      if (!h.name().equals(host) && h.data() != null && answers(h)) {
        h.data().domains().stream()
            .filter(DomainData::active)
            .forEach(d -> elsewhere.add(d.uuid()));
      }
    }
    boolean clean = true;
    for (DomainData d : back.data().domains()) {
      if (!elsewhere.contains(d.uuid())) {
        continue;
      }
      clean = false;
      try {
        if (d.active()) {
          log.error(
              "domain {} runs on returning host {} and on another host: destroying the stale copy"
                  + " on {}",
              LogText.escape(d.name()),
              LogText.escape(host),
              LogText.escape(host));
          exec(back.url(), "destroyDomain", d.name());
        }
        exec(back.url(), "undefineDomain", d.name());
        operations
            .audit()
            .record(
                xcm.coordinator.operation.Requester.HA,
                "remove stale copy of " + d.name() + " on " + host,
                "it runs elsewhere since " + host + " was fenced");
      } catch (JolokiaException e) {
        log.warn(
            "cannot remove the stale copy of {} on {}: {}",
            LogText.escape(d.name()),
            LogText.escape(host),
            LogText.escape(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (!clean) {
      try {
        exec(back.url(), "sampleNow");
      } catch (JolokiaException e) {
        // The next round reads it anyway.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return clean;
  }

  private void exec(String url, String operation, Object... arguments)
      throws JolokiaException, InterruptedException {
    agents.send(url, Request.exec(ObjectNames.hostOperations(), operation, arguments));
  }

  private static boolean restarting(Operation o, String host) {
    return o.kind() instanceof OperationKind.Restart r && r.host().equals(host);
  }

  private static boolean answers(HostRecord h) {
    return h.removedAt() == null && h.reachable() && h.missedRounds() == 0 && h.failure() == null;
  }
}
