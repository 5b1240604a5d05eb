package xcm.coordinator.balancing;

import java.util.List;
import xcm.coordinator.plan.Move;

/**
 * One round's decision, with what it was based on, for the views, the audit log and the metrics.
 *
 * @param imbalance the cluster's imbalance on smoothed demand when the round looked
 * @param bestGain the largest gain of any move the round found, taken or not; 0 if none
 * @param threshold the migration threshold the round applied
 * @param minGain the least gain a move had to bring under that threshold
 * @param moves the moves to make (MOVED, MENDED) or recommend (RECOMMENDED); empty otherwise
 * @param reason one line for people: why it moved or why not
 */
public record RoundDecision(
    RoundResult result,
    double imbalance,
    double bestGain,
    MigrationThreshold threshold,
    double minGain,
    List<Move> moves,
    String reason) {

  public RoundDecision {
    moves = List.copyOf(moves);
  }

  /** A round that planned nothing, for that reason. */
  static RoundDecision idle(RoundResult result, MigrationThreshold threshold, String reason) {
    return new RoundDecision(result, 0, 0, threshold, 0, List.of(), reason);
  }
}
