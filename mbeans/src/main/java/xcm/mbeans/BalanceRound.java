package xcm.mbeans;

import java.util.List;

/**
 * One round of continuous balancing as the coordinator decided it.
 *
 * @param at when it was decided (ISO-8601), empty before the first round
 * @param result {@code off}, {@code busy}, {@code capped}, {@code balanced}, {@code no_gain},
 *     {@code mended}, {@code recommended} or {@code moved}
 * @param imbalance the cluster's imbalance on smoothed demand
 * @param bestGain the largest gain of any move found, taken or not
 * @param threshold the migration threshold applied, 1 to 5
 * @param minGain the least gain a move had to bring
 * @param moves what the round moved or recommends
 * @param reason why, in one line
 */
public record BalanceRound(
    String at,
    String result,
    double imbalance,
    double bestGain,
    int threshold,
    double minGain,
    List<PlannedMove> moves,
    String reason) {}
