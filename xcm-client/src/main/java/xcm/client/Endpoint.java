package xcm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A {@link JolokiaClient} bound to one callee's URL, for callers that talk to one callee: the CLI
 * to its coordinator, an agent to a migration's destination.
 *
 * <pre>{@code
 * Endpoint coordinator = client.at("http://127.0.0.1:8780/jolokia/");
 * JsonNode hosts = coordinator.send(Request.read(ObjectNames.cluster(), "Hosts"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Endpoint {
  private final JolokiaClient client;
  private final String url;

  Endpoint(JolokiaClient client, String url) {
    this.client = client;
    this.url = url;
  }

  public String url() {
    return url;
  }

  /** Sends one request and waits for its value; see {@link JolokiaClient#send(String, Request)}. */
  public JsonNode send(Request request) throws JolokiaException, InterruptedException {
    return client.send(url, request);
  }

  /**
   * Sends a request for something that may not exist (an MBean that may be gone, a pattern that may
   * match nothing); empty when the callee has no such MBean, attribute or operation ({@link
   * JolokiaException.Refusal#NOT_FOUND}).
   */
  public Optional<JsonNode> sendIfFound(Request request)
      throws JolokiaException, InterruptedException {
    try {
      return Optional.of(client.send(url, request));
    } catch (JolokiaException e) {
      if (e.refusal() != JolokiaException.Refusal.NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /** Sends requests in one POST and waits; see {@link JolokiaClient#send(String, List)}. */
  public List<Reply> send(List<Request> requests) throws JolokiaException, InterruptedException {
    return client.send(url, requests);
  }

  @Override
  public String toString() {
    return url;
  }
}
