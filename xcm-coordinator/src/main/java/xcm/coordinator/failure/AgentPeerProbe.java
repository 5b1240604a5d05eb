package xcm.coordinator.failure;

import com.fasterxml.jackson.databind.JsonNode;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;

/** Asks agents through their {@code HostOperations.reachesAgent} operation. */
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
      return new Reach(answer.path("reached").asBoolean(false), answer.path("reason").asText(""));
    } catch (JolokiaException e) {
      return new Reach(false, "could not ask the agent at " + askedUrl + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reach(false, "interrupted while asking the agent at " + askedUrl);
    }
  }
}
