package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Jolokia requests as any HTTP tool sends them: JSON POSTs with the bench's user and password. */
final class JolokiaClient {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;

  /** As user {@code xcm} with the bench's password. */
  JolokiaClient() {
    this("xcm", BenchProcesses.PASSWORD);
  }

  JolokiaClient(String user, String password) {
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs a request body; returns the reply's value, failing on any error status. */
  JsonNode post(String url, String body) throws IOException, InterruptedException {
    return value(url, reply(url, body));
  }

  /** POSTs a request body; returns Jolokia's whole reply, errors included. */
  JsonNode reply(String url, String body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          url + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  /** Executes an MBean operation; returns Jolokia's whole reply, a refusal included. */
  JsonNode tryExec(String url, String mbean, String operation, Object... arguments)
      throws IOException, InterruptedException {
    ObjectNode request =
        json.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (Object argument : arguments) {
      args.addPOJO(argument);
    }
    return reply(url, json.writeValueAsString(request));
  }

  /** Reads attributes (all when none are named) of an MBean. */
  JsonNode read(String url, String mbean, String... attributes)
      throws IOException, InterruptedException {
    ObjectNode request = json.createObjectNode().put("type", "read").put("mbean", mbean);
    if (attributes.length > 0) {
      ArrayNode names = request.putArray("attribute");
      for (String attribute : attributes) {
        names.add(attribute);
      }
    }
    return post(url, json.writeValueAsString(request));
  }

  /** Executes an MBean operation, failing on any error status. */
  JsonNode exec(String url, String mbean, String operation, Object... arguments)
      throws IOException, InterruptedException {
    return value(url, tryExec(url, mbean, operation, arguments));
  }

  private static JsonNode value(String url, JsonNode reply) throws IOException {
    if (reply.path("status").asInt(200) != 200) {
      throw new IOException(url + " answered: " + reply);
    }
    return reply.has("value") ? reply.path("value") : reply;
  }
}
