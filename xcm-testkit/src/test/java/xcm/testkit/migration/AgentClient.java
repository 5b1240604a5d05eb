package xcm.testkit.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import xcm.agent.HttpProbe;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;

/** An agent's Jolokia as the coordinator (or an operator with curl) uses it. */
final class AgentClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpProbe http;
  private final String url;
  private final String credentials;

  /**
   * @param credentials "user:password", or null where {@code tls} presents a member's certificate
   * @param tls trusting the agents' cluster
   */
  AgentClient(String url, String credentials, SSLContext tls) {
    this.url = url;
    this.credentials = credentials;
    this.http = new HttpProbe(tls);
  }

  String url() {
    return url;
  }

  static ObjectNode exec(String operation, String... arguments) {
    ObjectNode request = JSON.createObjectNode();
    request.put("type", "exec").put("mbean", "xcm:type=HostOperations").put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (String argument : arguments) {
      args.add(argument);
    }
    return request;
  }

  /**
   * The epoch the one coordinator of these tests acts with, which every change carries: an agent
   * refuses a change without one, or with one older than it has seen.
   */
  static final long EPOCH = 1;

  /** An operation that changes the host: {@link #exec}, with {@link #EPOCH} last. */
  static ObjectNode execChange(String operation, String... arguments) {
    ObjectNode request = exec(operation, arguments);
    ((ArrayNode) request.get("arguments")).add(EPOCH);
    return request;
  }

  static ObjectNode read(String mbean, String attribute) {
    ObjectNode request = JSON.createObjectNode().put("type", "read").put("mbean", mbean);
    return attribute == null ? request : request.put("attribute", attribute);
  }

  /** One request or a bulk (array) of them; the reply or replies. */
  JsonNode post(JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.post(url, credentials, JSON.writeValueAsString(body));
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered HTTP " + response.statusCode());
    }
    return HttpProbe.json(response);
  }

  JsonNode call(String operation, String... arguments) throws IOException, InterruptedException {
    return post(exec(operation, arguments));
  }

  JsonNode callChange(String operation, String... arguments)
      throws IOException, InterruptedException {
    return post(execChange(operation, arguments));
  }

  /** The domain's state after a fresh sample; null when the agent has no such domain. */
  DomainState state(String domain) throws IOException, InterruptedException {
    JsonNode attributes = domain(domain);
    return attributes == null ? null : DomainState.valueOf(attributes.get("State").asText());
  }

  /** The domain MBean's attributes after a fresh sample; null when there is no such domain. */
  JsonNode domain(String domain) throws IOException, InterruptedException {
    ArrayNode bulk = JSON.createArrayNode();
    bulk.add(exec("sampleNow"));
    bulk.add(read(ObjectNames.domain(domain).toString(), null));
    JsonNode replies = post(bulk);
    if (replies.get(0).path("status").asInt() != 200) {
      throw new IOException(url + " cannot sample: " + replies.get(0));
    }
    JsonNode reply = replies.get(1);
    if (reply.path("status").asInt() == 404) {
      return null;
    }
    if (reply.path("status").asInt() != 200) {
      throw new IOException(url + " cannot read domain '" + domain + "': " + reply);
    }
    return reply.get("value");
  }
}
