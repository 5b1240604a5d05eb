package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPolicyTest {
  private final WeightedPolicy policy = new WeightedPolicy();

  private Plan plan(ClusterSnapshot snapshot, Map<String, String> parameters) {
    return policy.plan(
        snapshot, new PolicyParameters("weighted", parameters), PlanOptions.defaults());
  }

  private static ClusterSnapshot fourOnOneHost() {
    return new ClusterSnapshot(
        List.of(
            ClusterSnapshot.Host.active("h1", 17 * GIB, GIB, 8),
            ClusterSnapshot.Host.active("h2", 17 * GIB, GIB, 8)),
        List.of(
            ClusterSnapshot.Domain.running("vm1", "h1", 2 * GIB, 2, 0.5),
            ClusterSnapshot.Domain.running("vm2", "h1", 2 * GIB, 2, 0.5),
            ClusterSnapshot.Domain.running("vm3", "h1", 2 * GIB, 2, 0.5),
            ClusterSnapshot.Domain.running("vm4", "h1", 2 * GIB, 2, 0.5)));
  }

  @Test
  void evensOutTwoHostsInTwoMovesAndProvesItMinimal() {
    Plan plan = plan(fourOnOneHost(), Map.of());

    assertThat(plan.moves()).hasSize(2);
    assertThat(plan.moves()).extracting(Move::from).containsOnly("h1");
    assertThat(plan.moves()).extracting(Move::to).containsOnly("h2");
    // memory 8/16 vs 0: σ 0.25; cpu 4/8 vs 0: σ 0.25; vcpu 8/8 vs 0: σ 0.5.
    assertThat(plan.initialScore()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(plan.finalScore()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(plan.lowerBound()).isEqualTo(2);
    assertThat(plan.minimal()).isTrue();
    assertThat(plan.moves().get(0).reason()).isEqualTo("lowers the score by 0.5");
  }

  @Test
  void stopsAtTheMoveLimit() {
    Plan plan = plan(fourOnOneHost(), Map.of("maxMoves", "1"));

    assertThat(plan.moves()).hasSize(1);
    assertThat(plan.notes()).contains("greedy stopped: reached the limit of 1 moves");
  }

  @Test
  void aMinimumGainAboveEveryMovesGainStopsBeforeTheFirstMove() {
    Plan plan = plan(fourOnOneHost(), Map.of("minGain", "0.6"));

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.lowerBound()).isZero();
  }

  @Test
  void weightsShapeTheScore() {
    Plan plan = plan(fourOnOneHost(), Map.of("memory", "2", "cpu", "0", "vcpu", "0"));

    assertThat(plan.initialScore()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void rejectsUnknownAndMalformedParameters() {
    assertThatThrownBy(() -> plan(fourOnOneHost(), Map.of("minGian", "1")))
        .isInstanceOf(PlanRequestException.class)
        .hasMessage(
            "policy \"weighted\": unknown parameter \"minGian\" (known: cpu, maxMoves, memory,"
                + " minGain, minGainShare, soft, vcpu)");
    assertThatThrownBy(() -> plan(fourOnOneHost(), Map.of("maxMoves", "lots")))
        .isInstanceOf(PlanRequestException.class)
        .hasMessage(
            "policy \"weighted\": parameter \"maxMoves\" must be a whole number >= 0, found:"
                + " \"lots\"");
    assertThatThrownBy(() -> plan(fourOnOneHost(), Map.of("memory", "0", "cpu", "0", "vcpu", "0")))
        .isInstanceOf(PlanRequestException.class)
        .hasMessage(
            "policy \"weighted\": at least one of the weights memory, cpu, vcpu must be above 0");
  }

  @Test
  void everyMoveObeysTheConstraintsAndTheScoreNeverRises() {
    SplittableRandom random = new SplittableRandom(11);
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(8, 40));
      Map<String, String> parameters = new HashMap<>();
      if (random.nextBoolean()) {
        parameters.put("memory", Integer.toString(random.nextInt(3)));
        parameters.put("cpu", Integer.toString(1 + random.nextInt(3)));
      }
      if (random.nextInt(4) == 0) {
        parameters.put("minGain", "0");
      }
      Weights weights = WeightedPolicy.weights(new PolicyParameters("weighted", parameters));
      Plan plan = plan(snapshot, parameters);

      ConstraintOracle oracle =
          new ConstraintOracle(snapshot, PlanOptions.DEFAULT_COOLDOWN_SECONDS);
      double score = oracle.weightedScore(weights);
      assertThat(plan.initialScore()).as("run %d", run).isCloseTo(score, within(score));
      for (Move move : plan.moves()) {
        assertThat(move.scoreBefore()).isCloseTo(score, within(score));
        oracle.apply(move);
        double after = oracle.weightedScore(weights);
        assertThat(move.scoreAfter()).as("run %d", run).isCloseTo(after, within(after));
        assertThat(after).as("run %d: score after %s", run, move).isLessThan(score);
        score = after;
      }
      assertThat(plan.finalScore()).isCloseTo(score, within(score));
      assertThat(plan.lowerBound()).isBetween(plan.moves().isEmpty() ? 0 : 1, plan.moves().size());
    }
  }

  @Test
  void theScoreIsTakenOverActiveHostsOnly() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 17 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h2", 17 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h3", 17 * GIB, GIB, 8)
                    .withState(xcm.mbeans.HostState.UNREACHABLE)),
            List.of(
                ClusterSnapshot.Domain.running("vm1", "h1", 2 * GIB, 2, 0.5),
                ClusterSnapshot.Domain.running("vm2", "h2", 2 * GIB, 2, 0.5),
                ClusterSnapshot.Domain.running("vm3", "h3", 8 * GIB, 8, 1)));

    Plan plan = plan(snapshot, Map.of());

    assertThat(plan.initialScore()).isZero();
    assertThat(plan.moves()).isEmpty();
    assertThat(
            ConstraintOracle.weightedScore(
                snapshot, Map.of("vm1", "h1", "vm2", "h2", "vm3", "h3"), Weights.EQUAL, Set.of()))
        .isZero();
  }

  /** The engine's sums lose up to ~1e-8 to rounding when a deviation nears 0. */
  private static org.assertj.core.data.Offset<Double> within(double scale) {
    return org.assertj.core.data.Offset.offset(5e-8 * (1 + Math.abs(scale)));
  }
}
