package xcm.coordinator.balancing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.coordinator.plan.ScoreFormat;
import xcm.coordinator.plan.WeightedPolicy;
import xcm.mbeans.AutomationLevel;

/**
 * One round of continuous balancing, decided: on a snapshot whose CPU figures are smoothed demand
 * ({@link DemandTracker}), the moves worth making now, or why none are.
 *
 * <p>A round first mends broken hard placement rules, whatever the threshold. Otherwise it starts
 * only when the imbalance reaches the threshold's start level. It plans with the weighted policy
 * (memory and CPU, no vCPU ratio: demand is measured, not guessed) down to the finest threshold's
 * gain and keeps the moves that gain more than {@code noiseFactor} standard deviations of what the
 * hosts' demand noise alone could make of them, holding a domain whose move does not and planning
 * the rest again. The threshold then keeps those moves in order while each gains its least gain.
 * Every threshold cuts the same moves, so a higher one never moves fewer domains; a cooldown (the
 * planner's) and caps per round and per hour bound the rest.
 *
 * <p>Pure: the snapshot, deviations, settings and the count of recent moves in, a decision out; no
 * clock, I/O or state. Thread-safe.
 */
public final class ContinuousBalancer {
  /** Replans around noisy moves a round makes at most; each is one plan of the cluster. */
  private static final int MAX_REPLANS = 4;

  private final Planner planner;

  public ContinuousBalancer(Planner planner) {
    this.planner = planner;
  }

  /**
   * Decides a round.
   *
   * @param smoothed the cluster with each domain's CPU utilisation set to its smoothed demand
   * @param deviations each domain's demand deviation in CPUs, by name; missing ones count as 0
   * @param movesInLastHour the moves rounds made in the hour before this one
   */
  public RoundDecision decide(
      ClusterSnapshot smoothed,
      Map<String, Double> deviations,
      BalancerSettings settings,
      int movesInLastHour) {
    MigrationThreshold threshold = settings.threshold();
    if (settings.level() == AutomationLevel.OFF) {
      return RoundDecision.idle(RoundResult.OFF, threshold, "automation level is off");
    }
    DemandSpread spread =
        new DemandSpread(smoothed, deviations, settings.memoryWeight(), settings.cpuWeight());
    double imbalance = spread.imbalance();
    int room = Math.min(settings.maxMovesPerRound(), settings.maxMovesPerHour() - movesInLastHour);
    if (room <= 0) {
      return new RoundDecision(
          RoundResult.CAPPED,
          imbalance,
          0,
          threshold,
          0,
          List.of(),
          movesInLastHour
              + " moves in the last hour reached the cap of "
              + settings.maxMovesPerHour());
    }
    PlanOptions options = new PlanOptions(settings.cooldown().toSeconds());
    Plan mend = planner.mend(smoothed, options);
    if (!mend.moves().isEmpty()) {
      List<Move> moves = mend.moves().subList(0, Math.min(room, mend.moves().size()));
      return new RoundDecision(
          act(settings, RoundResult.MENDED),
          imbalance,
          0,
          threshold,
          0,
          moves,
          moves.size() + " moves mend broken hard placement rules");
    }
    if (spread.hosts() < 2 || imbalance < threshold.startImbalance()) {
      return new RoundDecision(
          RoundResult.BALANCED,
          imbalance,
          0,
          threshold,
          0,
          List.of(),
          "imbalance "
              + ScoreFormat.score(imbalance)
              + " is below "
              + ScoreFormat.score(threshold.startImbalance())
              + ", where threshold "
              + threshold.level()
              + " starts a round");
    }
    Candidates found = candidates(smoothed, spread, settings, room, options);
    return cut(found, spread, settings, imbalance);
  }

  /** The moves every threshold cuts its own from, and what kept others out. */
  private record Candidates(List<Move> moves, double bestGain, String noisy) {}

  /**
   * Plans down to the finest threshold's gain and keeps the plan's moves in order until one gains
   * no more than its noise; that domain is then held and the rest replanned from where the kept
   * moves leave the cluster, a few times at most. Nothing here depends on the threshold.
   */
  private Candidates candidates(
      ClusterSnapshot smoothed,
      DemandSpread spread,
      BalancerSettings settings,
      int room,
      PlanOptions options) {
    DemandSpread replay = spread.copy();
    List<Move> kept = new ArrayList<>();
    Set<String> held = new HashSet<>();
    ClusterSnapshot current = smoothed;
    double bestGain = 0;
    String noisy = null;
    for (int plan = 0; plan <= MAX_REPLANS && kept.size() < room; plan++) {
      Map<String, String> parameters =
          Map.of(
              "memory", Double.toString(settings.memoryWeight()),
              "cpu", Double.toString(settings.cpuWeight()),
              "vcpu", "0",
              "minGain", Double.toString(MigrationThreshold.finestGain(spread.hosts())),
              "maxMoves", Integer.toString(room - kept.size()));
      List<Move> planned =
          planner.balance(holding(current, held), WeightedPolicy.NAME, parameters, options).moves();
      List<Move> taken = new ArrayList<>();
      String stop = null;
      for (Move move : planned) {
        double gain = move.scoreBefore() - move.scoreAfter();
        bestGain = Math.max(bestGain, gain);
        double noise = settings.noiseFactor() * replay.noise(move);
        if (gain <= noise) {
          held.add(move.domain());
          stop =
              "moving "
                  + move.domain()
                  + " gains "
                  + ScoreFormat.gain(gain)
                  + ", within the demand's noise ("
                  + ScoreFormat.gain(noise)
                  + ")";
          break;
        }
        replay.apply(move);
        taken.add(move);
      }
      kept.addAll(taken);
      if (stop == null) {
        break;
      }
      noisy = stop;
      current = current.withMoves(taken);
    }
    return new Candidates(kept, bestGain, noisy);
  }

  /** The candidates, in order, while each gains the threshold's least gain. */
  private static RoundDecision cut(
      Candidates found, DemandSpread spread, BalancerSettings settings, double imbalance) {
    MigrationThreshold threshold = settings.threshold();
    double minGain = threshold.minGain(spread.hosts());
    List<Move> kept = new ArrayList<>();
    String stop = null;
    for (Move move : found.moves()) {
      double gain = move.scoreBefore() - move.scoreAfter();
      if (gain < minGain) {
        stop =
            "moving "
                + move.domain()
                + " gains "
                + ScoreFormat.gain(gain)
                + ", below the least gain "
                + ScoreFormat.gain(minGain);
        break;
      }
      spread.apply(move);
      kept.add(move);
    }
    if (stop == null) {
      stop = found.noisy();
    }
    if (kept.isEmpty()) {
      return new RoundDecision(
          RoundResult.NO_GAIN,
          imbalance,
          found.bestGain(),
          threshold,
          minGain,
          List.of(),
          stop != null
              ? stop
              : "no move lowers imbalance "
                  + ScoreFormat.score(imbalance)
                  + " by the least gain "
                  + ScoreFormat.gain(minGain));
    }
    return new RoundDecision(
        act(settings, RoundResult.MOVED),
        imbalance,
        found.bestGain(),
        threshold,
        minGain,
        kept,
        kept.size()
            + " moves take imbalance "
            + ScoreFormat.score(imbalance)
            + " to "
            + ScoreFormat.score(spread.imbalance())
            + (stop == null ? "" : "; then " + stop));
  }

  private static ClusterSnapshot holding(ClusterSnapshot snapshot, Set<String> held) {
    if (held.isEmpty()) {
      return snapshot;
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      domains.add(held.contains(d.name()) ? d.withPinned(true) : d);
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }

  /** What acting comes to at the level: made at full, recommended at manual. */
  private static RoundResult act(BalancerSettings settings, RoundResult made) {
    return settings.level() == AutomationLevel.FULL ? made : RoundResult.RECOMMENDED;
  }
}
