package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.management.ObjectName;
import xcm.coordinator.operation.Requester;

/**
 * The CLI's connection to the coordinator: Jolokia requests over HTTP with basic authentication,
 * naming the CLI in {@code User-Agent}. Errors become {@link CliException}s with a message a person
 * can act on.
 *
 * <pre>{@code
 * JsonNode cluster = new CoordinatorClient(url, "xcm", password).read(ObjectNames.cluster());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CoordinatorClient {
  private final String url;
  private final String authorization;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ObjectMapper json = new ObjectMapper();

  public CoordinatorClient(String url, String user, String password) {
    this.url = url.endsWith("/") ? url : url + "/";
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads every attribute of one MBean. */
  public JsonNode read(ObjectName mbean) throws CliException {
    ObjectNode request = json.createObjectNode();
    request.put("type", "read");
    request.put("mbean", mbean.getCanonicalName());
    return value(post(request), mbean);
  }

  /** Executes an operation of one MBean with positional arguments. */
  public JsonNode exec(ObjectName mbean, String operation, Object... arguments)
      throws CliException {
    ObjectNode request = json.createObjectNode();
    request.put("type", "exec");
    request.put("mbean", mbean.getCanonicalName());
    request.put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (Object argument : arguments) {
      args.addPOJO(argument);
    }
    return value(post(request), mbean);
  }

  private JsonNode value(JsonNode reply, ObjectName mbean) throws CliException {
    int status = reply.path("status").asInt();
    if (status == 404) {
      throw new CliException.NotFound(mbean + " is not registered at the coordinator");
    }
    if (status != 200) {
      throw new CliException(reply.path("error").asText("Jolokia status " + status));
    }
    return reply.path("value");
  }

  private JsonNode post(JsonNode request) throws CliException {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", authorization)
                  // The coordinator's audit log records the CLI as its own door.
                  .header("User-Agent", Requester.CLI_USER_AGENT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException(
          "no coordinator answers at " + url + " (is it running? see ./xcm demo)");
    } catch (IOException e) {
      throw new CliException("cannot reach the coordinator at " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    if (response.statusCode() == 401) {
      throw new CliException(
          "the coordinator at " + url + " refused the user and password (HTTP 401)");
    }
    if (response.statusCode() != 200) {
      throw new CliException(
          "the coordinator at " + url + " answered HTTP " + response.statusCode());
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new CliException(url + " does not answer like Jolokia: " + e.getMessage());
    }
  }
}
