package xcm.coordinator.operation;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.leader.Mandate;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.FailoverTarget;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.coordinator.plan.SnapshotJson;
import xcm.mbeans.HostState;
import xcm.mbeans.PlanView;

/**
 * The coordinator's actions — migrate, balance, drain — and activate and cancel, as every door
 * (JMX, Jolokia, the CLI, the webhook, the schedule) asks them. An operation flows through the
 * package in this order: {@link Admission} checks the request against the cluster and the running
 * operations; {@link Planning} collects and plans, holding no lock; {@link Admission#admit} checks
 * again and registers it; {@link OperationLauncher} journals it and wires its end; {@link
 * MoveScheduler} hands its moves to the migration queue as they may run; {@link MoveOutcomes} makes
 * each move's end take effect; {@link HostModes} puts a drained host in maintenance. Every request,
 * refused or not, goes into the {@link AuditLog}.
 *
 * <pre>{@code
 * String id = operations.drain("dmz01", false, Requester.ofCurrentCall());
 * Operation drain = operations.registry().get(id);
 * }</pre>
 *
 * <p>Thread-safe. Requests do not wait for each other while one collects or plans: they share one
 * lock only to be checked and registered.
 */
public final class OperationService {
  private final OperationRegistry registry;
  private final Journal journal;
  private final AuditLog audit;
  private final Admission admission;
  private final Planning planning;
  private final HostModes hosts;
  private final MoveOutcomes outcomes;
  private final MoveScheduler scheduler;
  private final OperationLauncher launcher;
  private final FailoverGuard failover;
  private final Mandate mandate;
  private volatile boolean recovering;

  /**
   * @param collectNow runs a collection round now, so that plans see the cluster as it is
   * @param reservedMemoryBytes memory each host keeps for its hypervisor
   * @param planOptions the balances' options (the cooldown)
   * @param failover host failures the cluster must absorb (balances and migrations that take it
   *     below are refused; level 0 for no such check), with the CPU limit restarts keep
   * @param mandate whether this coordinator may act: a standby refuses every request that would
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
      PlanOptions planOptions,
      FailoverTarget failover,
      Mandate mandate) {
    this.registry = registry;
    this.mandate = mandate;
    this.journal = journal;
    this.audit = audit;
    this.hosts = new HostModes(inventory, journal, collectNow, audit);
    this.admission = new Admission(inventory, registry, hosts, reservedMemoryBytes);
    this.outcomes = new MoveOutcomes(inventory, journal, registry, clock);
    this.planning =
        new Planning(
            inventory, collectNow, planner, outcomes, clock, reservedMemoryBytes, planOptions);
    this.scheduler = new MoveScheduler(queue, outcomes);
    this.failover = new FailoverGuard(inventory, reservedMemoryBytes, clock, failover);
    this.launcher =
        new OperationLauncher(admission, registry, journal, hosts, scheduler, outcomes, audit);
    // From the first request on, whatever door opens first: what the journal holds as running is
    // settled before anything acts.
    this.recovering = !journal.unfinished().isEmpty();
  }

  public OperationRegistry registry() {
    return registry;
  }

  public AuditLog audit() {
    return audit;
  }

  /** Called after every move with its result, on a queue worker (metrics). */
  public void addMoveListener(BiConsumer<MoveRequest, MoveResult> listener) {
    outcomes.addListener(listener);
  }

  /** Migrates one domain to another host within its placement rules; returns the id. */
  public String migrate(String domain, String toHost, Requester who) {
    return migrate(domain, toHost, false, who);
  }

  /**
   * Migrates one domain to another host; returns the operation id.
   *
   * @param force true to migrate even against the domain's hard placement rules
   */
  public String migrate(String domain, String toHost, boolean force, Requester who) {
    OperationKind.Migrate kind = new OperationKind.Migrate(domain, toHost, force);
    return audited(
        who,
        kind.action(),
        true,
        () -> {
          if (!force) {
            failover.check(
                List.of(new Move(domain, "", toHost, 0, 0, "")),
                "migrate " + domain + " to " + toHost,
                "; --force migrates it anyway");
          }
          // Read once: while its move is unsettled the domain may show on either host, or on none.
          List<JournaledMove> unsettled = journal.unsettled();
          return launcher.launch(kind, who, () -> admission.migrate(kind, unsettled));
        });
  }

  /** The balance plan a policy makes now, without acting. */
  public PlanView planBalance(String policy) {
    List<JournaledMove> unsettled = journal.unsettled();
    return Planning.view(planning.balance(policy, admission.held(unsettled)), unsettled);
  }

  /** What the planners see now, as {@link SnapshotJson}; no collection round is run for it. */
  public String planningSnapshot() {
    return SnapshotJson.write(planning.snapshot(admission.held(journal.unsettled())));
  }

  /** Plans a balance and, unless {@code dryRun}, runs it; returns the operation id. */
  public String balance(String policy, boolean dryRun, Requester who) {
    OperationKind.Balance kind = new OperationKind.Balance(policy, dryRun);
    return audited(
        who,
        kind.action(),
        !dryRun,
        () -> {
          List<JournaledMove> unsettled = journal.unsettled();
          Admission.Stamp stamp =
              admission.begin(
                  () -> {
                    if (!dryRun) {
                      admission.requireNoPlanRunning();
                    }
                  },
                  unsettled);
          Plan plan = planning.balance(policy, stamp.held());
          if (!dryRun) {
            failover.check(plan.moves(), "balance " + policy, "");
          }
          PlanView view = Planning.view(plan, unsettled);
          return launcher.launch(kind, who, () -> admission.plan(kind, stamp, plan, view));
        });
  }

  /**
   * Plans with {@code decide} on the cluster as last collected (no collection round: the continuous
   * balancer plans on smoothed demand it keeps itself) and, when {@code act} and the plan has
   * moves, runs it as a balance named by the plan's policy, admitted as any balance is. Only a
   * started plan is audited here; the caller audits the rest.
   *
   * @param decide the planner, on the snapshot with the domains other operations hold pinned
   */
  public PlannedBalance balanceWith(
      boolean act, Function<ClusterSnapshot, Plan> decide, Requester who) {
    requireActive();
    if (recovering) {
      return new PlannedBalance.Refused(
          "the coordinator is settling the operations left running when it started or took over");
    }
    Optional<Operation> running = admission.planRunning();
    if (running.isPresent()) {
      return new PlannedBalance.Refused(Admission.busy(running.get()));
    }
    List<JournaledMove> unsettled = journal.unsettled();
    Admission.Stamp stamp = admission.begin(() -> {}, unsettled);
    Plan plan = decide.apply(planning.snapshot(stamp.held()));
    if (!act || plan.moves().isEmpty()) {
      return new PlannedBalance.Planned(plan);
    }
    OperationKind.Balance kind = new OperationKind.Balance(plan.policy(), false);
    try {
      String id =
          audited(
              who,
              kind.action(),
              true,
              () -> {
                failover.check(plan.moves(), kind.summary(), "");
                PlanView view = Planning.view(plan, unsettled);
                return launcher.launch(kind, who, () -> admission.plan(kind, stamp, plan, view));
              });
      return new PlannedBalance.Started(id, plan);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return new PlannedBalance.Refused(e.getMessage());
    }
  }

  /** Drains a host, leaving the domains pinned by their rules where they are; returns the id. */
  public String drain(String host, boolean dryRun, Requester who) {
    return drain(host, dryRun, false, who);
  }

  /**
   * Drains a host; returns the operation id.
   *
   * @param force true to move the domains whose rules pin them too
   */
  public String drain(String host, boolean dryRun, boolean force, Requester who) {
    OperationKind.Drain kind = new OperationKind.Drain(host, dryRun, force);
    return audited(
        who,
        kind.action(),
        !dryRun,
        () -> {
          List<JournaledMove> unsettled = journal.unsettled();
          Admission.Stamp stamp =
              admission.begin(() -> admission.drain(kind, unsettled), unsettled);
          Plan plan = planning.drain(host, stamp.held(), force);
          PlanView view = Planning.view(plan, List.of());
          return launcher.launch(
              kind,
              who,
              () -> {
                admission.drain(kind, unsettled);
                return admission.plan(kind, stamp, plan, view);
              });
        });
  }

  /**
   * Restarts a fenced host's domains on the hosts {@code moves} name ({@link
   * MoveRequest.Method#RESTART}), as the failure handler planned them; returns the operation id.
   * Audited as {@link Requester#HA}.
   *
   * @throws IllegalArgumentException when a restart of that host runs, or another operation holds
   *     one of the domains; nothing is done then
   */
  public String restart(String host, PlanView plan, List<MoveRequest> moves) {
    OperationKind.Restart kind = new OperationKind.Restart(host);
    return audited(
        Requester.HA,
        kind.action(),
        true,
        () -> launcher.launch(kind, Requester.HA, () -> admission.restart(kind, plan, moves)));
  }

  /**
   * Puts an ACTIVE host in STANDBY for power saving, journaled first: it takes no domains from now
   * on; the caller moves its domains away and may switch it off. {@link #activate} returns it.
   *
   * @throws IllegalArgumentException naming the host when it is not an ACTIVE member
   */
  public void standBy(String host, Requester who) {
    audited(
        who,
        "standby " + host,
        true,
        () -> {
          HostState now = admission.state(host);
          if (now != HostState.ACTIVE) {
            throw new IllegalArgumentException(
                "host " + host + " is " + now + ": only an ACTIVE host goes to STANDBY");
          }
          hosts.set(host, HostState.STANDBY);
          return "STANDBY";
        });
  }

  /** Returns a host to service. */
  public void activate(String host, Requester who) {
    audited(
        who,
        "activate " + host,
        true,
        () -> {
          HostState before = admission.activate(host);
          if (before == HostState.ACTIVE) {
            return "already ACTIVE";
          }
          try {
            hosts.journal(host, HostState.ACTIVE);
          } catch (JournalException e) {
            admission.undoActivate(host, before);
            throw new IllegalStateException(
                "cannot activate host " + host + ": " + e.getMessage() + " (nothing was done)");
          }
          return "ACTIVE";
        });
  }

  /** Stops queuing further moves of an operation; moves in flight finish. */
  public void cancel(String id, Requester who) {
    audited(
        who,
        "cancel " + id,
        true,
        () -> {
          Operation operation = registry.get(id);
          if (operation == null) {
            throw new IllegalArgumentException(
                "unknown operation '"
                    + id
                    + "'; running: "
                    + registry.running().stream().map(Operation::id).toList());
          }
          if (operation.state() != xcm.mbeans.OperationState.RUNNING) {
            throw new IllegalArgumentException(
                "operation " + id + " already ended (" + operation.state() + ")");
          }
          // Recorded first: a coordinator taking over from this one does not go on with it.
          journal.operationCancelled(id);
          return scheduler.cancel(operation) + " queued moves dropped";
        });
  }

  /** Every UNSETTLED move, one line each: what an operator (or a check) waits for. */
  public List<String> unsettledMoves() {
    return UnsettledReasons.lines(journal.unsettled());
  }

  /**
   * This coordinator is taking over (or starting): requests that act wait until what the journal
   * holds as running (a former active's operations, or its own former run's) is settled. With
   * nothing running there is nothing to wait for: the former active wrote its last before this
   * coordinator held the lease.
   */
  public void takingOver(long epoch) {
    registry.actingUnder(epoch);
    recovering = !journal.unfinished().isEmpty();
  }

  /**
   * Refuses a request that acts when this coordinator is a standby.
   *
   * @throws xcm.mbeans.StandbyException naming the active coordinator
   */
  public void requireActive() {
    mandate.epoch();
  }

  /** Recovery has settled what the journal held as running: requests may act again. */
  public void recovered() {
    recovering = false;
  }

  /**
   * True while the journal holds operations as running that recovery has not settled yet; requests
   * that would act are refused meanwhile.
   */
  public boolean recovering() {
    return recovering;
  }

  /** Where recovery hands the operations it restored. */
  OperationLauncher launcher() {
    return launcher;
  }

  /** Where an UNSETTLED move's real end, found later, takes effect. */
  MoveOutcomes outcomes() {
    return outcomes;
  }

  /**
   * Runs a request, auditing its result or its refusal; refusals reach the caller unchanged.
   *
   * @param acts false for a request that only plans: it may run while recovery does
   */
  private <T> T audited(Requester who, String action, boolean acts, Supplier<T> request) {
    return audit.audited(
        who,
        action,
        () -> {
          if (acts) {
            requireActive();
          }
          if (recovering && acts) {
            throw new IllegalStateException(
                "the coordinator is settling the operations left running when it started or took over;"
                    + " ask again in a moment");
          }
          return request.get();
        },
        result -> result == null ? "done" : String.valueOf(result));
  }
}
