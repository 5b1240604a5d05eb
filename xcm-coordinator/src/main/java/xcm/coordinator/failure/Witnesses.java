package xcm.coordinator.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a suspect host may be fenced, from what the coordinator and the other agents see: pure,
 * so that every case is tested without a network.
 *
 * <ul>
 *   <li>An agent that reaches the suspect's agent proves the host runs: it is only cut off from the
 *       coordinator, and is not fenced.
 *   <li>A coordinator that reaches fewer than half of the hosts may be the one cut off: it fences
 *       nothing (else a coordinator that lost its network but not its BMC network would power off
 *       the whole cluster).
 *   <li>At least one agent must have tried and not reached the suspect: silence alone, or agents
 *       that could not tell, is no evidence.
 * </ul>
 */
public final class Witnesses {
  private Witnesses() {}

  /** What to do with the suspect. */
  public enum Verdict {
    FENCE,
    /** Another agent reaches it. */
    CUT_OFF,
    /** The coordinator reaches too few hosts to judge. */
    NO_QUORUM,
    /** No agent could say it does not reach the suspect. */
    NO_WITNESS
  }

  /** The verdict and, in words, why. */
  public record Decision(Verdict verdict, String why) {}

  /**
   * @param answering members that answered the last round and are not on the failure path
   * @param members members not removed and not fenced, the suspect included
   * @param answers each asked agent's answer, by host name
   */
  public static Decision decide(int answering, int members, Map<String, PeerProbe.Reach> answers) {
    List<String> reached = new ArrayList<>();
    List<String> notReached = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    answers.forEach(
        (host, reach) -> {
          switch (reach.answer()) {
            case REACHED -> reached.add(host);
            case NOT_REACHED -> notReached.add(host);
            case UNKNOWN -> unknown.add(host + " (" + reach.reason() + ")");
          }
        });
    if (!reached.isEmpty()) {
      return new Decision(
          Verdict.CUT_OFF,
          "its agent answers "
              + String.join(", ", reached)
              + ": cut off from the coordinator only, not fenced");
    }
    if (answering == 0 || answering * 2 < members) {
      return new Decision(
          Verdict.NO_QUORUM,
          "the coordinator reaches only "
              + answering
              + " of "
              + members
              + " hosts and may be the one cut off: not fenced");
    }
    if (notReached.isEmpty()) {
      return new Decision(
          Verdict.NO_WITNESS,
          "no other agent could tell whether it reaches it"
              + (unknown.isEmpty() ? " (none to ask)" : ": " + String.join("; ", unknown))
              + ": not fenced");
    }
    return new Decision(Verdict.FENCE, "not reached by " + String.join(", ", notReached));
  }
}
