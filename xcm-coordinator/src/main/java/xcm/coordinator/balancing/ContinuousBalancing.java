package xcm.coordinator.balancing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.PlannedBalance;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.PlacementException;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.PlanVerifier;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.AutomationLevel;
import xcm.mbeans.HostState;

/**
 * The coordinator's continuous balancing: smooths every collected sample into each domain's demand
 * ({@link SmoothedDemand}), decides a round when its job fires, and acts as the level says — never
 * beside another balance, a drain or the nightly job, since a round that moves runs as a balance
 * operation admitted as any other. At level {@code full} power saving ({@link PowerSaver}, when on)
 * decides first: it empties a host into STANDBY or wakes STANDBY hosts, and the round balances only
 * when it does neither; {@link PowerSwitch} switches emptied hosts off and woken ones on. At level
 * {@code manual} the round's moves become the standing recommendation, run by {@link #apply} if
 * they still fit. Every round is kept for the views and metrics and written to the audit log.
 *
 * <p>Thread-safe: the collector feeds it, the job and the doors read and change it.
 */
public final class ContinuousBalancing {
  /** The policy its balance operations carry. */
  public static final String LABEL = "continuous";

  private static final Requester ROUND = Requester.schedule("continuous-balance");

  /** A round's decision and when it was made. */
  public record Round(Instant at, RoundDecision decision) {}

  private final OperationService operations;
  private final ContinuousBalancer balancer;
  private final PowerSaver saver;
  private final PowerSwitch power;
  private final Clock clock;
  private final KeptSettings kept;
  private final SmoothedDemand demand;
  private final ArrayDeque<Instant> recentMoves = new ArrayDeque<>();
  private final Map<RoundResult, LongAdder> rounds = new EnumMap<>(RoundResult.class);
  private volatile xcm.coordinator.inventory.ClusterSnapshot collected;
  private volatile Round last;
  private volatile Round recommendation;

  /**
   * @param journal keeps the level, threshold and power saving an operator sets at run time; they
   *     apply over {@code settings} and {@code powerSettings} from the start
   * @param hook switches STANDBY hosts off and woken ones on; empty to only mark them
   */
  public ContinuousBalancing(
      OperationService operations,
      Journal journal,
      Planner planner,
      BalancerSettings settings,
      PowerSettings powerSettings,
      Optional<Fencer> hook,
      Clock clock) {
    this.operations = operations;
    this.balancer = new ContinuousBalancer(planner);
    this.saver = new PowerSaver(planner);
    this.power = new PowerSwitch(operations, hook, ROUND);
    this.clock = clock;
    this.kept = new KeptSettings(operations, journal, settings, powerSettings);
    this.demand = new SmoothedDemand(settings.window());
    for (RoundResult result : RoundResult.values()) {
      rounds.put(result, new LongAdder());
    }
  }

  /**
   * Applies the level, threshold and power saving the journal keeps over the current ones: at
   * start, and when this coordinator takes over from another.
   */
  public void reload() {
    kept.reload();
  }

  /** Takes a collection round's samples. */
  public void observe(xcm.coordinator.inventory.ClusterSnapshot cluster) {
    collected = cluster;
    demand.observe(cluster);
  }

  // ---- the round

  /** Decides a round now and acts on it as the level says; what the job runs. */
  public RoundDecision round() {
    BalancerSettings now = kept.balancer();
    if (now.level() == AutomationLevel.OFF) {
      return keep(RoundDecision.idle(RoundResult.OFF, now.threshold(), "automation level is off"));
    }
    boolean full = now.level() == AutomationLevel.FULL;
    PowerSettings saving = kept.power();
    RoundDecision[] decided = new RoundDecision[1];
    PowerAction[] acting = new PowerAction[1];
    boolean[] wasActive = new boolean[1];
    PlannedBalance outcome =
        operations.balanceWith(
            full,
            snapshot -> {
              SmoothedDemand.Smoothed smoothed = demand.smooth(snapshot);
              if (full && saving.enabled() && !power.waking()) {
                PowerAction action =
                    saver.decide(
                        smoothed.snapshot(),
                        smoothed.deviations(),
                        saving,
                        new PlanOptions(now.cooldown().toSeconds()));
                if (!(action instanceof PowerAction.Hold)) {
                  acting[0] = action;
                  if (action instanceof PowerAction.Evacuate evacuate) {
                    wasActive[0] =
                        snapshot
                            .host(evacuate.host())
                            .map(h -> h.state() == HostState.ACTIVE)
                            .orElse(false);
                  }
                  decided[0] = powerDecision(action, now);
                  return powerPlan(action);
                }
              }
              decided[0] =
                  balancer.decide(
                      smoothed.snapshot(), smoothed.deviations(), now, movesInLastHour());
              return plan(decided[0]);
            },
            ROUND);
    RoundDecision decision = outcome(outcome, decided[0], now);
    if (outcome instanceof PlannedBalance.Started started) {
      if (acting[0] instanceof PowerAction.Evacuate evacuate) {
        if (wasActive[0]) {
          operations.standBy(evacuate.host(), ROUND);
        }
      } else {
        movesMade(started.plan().moves().size());
      }
    }
    if (acting[0] instanceof PowerAction.Wake wake
        && !(outcome instanceof PlannedBalance.Refused)) {
      power.wake(wake.hosts());
    }
    recommendation =
        decision.result() == RoundResult.RECOMMENDED ? new Round(clock.instant(), decision) : null;
    operations
        .audit()
        .record(
            ROUND,
            "balance (continuous, threshold " + now.threshold().level() + ")",
            decision.result().label() + ": " + decision.reason());
    // Beside a running operation too: a host is switched off only once its samples show it empty.
    xcm.coordinator.inventory.ClusterSnapshot cluster = collected;
    if (cluster != null) {
      power.settle(cluster);
    }
    return keep(decision);
  }

  /** The round's decision as it came out: refused rounds are BUSY, with the reason. */
  private static RoundDecision outcome(
      PlannedBalance outcome, RoundDecision decided, BalancerSettings now) {
    if (outcome instanceof PlannedBalance.Refused refused) {
      return new RoundDecision(
          RoundResult.BUSY,
          decided == null ? 0 : decided.imbalance(),
          decided == null ? 0 : decided.bestGain(),
          now.threshold(),
          0,
          List.of(),
          refused.reason());
    }
    return decided;
  }

  private static RoundDecision powerDecision(PowerAction action, BalancerSettings now) {
    if (action instanceof PowerAction.Evacuate evacuate) {
      return new RoundDecision(
          RoundResult.STANDBY,
          0,
          0,
          now.threshold(),
          0,
          evacuate.plan().moves(),
          "empties " + evacuate.host() + " for STANDBY: " + evacuate.reason());
    }
    PowerAction.Wake wake = (PowerAction.Wake) action;
    return new RoundDecision(
        RoundResult.WAKE,
        0,
        0,
        now.threshold(),
        0,
        List.of(),
        "wakes " + String.join(", ", wake.hosts()) + ": " + wake.reason());
  }

  private static Plan powerPlan(PowerAction action) {
    if (action instanceof PowerAction.Evacuate evacuate) {
      Plan drain = evacuate.plan();
      return new Plan(
          "power-saving " + evacuate.host(),
          drain.scoreName(),
          drain.moves(),
          drain.initialScore(),
          drain.finalScore(),
          drain.lowerBound(),
          drain.targetReached(),
          List.of(evacuate.reason()));
    }
    return new Plan("power-saving", "none", List.of(), 0, 0, 0, true, List.of(action.reason()));
  }

  /**
   * Runs the standing recommendation if it still fits the cluster as last collected; returns the
   * operation id.
   *
   * @throws IllegalStateException when there is none, or another balance or drain runs
   * @throws IllegalArgumentException when it no longer fits, with the reason
   */
  public String apply(Requester who) {
    Round shown = recommendation;
    if (shown == null) {
      throw new IllegalStateException(
          "no recommendation to apply: the automation level is "
              + kept.balancer().level().label()
              + " and the last round recommended nothing");
    }
    Plan plan = plan(shown.decision());
    PlannedBalance outcome =
        operations.balanceWith(
            true,
            snapshot -> {
              try {
                PlanVerifier.replay(snapshot, plan, new PlanOptions(0));
              } catch (PlacementException e) {
                throw new IllegalArgumentException(
                    "the recommendation of " + shown.at() + " no longer fits: " + e.getMessage());
              }
              return plan;
            },
            who);
    if (outcome instanceof PlannedBalance.Started started) {
      recommendation = null;
      movesMade(started.plan().moves().size());
      return started.operationId();
    }
    throw new IllegalStateException(
        outcome instanceof PlannedBalance.Refused refused
            ? refused.reason()
            : "the recommendation has no moves");
  }

  /**
   * Powers STANDBY hosts on (through the hook) and makes them ACTIVE once their agents answer: what
   * an operator asks when they know demand will rise.
   */
  public void wake(String host, Requester who) {
    operations.requireActive();
    xcm.coordinator.inventory.ClusterSnapshot cluster = collected;
    HostState state =
        cluster == null || cluster.host(host) == null ? null : cluster.host(host).state();
    if (state != HostState.STANDBY) {
      throw new IllegalArgumentException(
          "host " + host + " is " + (state == null ? "unknown" : state) + ", not STANDBY");
    }
    operations.audit().record(who, "wake " + host, "powering on; ACTIVE once its agent answers");
    power.wake(List.of(host));
  }

  private static Plan plan(RoundDecision decision) {
    List<Move> moves = decision.moves();
    return new Plan(
        LABEL,
        "imbalance",
        moves,
        decision.imbalance(),
        moves.isEmpty() ? decision.imbalance() : moves.get(moves.size() - 1).scoreAfter(),
        0,
        true,
        List.of(decision.reason()));
  }

  private synchronized void movesMade(int count) {
    Instant at = clock.instant();
    for (int i = 0; i < count; i++) {
      recentMoves.addLast(at);
    }
  }

  private synchronized int movesInLastHour() {
    Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
    while (!recentMoves.isEmpty() && !recentMoves.peekFirst().isAfter(hourAgo)) {
      recentMoves.removeFirst();
    }
    return recentMoves.size();
  }

  private RoundDecision keep(RoundDecision decision) {
    rounds.get(decision.result()).increment();
    last = new Round(clock.instant(), decision);
    return decision;
  }

  // ---- what the doors read and change

  public BalancerSettings settings() {
    return kept.balancer();
  }

  public PowerSettings powerSettings() {
    return kept.power();
  }

  /** Sets the automation level, audited and journaled; refused on a standby. */
  public void level(AutomationLevel level, Requester who) {
    if (kept.level(level, who).level() != AutomationLevel.MANUAL) {
      recommendation = null;
    }
  }

  /** Sets the migration threshold, audited and journaled; refused on a standby. */
  public void threshold(MigrationThreshold threshold, Requester who) {
    kept.threshold(threshold, who);
  }

  /** Turns power saving on or off, audited and journaled; refused on a standby. */
  public void powerSaving(boolean on, Requester who) {
    kept.powerSaving(on, who);
  }

  /** The last round, if any ran. */
  public Optional<Round> last() {
    return Optional.ofNullable(last);
  }

  /** The standing recommendation at level manual, if the last round made one. */
  public Optional<Round> recommendation() {
    return Optional.ofNullable(recommendation);
  }

  /** Rounds ended with that result since start. */
  public long rounds(RoundResult result) {
    return rounds.get(result).sum();
  }
}
