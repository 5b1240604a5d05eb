package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * hbal's idea with fewer moves: minimise score = Σ weight × standard deviation over ACTIVE hosts of
 * memory utilisation, CPU load and vCPU/CPU ratio, plus {@code soft} × soft placement rules broken
 * ({@link SoftRules}), by greedy best-gain moves ({@link GreedyBalancer}), each domain at most
 * once, stopping when the best move gains less than the minimum gain or at the move limit; plans of
 * up to {@value #REFINE_LIMIT} moves are then improved by {@link MoveSetRefiner} (kept only if
 * better by score + minimum gain × moves). The plan carries a proven lower bound on the moves any
 * plan needs to reach its final score ({@link MoveLowerBound}).
 *
 * <p>Parameters: {@code memory}, {@code cpu}, {@code vcpu} (weights, default 1 each); {@code soft}
 * (default {@value Weights#DEFAULT_SOFT}: a broken soft rule weighs as much as that much standard
 * deviation; 0 ignores soft rules); {@code minGain} (absolute score drop a move must bring; default
 * {@code minGainShare} × initial score / N); {@code minGainShare} (default {@value
 * #DEFAULT_MIN_GAIN_SHARE}: a move must remove at least that share of one host's part of the
 * initial imbalance); {@code maxMoves} (default unlimited).
 *
 * <p>Stateless and thread-safe.
 */
public final class WeightedPolicy implements BalancePolicy {
  public static final String NAME = "weighted";
  public static final double DEFAULT_MIN_GAIN_SHARE = 0.05;
  static final String SCORE = "weighted-stddev";
  static final double MIN_GAIN_FLOOR = 1e-7;
  private static final int NARROW_FAN = 3;
  private static final int WIDE_FAN = 16;

  /** Greedy plans up to this long are refined; longer ones are large enough to be left greedy. */
  private static final int REFINE_LIMIT = 500;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "greedy best-gain moves on Σ weight × stddev of memory, CPU load and vCPU ratio;"
        + " and the soft placement rules broken; parameters memory, cpu, vcpu, soft, minGain,"
        + " minGainShare, maxMoves";
  }

  @Override
  public Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options) {
    Weights weights = weights(parameters);
    boolean absoluteGain = parameters.has("minGain");
    double minGain = parameters.number("minGain", 0, 0, Double.MAX_VALUE);
    double share = parameters.number("minGainShare", DEFAULT_MIN_GAIN_SHARE, 0, 1);
    int maxMoves = parameters.integer("maxMoves", Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
    parameters.rejectOthers();

    Placement placement = new Placement(snapshot, options);
    LoadModel model = new LoadModel(placement, weights, LoadModel.activeHosts(placement));
    List<String> notes = new ArrayList<>();
    int elsewhere = 0;
    boolean[] movable = new boolean[placement.domainCount()];
    for (int d = 0; d < movable.length; d++) {
      boolean onActive = placement.accepting(placement.hostOf(d));
      movable[d] = onActive && placement.movable(d);
      if (!onActive && placement.holdsResources(d)) {
        elsewhere++;
      }
    }
    BalanceNotes.ignored(snapshot, placement, elsewhere, notes);
    double initial = model.score();
    if (model.countedHosts() == 0) {
      notes.add("no ACTIVE host: nothing to balance");
      return new Plan(NAME, SCORE, List.of(), 0, 0, 0, true, notes);
    }
    if (!absoluteGain) {
      minGain = share * model.balance() / model.countedHosts();
    }
    // Rounding must never pass for progress. The incremental standard deviations carry errors
    // near 1e-8 when a variance is close to 0, so a move must gain well above that.
    minGain = Math.max(minGain, MIN_GAIN_FLOOR * (1 + initial));
    MoveLowerBound bound = MoveLowerBound.from(model, placement, weights, movable);
    freezeDomainsOffActiveHosts(placement, movable);

    GreedyBalancer greedy = new GreedyBalancer(placement, model, weights, NARROW_FAN, WIDE_FAN);
    GreedyBalancer.Outcome outcome = greedy.run(minGain, maxMoves);
    List<GreedyBalancer.Step> steps = outcome.steps();
    if (!steps.isEmpty() && steps.size() <= REFINE_LIMIT) {
      steps =
          MoveSetRefiner.improve(
              snapshot, options, weights, minGain, maxMoves, steps, NARROW_FAN, WIDE_FAN);
    }
    List<Move> moves = new ArrayList<>(steps.size());
    for (GreedyBalancer.Step step : steps) {
      moves.add(
          new Move(
              placement.domainName(step.domain()),
              placement.hostName(step.from()),
              placement.hostName(step.to()),
              step.scoreBefore(),
              step.scoreAfter(),
              "lowers the score by " + ScoreFormat.gain(step.scoreBefore() - step.scoreAfter())));
    }
    double finalScore = moves.isEmpty() ? initial : moves.get(moves.size() - 1).scoreAfter();
    notes.add("greedy stopped: " + outcome.stopReason());
    if (steps != outcome.steps()) {
      List<GreedyBalancer.Step> greedySteps = outcome.steps();
      notes.add(
          "refined: "
              + steps.size()
              + " moves to score "
              + ScoreFormat.score(finalScore)
              + " instead of greedy's "
              + greedySteps.size()
              + " to "
              + ScoreFormat.score(greedySteps.get(greedySteps.size() - 1).scoreAfter()));
    }
    int softBefore = balanceAfter(snapshot, options, weights, List.of()).softRulesBroken();
    LoadModel after = balanceAfter(snapshot, options, weights, steps);
    if (softBefore > 0) {
      notes.add(
          "soft rules broken: "
              + softBefore
              + " before, "
              + after.softRulesBroken()
              + " after"
              + (weights.soft() == 0 ? " (not weighed: soft=0)" : ""));
    }
    // The bound counts the moves to reach a balance; soft rules are not part of it.
    int lowerBound = bound.movesToReach(after.balance());
    return new Plan(NAME, SCORE, moves, initial, finalScore, lowerBound, true, notes);
  }

  /** A model of the placement after the steps, weighing no soft rule but counting them. */
  private static LoadModel balanceAfter(
      ClusterSnapshot snapshot,
      PlanOptions options,
      Weights weights,
      List<GreedyBalancer.Step> steps) {
    Placement placement = new Placement(snapshot, options);
    LoadModel model =
        new LoadModel(
            placement,
            new Weights(
                weights.memory(), weights.cpu(), weights.vcpu(), Math.max(weights.soft(), 1)),
            LoadModel.activeHosts(placement));
    for (GreedyBalancer.Step step : steps) {
      model.apply(step.domain(), step.from(), step.to());
      placement.move(step.domain(), step.to());
    }
    return model;
  }

  static Weights weights(PolicyParameters parameters) {
    double memory = parameters.number("memory", 1, 0, 1e6);
    double cpu = parameters.number("cpu", 1, 0, 1e6);
    double vcpu = parameters.number("vcpu", 1, 0, 1e6);
    double soft = parameters.number("soft", Weights.DEFAULT_SOFT, 0, 1e6);
    if (memory + cpu + vcpu == 0) {
      throw new PlanRequestException(
          "policy \"" + NAME + "\": at least one of the weights memory, cpu, vcpu must be above 0");
    }
    return new Weights(memory, cpu, vcpu, soft);
  }

  /**
   * Domains on hosts that are not ACTIVE hold still during a balance; a drain moves them. The
   * placement itself would let them move, so the engine is kept off them here.
   */
  static void freezeDomainsOffActiveHosts(Placement placement, boolean[] movable) {
    for (int d = 0; d < movable.length; d++) {
      if (!movable[d] && placement.movable(d)) {
        placement.hold(d);
      }
    }
  }
}
