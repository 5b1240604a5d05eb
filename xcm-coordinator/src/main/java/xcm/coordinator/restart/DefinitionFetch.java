package xcm.coordinator.restart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Reply;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;

/**
 * Reads domains' definitions from a host's agent: {@link #overJolokia} in the coordinator, one bulk
 * request per host ({@code HostOperations.domainDefinition} for each domain); the tests of {@link
 * Definitions} answer from memory, HostFailureIT through real agents.
 */
public interface DefinitionFetch {
  /**
   * @return per domain, in the order asked, its XML, or empty where the agent could not give it
   *     (undefined meanwhile, an agent older than restarts); completes exceptionally when the agent
   *     cannot be read at all
   */
  CompletableFuture<List<Optional<String>>> fetch(String agentUrl, List<String> domains);

  static DefinitionFetch overJolokia(JolokiaClient agents) {
    return (url, domains) -> {
      List<Request> requests = new ArrayList<>();
      for (String d : domains) {
        requests.add(Request.exec(ObjectNames.hostOperations(), "domainDefinition", d));
      }
      return agents.sendAsync(url, requests).thenApply(DefinitionFetch::texts);
    };
  }

  private static List<Optional<String>> texts(List<Reply> replies) {
    List<Optional<String>> texts = new ArrayList<>();
    for (Reply reply : replies) {
      try {
        JsonNode value = reply.value();
        texts.add(
            value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty());
      } catch (JolokiaException e) {
        texts.add(Optional.empty());
      }
    }
    return texts;
  }
}
