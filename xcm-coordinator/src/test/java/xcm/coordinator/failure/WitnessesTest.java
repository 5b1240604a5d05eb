package xcm.coordinator.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.failure.PeerProbe.Answer;
import xcm.coordinator.failure.PeerProbe.Reach;
import xcm.coordinator.failure.Witnesses.Verdict;

class WitnessesTest {
  private static Map<String, Reach> answers(Object... hostAndAnswer) {
    Map<String, Reach> answers = new LinkedHashMap<>();
    for (int i = 0; i < hostAndAnswer.length; i += 2) {
      answers.put((String) hostAndAnswer[i], new Reach((Answer) hostAndAnswer[i + 1], "why"));
    }
    return answers;
  }

  @Test
  void oneAgentThatReachesTheHostOutweighsAnyNumberThatDoNot() {
    assertThat(
            Witnesses.decide(
                    3,
                    4,
                    answers("a", Answer.NOT_REACHED, "b", Answer.NOT_REACHED, "c", Answer.REACHED))
                .verdict())
        .isEqualTo(Verdict.CUT_OFF);
  }

  @Test
  void aCoordinatorReachingFewerThanHalfTheHostsFencesNothing() {
    assertThat(Witnesses.decide(1, 4, answers("a", Answer.NOT_REACHED)).verdict())
        .isEqualTo(Verdict.NO_QUORUM);
    assertThat(Witnesses.decide(0, 1, answers()).verdict()).isEqualTo(Verdict.NO_QUORUM);
  }

  @Test
  void halfTheHostsIsEnoughSoThatATwoHostClusterFencesWithItsWitness() {
    assertThat(Witnesses.decide(1, 2, answers("a", Answer.NOT_REACHED)).verdict())
        .isEqualTo(Verdict.FENCE);
  }

  @Test
  void agentsThatCouldNotTellAreNoWitness() {
    Witnesses.Decision d =
        Witnesses.decide(3, 4, answers("a", Answer.UNKNOWN, "b", Answer.UNKNOWN));
    assertThat(d.verdict()).isEqualTo(Verdict.NO_WITNESS);
    assertThat(d.why()).contains("a (why)", "b (why)");
    assertThat(Witnesses.decide(3, 4, answers()).why()).contains("(none to ask)");
  }

  @Test
  void oneAgentThatTriedAndFailedIsEnough() {
    Witnesses.Decision d =
        Witnesses.decide(3, 4, answers("a", Answer.UNKNOWN, "b", Answer.NOT_REACHED));
    assertThat(d.verdict()).isEqualTo(Verdict.FENCE);
    assertThat(d.why()).isEqualTo("not reached by b");
  }
}
