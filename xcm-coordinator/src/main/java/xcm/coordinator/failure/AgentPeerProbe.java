package xcm.coordinator.failure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import xcm.client.JolokiaClient;
import xcm.client.Request;
import xcm.mbeans.AgentReach;
import xcm.mbeans.ObjectNames;

/**
 * Asks agents through their {@code HostOperations.reachesAgent} operation. An agent that cannot be
 * asked, refuses because it cannot tell (not enrolled, busy), or gives no answer in time casts no
 * vote.
 */
public final class AgentPeerProbe implements PeerProbe {
  private final JolokiaClient agents;
  private final Duration wait;

  /**
   * @param agents a client whose time-out outlasts the asked agent's own attempt: twice {@link
   *     AgentReach#TIMEOUT} (connect, then the answer) and the way there and back
   * @param wait the longest wait for an answer, whatever the client does: a bound on every probe
   */
  public AgentPeerProbe(JolokiaClient agents, Duration wait) {
    this.agents = agents;
    this.wait = wait;
  }

  /** The client time-out a probe needs, given the time-out of an ordinary agent request. */
  public static Duration clientTimeout(Duration agentTimeout) {
    return agentTimeout.plus(AgentReach.TIMEOUT.multipliedBy(2));
  }

  @Override
  public CompletableFuture<Reach> reaches(String askedUrl, String targetUrl) {
    return agents
        .sendAsync(askedUrl, Request.exec(ObjectNames.hostOperations(), "reachesAgent", targetUrl))
        .handle(
            (answer, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                return new Reach(
                    Answer.UNKNOWN,
                    "could not ask the agent at " + askedUrl + ": " + cause.getMessage());
              }
              if (!answer.path("reached").isBoolean()) {
                return new Reach(Answer.UNKNOWN, "the agent at " + askedUrl + " gave no answer");
              }
              return answer.path("reached").asBoolean()
                  ? new Reach(Answer.REACHED, "")
                  : new Reach(Answer.NOT_REACHED, answer.path("reason").asText(""));
            })
        // A reply whose headers came and whose body never does is not bounded by the client.
        .completeOnTimeout(
            new Reach(
                Answer.UNKNOWN,
                "the agent at " + askedUrl + " gave no answer within " + wait.toSeconds() + " s"),
            wait.toMillis(),
            TimeUnit.MILLISECONDS);
  }
}
