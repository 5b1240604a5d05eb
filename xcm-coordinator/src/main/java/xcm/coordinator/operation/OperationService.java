package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.coordinator.plan.DrainStrategy;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.PlacementException;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.PlanRequestException;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.HostState;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;

/**
 * The coordinator's three actions — migrate, balance, drain — and activate and cancel. Each request
 * is checked up front (a bad one is refused with a message naming the thing and the reason, and
 * changes nothing), planned on fresh samples, turned into an {@link Operation} and its moves handed
 * to the {@link MigrationQueue}. Every request, refused or not, goes into the {@link AuditLog}.
 *
 * <p>Balances and drains run one at a time, so that no plan is made on a cluster another plan is
 * still changing; single migrations may run beside them, on domains no operation is moving.
 *
 * <p>Thread-safe.
 */
public final class OperationService {
  private static final Logger log = LoggerFactory.getLogger(OperationService.class);

  private final Inventory inventory;
  private final Runnable collectNow;
  private final Planner planner;
  private final MigrationQueue queue;
  private final OperationRegistry registry;
  private final Journal journal;
  private final AuditLog audit;
  private final Clock clock;
  private final long reservedMemoryBytes;
  private final PlanOptions planOptions;
  private final Map<String, Instant> lastMoved = new ConcurrentHashMap<>();
  private final Object requests = new Object();
  private volatile boolean recovering;
  private final List<java.util.function.BiConsumer<MoveRequest, MoveResult>> moveListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param collectNow runs a collection round now, so that plans see the cluster as it is
   */
  public OperationService(
      Inventory inventory,
      Runnable collectNow,
      Planner planner,
      MigrationQueue queue,
      OperationRegistry registry,
      Journal journal,
      AuditLog audit,
      Clock clock,
      long reservedMemoryBytes,
      PlanOptions planOptions) {
    this.inventory = inventory;
    this.collectNow = collectNow;
    this.planner = planner;
    this.queue = queue;
    this.registry = registry;
    this.journal = journal;
    this.audit = audit;
    this.clock = clock;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.planOptions = planOptions;
  }

  public OperationRegistry registry() {
    return registry;
  }

  public AuditLog audit() {
    return audit;
  }

  /** Called after every move with its result, on a queue worker (metrics). */
  public void addMoveListener(java.util.function.BiConsumer<MoveRequest, MoveResult> listener) {
    moveListeners.add(listener);
  }

  /** Migrates one domain to another host; returns the operation id. */
  public String migrate(String domain, String toHost, Requester who) {
    return audited(
        who,
        "migrate " + domain + " to " + toHost,
        () -> {
          // First: while its move is unsettled the domain may show on either host, or on none.
          List<JournaledMove> unsettled = journal.unsettled();
          requireSettled(unsettled, m -> m.domain().equals(domain), "cannot migrate " + domain);
          ClusterSnapshot cluster = inventory.snapshot();
          HostRecord destination = destination(cluster, toHost);
          Located found = locate(cluster, domain);
          if (found.host.name().equals(toHost)) {
            throw new IllegalArgumentException(
                "domain " + domain + " already runs on host " + toHost);
          }
          if (!found.domain.active()) {
            throw new IllegalArgumentException(
                "domain "
                    + domain
                    + " is "
                    + found.domain.state()
                    + " on host "
                    + found.host.name()
                    + ": only running domains migrate live");
          }
          requireReachable(found.host, "the source of " + domain);
          requireNotMoving(found.domain);
          String uuid = found.domain.uuid();
          requireSettled(unsettled, m -> m.uuid().equals(uuid), "cannot migrate " + domain);
          long free = freeBytes(destination);
          if (found.domain.memoryBytes() > free) {
            throw new IllegalArgumentException(
                "host "
                    + toHost
                    + " has "
                    + gib(free)
                    + " GiB free (after its reserve), "
                    + domain
                    + " needs "
                    + gib(found.domain.memoryBytes())
                    + " GiB");
          }
          MoveRequest move =
              new MoveRequest(
                  null,
                  0,
                  domain,
                  found.domain.uuid(),
                  found.host.name(),
                  found.host.url(),
                  toHost,
                  destination.url());
          PlanView plan =
              new PlanView(
                  "migrate",
                  "none",
                  0,
                  0,
                  1,
                  true,
                  List.of(new PlannedMove(domain, found.host.name(), toHost, 0, 0, "asked for")),
                  List.of());
          return start(
              Operation.Kind.MIGRATE,
              "migrate " + domain + " to " + toHost,
              who,
              false,
              plan,
              List.of(move),
              null);
        });
  }

  /** The balance plan a policy makes now, without acting. */
  public PlanView planBalance(String policySpec) {
    return withUnsettledNotes(view(balancePlan(policySpec)));
  }

  /** Plans a balance and, unless {@code dryRun}, runs it; returns the operation id. */
  public String balance(String policySpec, boolean dryRun, Requester who) {
    String action = (dryRun ? "balance (dry run) " : "balance ") + policySpec;
    return audited(
        who,
        action,
        () -> {
          if (!dryRun) {
            requireNoPlanRunning();
          }
          Plan plan = balancePlan(policySpec);
          return start(
              Operation.Kind.BALANCE,
              "balance " + policySpec,
              who,
              dryRun,
              withUnsettledNotes(view(plan)),
              requests(inventory.snapshot(), plan),
              null);
        });
  }

  /** Drains a host; returns the operation id. */
  public String drain(String host, boolean dryRun, Requester who) {
    String action = (dryRun ? "drain (dry run) " : "drain ") + host;
    return audited(
        who,
        action,
        () -> {
          ClusterSnapshot before = inventory.snapshot();
          HostRecord record = member(before, host);
          requireNoUnsettledMove(host);
          switch (record.state()) {
            case DRAINING ->
                throw new IllegalArgumentException(
                    "host "
                        + host
                        + " is already DRAINING"
                        + runningDrain(host).map(o -> " (operation " + o.id() + ")").orElse(""));
            case MAINTENANCE ->
                throw new IllegalArgumentException("host " + host + " is already in MAINTENANCE");
            case UNREACHABLE ->
                throw new IllegalArgumentException(
                    "host "
                        + host
                        + " is UNREACHABLE: its agent must answer for its domains to move");
            default -> {}
          }
          boolean othersActive =
              before.hosts().values().stream()
                  .anyMatch(
                      h ->
                          !h.name().equals(host)
                              && h.state() == HostState.ACTIVE
                              && h.data() != null);
          if (!othersActive) {
            throw new IllegalArgumentException(
                "host " + host + " is the last ACTIVE host: no other host could take its domains");
          }
          if (!dryRun) {
            requireNoPlanRunning();
          }
          collectNow.run();
          Plan plan;
          try {
            // An evacuation moves everything: the cooldown only keeps balances from ping-ponging.
            plan = planner.drain(planningInput(), host, DrainStrategy.BEST_FIT, new PlanOptions(0));
          } catch (PlacementException e) {
            throw new IllegalArgumentException("cannot drain host " + host + ": " + e.getMessage());
          }
          ClusterSnapshot cluster = inventory.snapshot();
          List<MoveRequest> moves = requests(cluster, plan);
          if (dryRun) {
            return start(Operation.Kind.DRAIN, "drain " + host, who, true, view(plan), moves, null);
          }
          setMode(host, HostState.DRAINING);
          return start(
              Operation.Kind.DRAIN,
              "drain " + host,
              who,
              false,
              view(plan),
              moves,
              operation -> finishDrain(host, operation));
        });
  }

  /** Returns a host to service. */
  public void activate(String host, Requester who) {
    audited(
        who,
        "activate " + host,
        () -> {
          HostRecord record = member(inventory.snapshot(), host);
          runningDrain(host)
              .ifPresent(
                  o -> {
                    throw new IllegalArgumentException(
                        "host "
                            + host
                            + " is being drained by operation "
                            + o.id()
                            + "; cancel it first");
                  });
          if (record.mode() == HostState.ACTIVE) {
            return "already ACTIVE";
          }
          setMode(host, HostState.ACTIVE);
          return "ACTIVE";
        });
  }

  /** Stops queuing further moves of an operation; moves in flight finish. */
  public void cancel(String id, Requester who) {
    audited(
        who,
        "cancel " + id,
        () -> {
          Operation operation = registry.get(id);
          if (operation == null) {
            throw new IllegalArgumentException(
                "unknown operation '"
                    + id
                    + "'; running: "
                    + registry.running().stream().map(Operation::id).toList());
          }
          if (operation.state() != Operation.State.RUNNING) {
            throw new IllegalArgumentException(
                "operation " + id + " already ended (" + operation.state() + ")");
          }
          operation.cancel();
          int dropped = queue.cancel(id);
          dropUnsubmitted(operation);
          return dropped + " queued moves dropped";
        });
  }

  private Plan balancePlan(String policySpec) {
    String[] parts = (policySpec == null ? "" : policySpec).split(",");
    String policy = parts[0].strip();
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
      int eq = parameter.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "policy parameter '"
                + parameter.strip()
                + "' is not key=value (e.g. domain-count,target=strict)");
      }
      parameters.put(parameter.substring(0, eq).strip(), parameter.substring(eq + 1).strip());
    }
    collectNow.run();
    try {
      return planner.balance(planningInput(), policy, parameters, planOptions);
    } catch (PlanRequestException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private xcm.coordinator.plan.ClusterSnapshot planningInput() {
    return PlanningInput.of(
        inventory.snapshot(), reservedMemoryBytes, lastMoved, moving(), clock.instant());
  }

  // ---- running operations

  /** Moves of running operations not yet handed to the queue, waiting for their dependencies. */
  private final Map<String, Scheduling> scheduling = new ConcurrentHashMap<>();

  /**
   * Which moves of an operation may run now. Moves of one plan are planned one after the other: a
   * move onto host X may count on the memory an earlier move off X frees, so it waits for that
   * move; everything else runs at once, within the queue's limits.
   */
  private static final class Scheduling {
    final List<MoveRequest> moves;
    final boolean[] submitted;
    final MoveResult[] results;

    Scheduling(List<MoveRequest> moves) {
      this.moves = moves;
      this.submitted = new boolean[moves.size()];
      this.results = new MoveResult[moves.size()];
    }

    /** The index of the move that must end before move {@code i} starts, or -1. */
    int blocker(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (moves.get(j).from().equals(moves.get(i).to()) && results[j] == null) {
          return j;
        }
      }
      return -1;
    }

    /** True if a move that move {@code i} waited for failed, was cancelled or is unsettled. */
    boolean blockedForGood(int i) {
      return blockerOutcome(i) != null;
    }

    /** How the move that move {@code i} waited for ended other than SUCCEEDED, or null. */
    MoveResult.Outcome blockerOutcome(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (moves.get(j).from().equals(moves.get(i).to())
            && results[j] != null
            && results[j].outcome() != MoveResult.Outcome.SUCCEEDED) {
          return results[j].outcome();
        }
      }
      return null;
    }
  }

  private String start(
      Operation.Kind kind,
      String summary,
      Requester who,
      boolean dryRun,
      PlanView plan,
      List<MoveRequest> moves,
      java.util.function.Consumer<Operation> onEnd) {
    Operation operation = registry.create(kind, summary, who, dryRun, plan, moves);
    if (!dryRun) {
      try {
        journal.operationStarted(
            operation.id(), kind.name(), summary, who.toString(), false, operation.requests());
      } catch (JournalException e) {
        registry.forget(operation.id());
        throw new IllegalStateException(
            "cannot start " + summary + ": " + e.getMessage() + " (nothing was done)");
      }
      operation.onEnd(
          o -> {
            try {
              journal.operationEnded(o.id(), o.state().name(), o.errors());
            } catch (JournalException e) {
              log.error(
                  "the end of operation {} is not in the journal: {}", o.id(), e.getMessage());
            }
          });
    }
    if (onEnd != null) {
      operation.onEnd(onEnd);
    }
    operation.onEnd(
        o ->
            audit.record(
                o.requester(),
                "operation " + o.id() + " (" + o.summary() + ") ended",
                o.state()
                    + ", "
                    + o.done()
                    + " of "
                    + o.requests().size()
                    + " moves done"
                    + (o.errors().isEmpty() ? "" : "; " + o.errors())));
    if (dryRun || moves.isEmpty()) {
      operation.endIfComplete();
      return operation.id();
    }
    scheduling.put(operation.id(), new Scheduling(operation.requests()));
    operation.onEnd(o -> scheduling.remove(o.id()));
    submitReady(operation);
    return operation.id();
  }

  private void submitReady(Operation operation) {
    Scheduling s = scheduling.get(operation.id());
    if (s == null) {
      return;
    }
    List<Integer> ready = new ArrayList<>();
    List<Integer> skipped = new ArrayList<>();
    synchronized (s) {
      for (int i = 0; i < s.moves.size(); i++) {
        if (s.submitted[i] || operation.cancelled()) {
          continue;
        }
        if (s.blockedForGood(i)) {
          s.submitted[i] = true;
          skipped.add(i);
        } else if (s.blocker(i) < 0) {
          s.submitted[i] = true;
          ready.add(i);
        }
      }
    }
    for (int i : skipped) {
      MoveRequest m = s.moves.get(i);
      MoveResult.Outcome blocker = s.blockerOutcome(i);
      finished(
          operation,
          s,
          i,
          new MoveResult(
              MoveResult.Outcome.FAILED,
              0,
              "not started: the move that was to free memory on "
                  + m.to()
                  + " ended "
                  + blocker
                  + (blocker == MoveResult.Outcome.UNSETTLED
                      ? " (not known yet where it runs)"
                      : ""),
              -1,
              -1));
    }
    for (int i : ready) {
      queue.submit(
          s.moves.get(i), () -> operation.started(i), result -> finished(operation, s, i, result));
    }
    if (operation.cancelled()) {
      dropUnsubmitted(operation);
    }
  }

  private void finished(Operation operation, Scheduling s, int i, MoveResult result) {
    MoveRequest move = s.moves.get(i);
    synchronized (s) {
      s.results[i] = result;
    }
    if (result.outcome() == MoveResult.Outcome.SUCCEEDED
        || result.outcome() == MoveResult.Outcome.INCOMPLETE) {
      lastMoved.put(move.uuid(), clock.instant());
      inventory.relocate(move.uuid(), move.from(), move.to());
    }
    try {
      journal.moveEnded(move, result.outcome().name(), result.attempts(), result.error());
    } catch (JournalException e) {
      log.error("the end of move {} is not in the journal: {}", move, e.getMessage());
    }
    moveListeners.forEach(l -> l.accept(move, result));
    operation.finished(i, result);
    submitReady(operation);
  }

  private void dropUnsubmitted(Operation operation) {
    Scheduling s = scheduling.get(operation.id());
    if (s == null) {
      return;
    }
    List<Integer> dropped = new ArrayList<>();
    synchronized (s) {
      for (int i = 0; i < s.moves.size(); i++) {
        if (!s.submitted[i]) {
          s.submitted[i] = true;
          dropped.add(i);
        }
      }
    }
    for (int i : dropped) {
      finished(
          operation, s, i, new MoveResult(MoveResult.Outcome.CANCELLED, 0, "cancelled", -1, -1));
    }
  }

  private void finishDrain(String host, Operation operation) {
    if (operation.state() != Operation.State.SUCCEEDED) {
      log.warn("drain of {} ended {}: the host stays DRAINING", host, operation.state());
      return;
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
          "drain " + host,
          "host stays DRAINING: it still runs " + left + " domains");
      return;
    }
    setMode(host, HostState.MAINTENANCE);
    audit.record(operation.requester(), "drain " + host, "host is in MAINTENANCE");
  }

  /**
   * An operation the journal held as running when the coordinator restarted, ended now with the
   * moves' settled results: shown like any other operation, and a drain that moved everything puts
   * its host in maintenance.
   */
  Operation recovered(
      JournaledOperation op, PlanView plan, List<MoveRequest> moves, List<MoveResult> results) {
    Operation operation =
        registry.restore(
            op.id(),
            Operation.Kind.valueOf(op.kind()),
            op.summary(),
            new Requester("recovered", op.requestedBy()),
            plan,
            moves);
    operation.onEnd(
        o -> {
          try {
            journal.operationEnded(o.id(), o.state().name(), o.errors());
          } catch (JournalException e) {
            log.error("the end of operation {} is not in the journal: {}", o.id(), e.getMessage());
          }
        });
    if (operation.kind() == Operation.Kind.DRAIN && op.summary().startsWith("drain ")) {
      String host = op.summary().substring("drain ".length());
      operation.onEnd(o -> finishDrain(host, o));
    }
    if (results.stream().anyMatch(r -> r.outcome() == MoveResult.Outcome.CANCELLED)) {
      // Moves the restart cut off were never done: the operation ends CANCELLED (or FAILED), as
      // an operator's cancel ends it, never SUCCEEDED.
      operation.cancel();
    }
    for (int i = 0; i < results.size(); i++) {
      MoveResult result = results.get(i);
      if (result.outcome() == MoveResult.Outcome.SUCCEEDED) {
        inventory.relocate(moves.get(i).uuid(), moves.get(i).from(), moves.get(i).to());
      }
      operation.finished(i, result);
    }
    operation.endIfComplete();
    return operation;
  }

  /** Until recovery ends, requests that would act are refused. */
  public void recovering(boolean now) {
    recovering = now;
  }

  /** Journals a host's new mode, then applies it; a mode not journaled is not applied. */
  private void setMode(String host, HostState mode) {
    journal.hostMode(host, mode);
    inventory.setMode(host, mode);
  }

  // ---- checks

  private record Located(HostRecord host, DomainData domain) {}

  private static Located locate(ClusterSnapshot cluster, String domain) {
    List<Located> found = new ArrayList<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        host.data().domains().stream()
            .filter(d -> d.name().equals(domain))
            .forEach(d -> found.add(new Located(host, d)));
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown domain '" + domain + "': it is on no host of the cluster");
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          "domain name '"
              + domain
              + "' is on several hosts: "
              + found.stream().map(l -> l.host.name()).toList());
    }
    return found.get(0);
  }

  private static HostRecord member(ClusterSnapshot cluster, String host) {
    HostRecord record = host == null ? null : cluster.host(host);
    if (record == null || record.state() == HostState.REMOVED) {
      throw new IllegalArgumentException(
          "unknown host '"
              + host
              + "'; hosts are "
              + cluster.hosts().values().stream()
                  .filter(h -> h.state() != HostState.REMOVED)
                  .map(HostRecord::name)
                  .toList());
    }
    return record;
  }

  private static HostRecord destination(ClusterSnapshot cluster, String host) {
    HostRecord record = member(cluster, host);
    if (record.state() != HostState.ACTIVE || record.data() == null) {
      throw new IllegalArgumentException(
          "host " + host + " is " + record.state() + ": domains are placed only on ACTIVE hosts");
    }
    return record;
  }

  private static void requireReachable(HostRecord host, String role) {
    if (!host.reachable()) {
      throw new IllegalArgumentException(
          "host " + host.name() + ", " + role + ", is UNREACHABLE: its agent must answer");
    }
  }

  private void requireNotMoving(DomainData domain) {
    for (Operation o : registry.running()) {
      if (o.movesUnderWay().contains(domain.uuid())) {
        throw new IllegalArgumentException(
            "domain "
                + domain.name()
                + " is being moved by operation "
                + o.id()
                + " ("
                + o.summary()
                + ")");
      }
    }
  }

  /**
   * UUIDs of the domains whose moves are waiting or running, or UNSETTLED: no plan may move them.
   */
  private Set<String> moving() {
    Set<String> uuids = new HashSet<>();
    registry.running().forEach(o -> uuids.addAll(o.movesUnderWay()));
    journal.unsettled().forEach(m -> uuids.add(m.request().uuid()));
    return uuids;
  }

  /**
   * Refuses to move a domain while one of its moves is UNSETTLED: where it runs is not known, and a
   * second move could make two copies of it or lose it.
   */
  private static void requireSettled(
      List<JournaledMove> unsettled,
      java.util.function.Predicate<MoveRequest> domain,
      String what) {
    for (JournaledMove m : unsettled) {
      if (domain.test(m.request())) {
        throw new IllegalArgumentException(what + ": " + unsettledReason(m));
      }
    }
  }

  /** Refuses to drain a host that is the source or the destination of an UNSETTLED move. */
  private void requireNoUnsettledMove(String host) {
    List<String> reasons = new ArrayList<>();
    for (JournaledMove m : journal.unsettled()) {
      if (m.request().from().equals(host) || m.request().to().equals(host)) {
        reasons.add(unsettledReason(m));
      }
    }
    if (!reasons.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot drain host " + host + ": " + String.join("; ", reasons));
    }
  }

  private static String unsettledReason(JournaledMove m) {
    MoveRequest r = m.request();
    return "domain "
        + r.domain()
        + " has an UNSETTLED move "
        + r.from()
        + " -> "
        + r.to()
        + " (operation "
        + r.operationId()
        + "): it is not known yet on which of the two it runs; it can move again once the"
        + " coordinator has settled that move";
  }

  /** A balance plan that also says which domains stay because their move is UNSETTLED. */
  private PlanView withUnsettledNotes(PlanView plan) {
    List<JournaledMove> unsettled = journal.unsettled();
    if (unsettled.isEmpty()) {
      return plan;
    }
    List<String> notes = new ArrayList<>(plan.notes());
    for (JournaledMove m : unsettled) {
      notes.add(m.request().domain() + " stays: " + unsettledReason(m));
    }
    return new PlanView(
        plan.policy(),
        plan.scoreName(),
        plan.initialScore(),
        plan.finalScore(),
        plan.lowerBound(),
        plan.targetReached(),
        plan.moves(),
        notes);
  }

  /** Every UNSETTLED move, one line each: what an operator (or a check) waits for. */
  public List<String> unsettledMoves() {
    return journal.unsettled().stream()
        .map(
            m ->
                m.request().domain()
                    + " "
                    + m.request().from()
                    + " -> "
                    + m.request().to()
                    + " (operation "
                    + m.request().operationId()
                    + "): "
                    + m.error())
        .toList();
  }

  /**
   * An UNSETTLED move's real end, found later: the inventory, the journal, the operation's view
   * (while it is shown) and, if that changes how the operation ended, the operation's journaled end
   * follow it. A drain that now moved everything puts its host in maintenance.
   */
  void settledLater(JournaledMove move, MoveResult result) {
    MoveRequest request = move.request();
    if (result.outcome() == MoveResult.Outcome.SUCCEEDED) {
      // Where the domain runs is known before the journal lets requests move it again.
      lastMoved.put(request.uuid(), clock.instant());
      inventory.relocate(request.uuid(), request.from(), request.to());
    }
    journal.moveEnded(request, result.outcome().name(), -1, result.error());
    moveListeners.forEach(l -> l.accept(request, result));
    Operation operation = registry.get(request.operationId());
    if (operation == null || !operation.settled(request.index(), result)) {
      return;
    }
    try {
      journal.operationEnded(operation.id(), operation.state().name(), operation.errors());
    } catch (JournalException e) {
      log.error(
          "the new end of operation {} is not in the journal: {}", operation.id(), e.getMessage());
    }
    if (operation.kind() == Operation.Kind.DRAIN
        && operation.state() == Operation.State.SUCCEEDED
        && operation.summary().startsWith("drain ")) {
      finishDrain(operation.summary().substring("drain ".length()), operation);
    }
  }

  /** True while recovery settles what the journal held as running after a restart. */
  boolean recovering() {
    return recovering;
  }

  private void requireNoPlanRunning() {
    for (Operation o : registry.running()) {
      if (o.kind() != Operation.Kind.MIGRATE && !o.dryRun()) {
        throw new IllegalArgumentException(
            "operation "
                + o.id()
                + " ("
                + o.summary()
                + ") is running; wait for it to end or cancel it");
      }
    }
  }

  private java.util.Optional<Operation> runningDrain(String host) {
    return registry.running().stream()
        .filter(
            o ->
                o.kind() == Operation.Kind.DRAIN
                    && !o.dryRun()
                    && o.summary().equals("drain " + host))
        .findFirst();
  }

  /**
   * Memory a host can still take: capacity after its reserve, minus active domains and moves on the
   * way in.
   */
  private long freeBytes(HostRecord host) {
    long incoming = 0;
    for (Operation o : registry.running()) {
      for (int i = 0; i < o.requests().size(); i++) {
        MoveRequest m = o.requests().get(i);
        String state = o.moves().get(i).state();
        if (m.to().equals(host.name()) && (state.equals("PENDING") || state.equals("RUNNING"))) {
          incoming += memoryOf(m.uuid());
        }
      }
    }
    return host.data().memoryBytes()
        - reservedMemoryBytes
        - host.data().memoryUsedBytes()
        - incoming;
  }

  private long memoryOf(String uuid) {
    for (HostRecord host : inventory.snapshot().hosts().values()) {
      if (host.data() != null) {
        for (DomainData d : host.data().domains()) {
          if (d.uuid().equals(uuid)) {
            return d.memoryBytes();
          }
        }
      }
    }
    return 0;
  }

  private static List<MoveRequest> requests(ClusterSnapshot cluster, Plan plan) {
    List<MoveRequest> moves = new ArrayList<>();
    for (Move move : plan.moves()) {
      HostRecord from = cluster.host(move.from());
      HostRecord to = cluster.host(move.to());
      DomainData domain =
          from.data().domains().stream()
              .filter(d -> d.name().equals(move.domain()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "domain "
                              + move.domain()
                              + " left "
                              + move.from()
                              + " while the plan was made"));
      moves.add(
          new MoveRequest(
              null, 0, move.domain(), domain.uuid(), move.from(), from.url(), move.to(), to.url()));
    }
    return moves;
  }

  static PlanView view(Plan plan) {
    return new PlanView(
        plan.policy(),
        plan.scoreName(),
        plan.initialScore(),
        plan.finalScore(),
        plan.lowerBound(),
        plan.targetReached(),
        plan.moves().stream()
            .map(
                m ->
                    new PlannedMove(
                        m.domain(), m.from(), m.to(), m.scoreBefore(), m.scoreAfter(), m.reason()))
            .toList(),
        plan.notes());
  }

  private static String gib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
  }

  /**
   * Runs a request, auditing its result or its refusal; refusals reach the caller unchanged.
   * Requests run one at a time, so that the checks a request passes still hold when it starts: two
   * drains of one host, or a balance racing a drain, cannot both pass.
   */
  private <T> T audited(Requester who, String action, Supplier<T> request) {
    try {
      if (recovering && !action.contains("(dry run)")) {
        throw new IllegalStateException(
            "the coordinator is settling the operations it ran before it restarted; ask again in a"
                + " moment");
      }
      T result;
      synchronized (requests) {
        result = request.get();
      }
      audit.record(who, action, result == null ? "done" : String.valueOf(result));
      return result;
    } catch (RuntimeException e) {
      audit.record(who, action, "refused: " + e.getMessage());
      throw e;
    }
  }
}
