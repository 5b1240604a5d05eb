package xcm.coordinator.failure;

import com.fasterxml.jackson.databind.JsonNode;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
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
  public Reach reaches(String askedUrl, String targetUrl) {
    try {
      JsonNode answer =
          agents.send(
              askedUrl, Request.exec(ObjectNames.hostOperations(), "reachesAgent", targetUrl));
      if (!answer.path("reached").isBoolean()) {
        return new Reach(Answer.UNKNOWN, "the agent at " + askedUrl + " gave no answer");
      }
      return answer.path("reached").asBoolean()
          ? new Reach(Answer.REACHED, "")
          : new Reach(Answer.NOT_REACHED, answer.path("reason").asText(""));
    } catch (JolokiaException e) {
      return new Reach(
          Answer.UNKNOWN, "could not ask the agent at " + askedUrl + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reach(Answer.UNKNOWN, "interrupted while asking the agent at " + askedUrl);
    }
  }
}
