package xcm.coordinator.plan;

import java.util.List;

/**
 * The result of a planner: ordered moves to run one after the other, with the policy's score along
 * the way.
 *
 * <p>{@code lowerBound} is a proven lower bound on the number of moves that any plan needs to bring
 * the cluster from {@code initialScore} to {@code finalScore} under the same policy; when it equals
 * the number of moves the plan is minimal. {@code targetReached} is false when the policy has a
 * target (domain-count) or a duty (drain) that constraints kept it from meeting; {@code notes} then
 * say why. {@code notes} also report what the planner left alone on purpose.
 *
 * <p>Immutable and thread-safe.
 *
 * @param policy the policy or drain strategy that made it, e.g. {@code weighted}, {@code
 *     drain:best-fit}
 * @param scoreName what the score measures, e.g. {@code weighted-stddev}
 */
public record Plan(
    String policy,
    String scoreName,
    List<Move> moves,
    double initialScore,
    double finalScore,
    int lowerBound,
    boolean targetReached,
    List<String> notes) {

  public Plan {
    moves = List.copyOf(moves);
    notes = List.copyOf(notes);
  }

  /** True when no plan could do it in fewer moves. */
  public boolean minimal() {
    return lowerBound == moves.size();
  }
}
