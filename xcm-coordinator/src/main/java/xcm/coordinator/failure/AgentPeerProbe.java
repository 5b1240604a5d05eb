package xcm.coordinator.failure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import xcm.client.JolokiaClient;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;

/**
 * Asks agents through their {@code HostOperations.reachesAgent} operation. An agent that cannot be
 * asked, or refuses because it cannot tell (not enrolled, busy), casts no vote.
 */
public final class AgentPeerProbe implements PeerProbe {
  private final JolokiaClient agents;

  public AgentPeerProbe(JolokiaClient agents) {
    this.agents = agents;
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
            });
  }
}
