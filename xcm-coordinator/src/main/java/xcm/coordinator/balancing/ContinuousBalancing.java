package xcm.coordinator.balancing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.PlannedBalance;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.PlacementException;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.PlanVerifier;
import xcm.mbeans.AutomationLevel;

/**
 * The coordinator's continuous balancing: smooths every collected sample into each domain's demand,
 * decides a round when its job fires ({@link ContinuousBalancer}), and at level {@code full} runs
 * the moves as a balance operation, admitted as any balance is — never beside another balance, a
 * drain or the nightly job. At level {@code manual} the round's moves become the standing
 * recommendation, run by {@link #apply} if they still fit the cluster. Every round's decision is
 * kept for the views and metrics and written to the audit log.
 *
 * <p>Thread-safe: the collector feeds it, the job and the doors read and change it.
 */
public final class ContinuousBalancing {
  /** The name its operations carry, as the policy of a balance. */
  public static final String LABEL = "continuous";

  private static final Requester ROUND = Requester.schedule("continuous-balance");

  /** A round's decision and when it was made. */
  public record Round(Instant at, RoundDecision decision) {}

  private final OperationService operations;
  private final ContinuousBalancer balancer;
  private final Clock clock;
  private final AtomicReference<BalancerSettings> settings;
  private final DemandTracker tracker;
  // Guarded by tracker: where each domain's last sample came from.
  private final Map<String, String> sampledOn = new HashMap<>();
  private final ArrayDeque<Instant> recentMoves = new ArrayDeque<>();
  private final Map<RoundResult, LongAdder> rounds = new EnumMap<>(RoundResult.class);
  private volatile Round last;
  private volatile Round recommendation;

  public ContinuousBalancing(
      OperationService operations,
      ContinuousBalancer balancer,
      BalancerSettings settings,
      Clock clock) {
    this.operations = operations;
    this.balancer = balancer;
    this.clock = clock;
    this.settings = new AtomicReference<>(settings);
    this.tracker = new DemandTracker(settings.window());
    for (RoundResult result : RoundResult.values()) {
      rounds.put(result, new LongAdder());
    }
  }

  // ---- fed by every collection round

  /**
   * Takes the round's samples: each running domain's CPU demand, at its host's sample time. A
   * domain's first sample on a host it moved to is left out: an agent's first look at a domain has
   * no earlier CPU time to measure from and reads 0% busy.
   */
  public void observe(xcm.coordinator.inventory.ClusterSnapshot cluster) {
    Set<String> seen = new HashSet<>();
    synchronized (tracker) {
      for (HostRecord host : cluster.hosts().values()) {
        if (host.data() == null || host.data().agentStale()) {
          continue;
        }
        long at = host.data().sampleEpochMillis();
        for (DomainData d : host.data().domains()) {
          if (d.state().isActive()
              && Double.isFinite(d.cpuUtilisation())
              && d.cpuUtilisation() >= 0) {
            seen.add(d.name());
            String before = sampledOn.put(d.name(), host.name());
            if (before == null || before.equals(host.name())) {
              tracker.observe(d.name(), d.cpuUtilisation() * d.vcpus(), at);
            }
          }
        }
      }
      tracker.retain(seen);
      sampledOn.keySet().retainAll(seen);
    }
  }

  // ---- the round

  /** Decides a round now and acts on it as the level says; what the job runs. */
  public RoundDecision round() {
    BalancerSettings now = settings.get();
    if (now.level() == AutomationLevel.OFF) {
      return keep(RoundDecision.idle(RoundResult.OFF, now.threshold(), "automation level is off"));
    }
    RoundDecision[] decided = new RoundDecision[1];
    PlannedBalance outcome =
        operations.balanceWith(
            LABEL,
            now.level() == AutomationLevel.FULL,
            snapshot -> {
              decided[0] = decide(snapshot, now);
              return plan(decided[0]);
            },
            ROUND);
    RoundDecision decision;
    if (outcome instanceof PlannedBalance.Refused refused) {
      decision =
          new RoundDecision(
              RoundResult.BUSY,
              decided[0] == null ? 0 : decided[0].imbalance(),
              decided[0] == null ? 0 : decided[0].bestGain(),
              now.threshold(),
              0,
              List.of(),
              refused.reason());
    } else {
      if (outcome instanceof PlannedBalance.Started started) {
        movesMade(started.plan().moves().size());
      }
      decision = decided[0];
    }
    recommendation =
        decision.result() == RoundResult.RECOMMENDED ? new Round(clock.instant(), decision) : null;
    operations
        .audit()
        .record(
            ROUND,
            "balance (continuous, threshold " + now.threshold().level() + ")",
            decision.result().label() + ": " + decision.reason());
    return keep(decision);
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
              + settings.get().level().label()
              + " and the last round recommended nothing");
    }
    Plan plan = plan(shown.decision());
    PlannedBalance outcome =
        operations.balanceWith(
            LABEL,
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

  private RoundDecision decide(ClusterSnapshot snapshot, BalancerSettings now) {
    Map<String, Double> deviations = new HashMap<>();
    List<ClusterSnapshot.Domain> smoothed = new ArrayList<>();
    synchronized (tracker) {
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        DemandTracker.Demand demand = tracker.estimate(d.name(), d.cpuUtilisation() * d.vcpus());
        deviations.put(d.name(), demand.deviation());
        smoothed.add(
            d.vcpus() == 0
                ? d
                : new ClusterSnapshot.Domain(
                    d.name(),
                    d.host(),
                    d.state(),
                    d.memoryBytes(),
                    d.vcpus(),
                    demand.mean() / d.vcpus(),
                    d.rules(),
                    d.pinned(),
                    d.lastMovedSecondsAgo()));
      }
    }
    return balancer.decide(
        new ClusterSnapshot(snapshot.hosts(), smoothed), deviations, now, movesInLastHour());
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
    return settings.get();
  }

  /** Sets the automation level, audited; refused on a standby. */
  public void level(AutomationLevel level, Requester who) {
    change(who, "balancing level " + level.label(), s -> s.withLevel(level));
  }

  /** Sets the migration threshold, audited; refused on a standby. */
  public void threshold(MigrationThreshold threshold, Requester who) {
    change(who, "balancing threshold " + threshold.level(), s -> s.withThreshold(threshold));
  }

  private void change(
      Requester who, String action, java.util.function.UnaryOperator<BalancerSettings> how) {
    operations
        .audit()
        .audited(
            who,
            action,
            () -> {
              operations.requireActive();
              BalancerSettings changed = settings.updateAndGet(how);
              if (changed.level() != AutomationLevel.MANUAL) {
                recommendation = null;
              }
              return changed;
            },
            s -> "done");
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
