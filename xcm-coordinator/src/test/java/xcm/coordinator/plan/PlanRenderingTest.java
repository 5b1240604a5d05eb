package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PlanRenderingTest {
  private static final Plan PLAN =
      new Plan(
          "domain-count",
          "domains-above-target",
          List.of(
              new Move(
                  "vm1", "h1", "h2", 2, 1, "h1 holds 4 domains, above the target of 2; h2 holds 0"),
              new Move(
                  "web-02",
                  "h1",
                  "h3",
                  1,
                  0,
                  "h1 holds 3 domains, above the target of 2; h3 holds 1")),
          2,
          0,
          2,
          true,
          List.of("target X = floor(D/N) + 1 = 2 with D = 5 domains on N = 3 ACTIVE hosts"));

  @Test
  void tableShowsOneRowPerMoveThenTotalsNotesAndTime() {
    assertThat(PlanTable.render(PLAN, OptionalDouble.of(1.25)))
        .isEqualTo(
            "plan: domain-count (score: domains-above-target)\n"
                + "#  domain  from  to  before    after     reason\n"
                + "1  vm1     h1    h2  2.000000  1.000000  h1 holds 4 domains, above the target of 2; h2 holds 0\n"
                + "2  web-02  h1    h3  1.000000  0.000000  h1 holds 3 domains, above the target of 2; h3 holds 1\n"
                + "moves: 2, lower bound: 2 (minimal), score 2.000000 -> 0.000000, target reached\n"
                + "note: target X = floor(D/N) + 1 = 2 with D = 5 domains on N = 3 ACTIVE hosts\n"
                + "planned in 1.3 ms\n");
  }

  @Test
  void tableOfAnEmptyPlanSaysSo() {
    Plan empty = new Plan("weighted", "weighted-stddev", List.of(), 0.5, 0.5, 0, true, List.of());
    assertThat(PlanTable.render(empty, OptionalDouble.empty()))
        .isEqualTo(
            "plan: weighted (score: weighted-stddev)\n"
                + "no moves\n"
                + "moves: 0, lower bound: 0 (minimal), score 0.500000 -> 0.500000, target reached\n");
  }

  @Test
  void jsonCarriesMovesScoresBoundAndTime() {
    assertThat(PlanJson.write(PLAN, OptionalDouble.of(1.25)))
        .isEqualTo(
            """
            {
              "policy" : "domain-count",
              "score" : "domains-above-target",
              "initialScore" : 2.0,
              "finalScore" : 0.0,
              "moveCount" : 2,
              "lowerBound" : 2,
              "minimal" : true,
              "targetReached" : true,
              "planningMillis" : 1.25,
              "notes" : [ "target X = floor(D/N) + 1 = 2 with D = 5 domains on N = 3 ACTIVE hosts" ],
              "moves" : [ {
                "domain" : "vm1",
                "from" : "h1",
                "to" : "h2",
                "scoreBefore" : 2.0,
                "scoreAfter" : 1.0,
                "reason" : "h1 holds 4 domains, above the target of 2; h2 holds 0"
              }, {
                "domain" : "web-02",
                "from" : "h1",
                "to" : "h3",
                "scoreBefore" : 1.0,
                "scoreAfter" : 0.0,
                "reason" : "h1 holds 3 domains, above the target of 2; h3 holds 1"
              } ]
            }
            """);
  }
}
