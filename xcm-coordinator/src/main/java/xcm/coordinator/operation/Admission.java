package xcm.coordinator.operation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.Plan;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationType;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;

/**
 * Which requests may start, checked against the cluster as last collected and the operations
 * running: a bad request is refused with a message naming the thing and the reason, and changes
 * nothing. Balances and drains run one at a time, so that no plan is made on a cluster another plan
 * is still changing; single migrations may run beside them, on domains no operation holds.
 *
 * <p>A request is checked twice: before it collects and plans, so that a hopeless one is refused at
 * once, and again in {@link #admit}, under the one lock requests share, where the operation is also
 * registered — so that two requests cannot both pass. Nothing under that lock waits on the network
 * or plans: a plan made meanwhile is refused, with the reason, if the cluster changed under it.
 *
 * <p>Thread-safe.
 */
final class Admission {
  private final Inventory inventory;
  private final OperationRegistry registry;
  private final HostModes hosts;
  private final long reservedMemoryBytes;

  Admission(
      Inventory inventory, OperationRegistry registry, HostModes hosts, long reservedMemoryBytes) {
    this.inventory = inventory;
    this.registry = registry;
    this.hosts = hosts;
    this.reservedMemoryBytes = reservedMemoryBytes;
  }

  /** What an admitted request runs. */
  record Admitted(PlanView plan, List<MoveRequest> moves) {}

  /**
   * What a plan is made against: the operations known when it was begun, and the domains no plan
   * may move then, by UUID with the host each moves from.
   */
  record Stamp(Set<String> known, Map<String, String> held) {}

  /**
   * Checks a request once more and, if it passes, registers its operation; a drain's host goes
   * DRAINING at once (in memory: the caller journals it). One request at a time.
   *
   * @param check the request's checks, run under the lock; they throw to refuse
   */
  synchronized Operation admit(OperationKind kind, Requester who, Supplier<Admitted> check) {
    Admitted admitted = check.get();
    if (kind instanceof OperationKind.Drain drain && !drain.dryRun()) {
      hosts.setInMemory(drain.host(), HostState.DRAINING);
    }
    return registry.create(kind, who, admitted.plan(), admitted.moves());
  }

  /**
   * Checks a balance or a drain before it collects and plans, and notes what it plans against: one
   * look, under the lock, so that a request admitted meanwhile is named by {@link #plan} rather
   * than seen half-way (its domains pinned, its host not yet draining).
   *
   * @param check the request's checks; they throw to refuse
   * @param unsettled the UNSETTLED moves as the journal holds them
   */
  synchronized Stamp begin(Runnable check, List<JournaledMove> unsettled) {
    check.run();
    Set<String> ids = new HashSet<>();
    registry.all().forEach(o -> ids.add(o.id()));
    return new Stamp(ids, held(unsettled));
  }

  // ---- migrate

  /** Checks a migration against the cluster now; {@code unsettled} as the journal holds them. */
  Admitted migrate(OperationKind.Migrate migrate, List<JournaledMove> unsettled) {
    String domain = migrate.domain();
    String toHost = migrate.toHost();
    UnsettledReasons.refuse(unsettled, m -> m.domain().equals(domain), "cannot migrate " + domain);
    ClusterSnapshot cluster = inventory.snapshot();
    HostRecord destination = destination(cluster, toHost);
    HostRecord source = null;
    DomainData found = null;
    List<String> on = new ArrayList<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        for (DomainData d : host.data().domains()) {
          if (d.name().equals(domain)) {
            on.add(host.name());
            source = host;
            found = d;
          }
        }
      }
    }
    if (on.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown domain '" + domain + "': it is on no host of the cluster");
    }
    if (on.size() > 1) {
      throw new IllegalArgumentException("domain name '" + domain + "' is on several hosts: " + on);
    }
    if (source.name().equals(toHost)) {
      throw new IllegalArgumentException("domain " + domain + " already runs on host " + toHost);
    }
    if (!found.active()) {
      throw new IllegalArgumentException(
          "domain "
              + domain
              + " is "
              + found.state()
              + " on host "
              + source.name()
              + ": only running domains migrate live");
    }
    if (!source.reachable() || source.state().failing()) {
      throw new IllegalArgumentException(
          "host "
              + source.name()
              + ", the source of "
              + domain
              + ", is "
              + source.state()
              + ": its agent must answer");
    }
    requireNotHeld(found);
    String uuid = found.uuid();
    UnsettledReasons.refuse(unsettled, m -> m.uuid().equals(uuid), "cannot migrate " + domain);
    requireRoom(cluster, destination, found);
    String reason = MigrationRules.reason(cluster, reservedMemoryBytes, held(unsettled), migrate);
    MoveRequest move =
        new MoveRequest(
            null, 0, domain, uuid, source.name(), source.url(), toHost, destination.url());
    PlanView plan =
        new PlanView(
            "migrate",
            "none",
            0,
            0,
            1,
            true,
            List.of(new PlannedMove(domain, source.name(), toHost, 0, 0, reason)),
            List.of());
    return new Admitted(plan, List.of(move));
  }

  // ---- restart

  /**
   * Checks the restarts of a fenced host's domains: one restart of a host at a time, and none of a
   * domain another operation holds. Restarts run beside balances and drains: a failed host's
   * domains wait for nobody.
   */
  Admitted restart(OperationKind.Restart restart, PlanView plan, List<MoveRequest> moves) {
    for (Operation o : registry.running()) {
      if (o.kind() instanceof OperationKind.Restart r && r.host().equals(restart.host())) {
        throw new IllegalArgumentException(
            "the domains of host "
                + restart.host()
                + " are being restarted (operation "
                + o.id()
                + ")");
      }
    }
    Map<String, String> held = new HashMap<>();
    registry.all().forEach(o -> held.putAll(o.domainsHeld()));
    for (MoveRequest move : moves) {
      if (held.containsKey(move.uuid())) {
        throw new IllegalArgumentException(
            "domain " + move.domain() + " is held by another operation: restarted when it ends");
      }
    }
    return new Admitted(plan, moves);
  }

  // ---- drain

  /** Checks that a host may be drained now; {@code unsettled} as the journal holds them. */
  void drain(OperationKind.Drain drain, List<JournaledMove> unsettled) {
    String host = drain.host();
    // One look at the running operations: a drain of this host admitted meanwhile is named as such.
    List<Operation> running = registry.running();
    Optional<Operation> draining = runningDrain(running, host);
    if (draining.isPresent()) {
      throw new IllegalArgumentException(
          "host " + host + " is already DRAINING (operation " + draining.get().id() + ")");
    }
    ClusterSnapshot cluster = inventory.snapshot();
    HostRecord record = member(cluster, host);
    List<MoveRequest> unsettledMoves = new ArrayList<>();
    unsettled.forEach(m -> unsettledMoves.add(m.request()));
    registry.all().forEach(o -> unsettledMoves.addAll(o.unsettledMoves()));
    UnsettledReasons.refuseDrain(unsettledMoves, host);
    switch (record.state()) {
      // No drain of it runs (that was checked above): one ended short, and this one finishes it.
      case DRAINING -> {}
      case MAINTENANCE ->
          throw new IllegalArgumentException("host " + host + " is already in MAINTENANCE");
      case STANDBY ->
          throw new IllegalArgumentException(
              "host " + host + " is in STANDBY: power saving emptied it; activate it first");
      case UNREACHABLE, SUSPECT, FENCING, FENCE_FAILED, FAILED ->
          throw new IllegalArgumentException(
              "host "
                  + host
                  + " is "
                  + record.state()
                  + ": its agent must answer for its domains to move");
      default -> {}
    }
    boolean othersActive =
        cluster.hosts().values().stream()
            .anyMatch(
                h -> !h.name().equals(host) && h.state() == HostState.ACTIVE && h.data() != null);
    if (!othersActive) {
      throw new IllegalArgumentException(
          "host " + host + " is the last ACTIVE host: no other host could take its domains");
    }
    if (!drain.dryRun()) {
      requireNoPlanRunning(running);
    }
  }

  // ---- balance and drain plans

  /**
   * Checks that a plan made since {@code stamp} still fits the cluster: no other operation started
   * meanwhile, and every domain it moves is still where the plan found it.
   */
  Admitted plan(OperationKind kind, Stamp stamp, Plan plan, PlanView view) {
    if (!kind.dryRun()) {
      requireNoPlanRunning();
      for (Operation o : registry.all()) {
        if (!stamp.known().contains(o.id()) && !o.dryRun()) {
          throw changed("operation " + o.id() + " (" + o.summary() + ") started");
        }
      }
    }
    ClusterSnapshot cluster = inventory.snapshot();
    List<MoveRequest> moves = new ArrayList<>();
    for (Move move : plan.moves()) {
      HostRecord from = cluster.host(move.from());
      HostRecord to = cluster.host(move.to());
      DomainData domain =
          from == null || from.data() == null
              ? null
              : from.data().domains().stream()
                  .filter(d -> d.name().equals(move.domain()))
                  .findFirst()
                  .orElse(null);
      if (domain == null || to == null) {
        throw changed(
            domain == null
                ? "domain " + move.domain() + " left host " + move.from()
                : "host " + move.to() + " left the cluster");
      }
      moves.add(
          new MoveRequest(
              null, 0, move.domain(), domain.uuid(), move.from(), from.url(), move.to(), to.url()));
    }
    return new Admitted(view, moves);
  }

  private static IllegalStateException changed(String what) {
    return new IllegalStateException(
        "the cluster changed while the plan was made: " + what + "; nothing was done, ask again");
  }

  /** Refuses while a balance or a drain runs (a dry run does not count). */
  void requireNoPlanRunning() {
    requireNoPlanRunning(registry.running());
  }

  /** The balance or drain running (not a dry run), if one is. */
  Optional<Operation> planRunning() {
    return planIn(registry.running());
  }

  private static void requireNoPlanRunning(List<Operation> running) {
    planIn(running)
        .ifPresent(
            o -> {
              throw new IllegalArgumentException(busy(o));
            });
  }

  /** The first balance or drain (not a dry run) among the operations. */
  private static Optional<Operation> planIn(List<Operation> operations) {
    return operations.stream()
        .filter(o -> o.kind().type() != OperationType.MIGRATE && !o.dryRun())
        .findFirst();
  }

  /** Why a plan cannot start beside that operation. */
  static String busy(Operation o) {
    return "operation "
        + o.id()
        + " ("
        + o.summary()
        + ") is running; wait for it to end or cancel it";
  }

  // ---- activate

  /**
   * Returns a host to service, in memory (the caller journals it, or puts the mode returned back);
   * returns the mode it had, ACTIVE if it was already.
   */
  synchronized HostState activate(String host) {
    HostRecord record = member(inventory.snapshot(), host);
    runningDrain(registry.running(), host)
        .ifPresent(
            o -> {
              throw new IllegalArgumentException(
                  "host "
                      + host
                      + " is being drained by operation "
                      + o.id()
                      + "; cancel it first");
            });
    HostState before = record.mode();
    hosts.setInMemory(host, HostState.ACTIVE);
    return before;
  }

  /** The state of a member; refused naming it when it is none. */
  HostState state(String host) {
    return member(inventory.snapshot(), host).state();
  }

  /** Puts back the mode an activation found, when the journal could not record the new one. */
  synchronized void undoActivate(String host, HostState before) {
    hosts.setInMemory(host, before);
  }

  // ---- what requests share

  /**
   * The domains no plan may move, by UUID, each with the host its move comes from: held by an
   * operation (waiting, running, unsettled) or UNSETTLED in the journal.
   */
  Map<String, String> held(List<JournaledMove> unsettled) {
    Map<String, String> held = new HashMap<>();
    unsettled.forEach(m -> held.put(m.request().uuid(), m.request().from()));
    registry.all().forEach(o -> held.putAll(o.domainsHeld()));
    return held;
  }

  private static Optional<Operation> runningDrain(List<Operation> running, String host) {
    return running.stream()
        .filter(
            o -> o.kind() instanceof OperationKind.Drain d && !d.dryRun() && d.host().equals(host))
        .findFirst();
  }

  private void requireNotHeld(DomainData domain) {
    for (Operation o : registry.all()) {
      if (o.domainsHeld().containsKey(domain.uuid())) {
        Optional<MoveRequest> unsettled =
            o.unsettledMoves().stream().filter(m -> m.uuid().equals(domain.uuid())).findFirst();
        throw new IllegalArgumentException(
            unsettled.isPresent()
                ? "cannot migrate " + domain.name() + ": " + UnsettledReasons.of(unsettled.get())
                : "domain "
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
   * Refuses a domain a host cannot take: its memory after its reserve, less its active domains and
   * the moves of running operations on their way in.
   */
  private void requireRoom(ClusterSnapshot cluster, HostRecord host, DomainData domain) {
    Map<String, Long> memory = new HashMap<>();
    for (HostRecord h : cluster.hosts().values()) {
      if (h.data() != null) {
        h.data().domains().forEach(d -> memory.put(d.uuid(), d.memoryBytes()));
      }
    }
    long incoming = 0;
    for (Operation o : registry.running()) {
      for (MoveRequest m : o.movesUnderWay()) {
        if (m.to().equals(host.name())) {
          incoming += memory.getOrDefault(m.uuid(), 0L);
        }
      }
    }
    long free =
        host.data().memoryBytes() - reservedMemoryBytes - host.data().memoryUsedBytes() - incoming;
    if (domain.memoryBytes() > free) {
      throw new IllegalArgumentException(
          "host "
              + host.name()
              + " has "
              + gib(free)
              + " GiB free (after its reserve), "
              + domain.name()
              + " needs "
              + gib(domain.memoryBytes())
              + " GiB");
    }
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
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
}
