package xcm.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import xcm.mbeans.MigrationJob;

/**
 * The destination's agent reached through its Jolokia: one POST per phase, to {@code
 * xcm:type=HostOperations}. Failures are sorted into what they tell about the destination (see
 * {@link PeerException.Outcome}).
 *
 * <p>Thread-safe; the {@link HttpClient} is shared by every migration of the agent.
 */
final class JolokiaPeer implements Peer {
  /** Made at the first migration, not at start: an agent that never migrates loads no Jackson. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final HttpClient http;
  private final URI url;
  private final String authorization;
  private final Duration timeout;

  JolokiaPeer(HttpClient http, URI url, PeerConfig credentials, Duration timeout) {
    this.http = http;
    this.url = url;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (credentials.user() + ":" + credentials.password())
                        .getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  @Override
  public String url() {
    return url.toString();
  }

  @Override
  public String prepareIncoming(String xml) throws PeerException {
    // One round trip: the host name (for the status) and the phase itself, in this order.
    ArrayNode bulk = Json.MAPPER.createArrayNode();
    bulk.addObject().put("type", "read").put("mbean", "xcm:type=Host").put("attribute", "Name");
    bulk.add(exec("prepareIncoming", xml));
    JsonNode replies = post(bulk);
    if (!replies.isArray() || replies.size() != 2) {
      throw new PeerException(
          PeerException.Outcome.UNKNOWN,
          "the agent at " + url + " answered prepareIncoming with unexpected JSON: " + replies);
    }
    check("prepareIncoming", replies.get(1));
    JsonNode host = replies.get(0);
    return host.path("status").asInt() == 200 && host.path("value").isTextual()
        ? host.path("value").asText()
        : null;
  }

  @Override
  public void finishIncoming(String domain) throws PeerException {
    check("finishIncoming", post(exec("finishIncoming", domain)));
  }

  @Override
  public void abortIncoming(String domain) throws PeerException {
    check("abortIncoming", post(exec("abortIncoming", domain)));
  }

  @Override
  public Destination describe() throws PeerException {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("type", "read").put("mbean", "xcm:type=Host");
    JsonNode reply = post(request);
    check("a read of xcm:type=Host", reply);
    JsonNode host = reply.path("value");
    return new Destination(
        host.path("Name").asText(url.toString()),
        host.path("LibvirtUri").asText(""),
        host.path("LibvirtConnected").asBoolean(true),
        host.path("MigrationUri").asText(""),
        host.path("MigrationAddress").asText(""),
        host.path("MemoryFreeBytes").asLong(-1));
  }

  @Override
  public MigrationJob completedMigration(String domain) throws PeerException {
    JsonNode reply = post(exec("completedMigration", domain));
    check("completedMigration", reply);
    JsonNode job = reply.path("value");
    if (!job.isObject()) {
      return null;
    }
    return new MigrationJob(
        job.path("domain").asText(domain),
        job.path("operation").asText(""),
        job.path("timeElapsedMillis").asLong(-1),
        job.path("downtimeMillis").asLong(-1),
        job.path("dataTransferredBytes").asLong(-1),
        job.path("memoryBytes").asLong(-1));
  }

  private static ObjectNode exec(String operation, String argument) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("type", "exec").put("mbean", "xcm:type=HostOperations").put("operation", operation);
    request.putArray("arguments").add(argument);
    return request;
  }

  /**
   * Sorts a Jolokia reply: errors HostOperations throws are the operation's refusal; Jolokia's own
   * refusals (401, 403, 404: credentials, policy, no such operation) come before the operation
   * runs; anything else (a 500 from a bug) may have come half-way through it.
   */
  private void check(String operation, JsonNode reply) throws PeerException {
    int status = reply.path("status").asInt();
    if (status == 200) {
      return;
    }
    String type = reply.path("error_type").asText("");
    String error = reply.path("error").asText("");
    if (type.equals(IllegalStateException.class.getName())
        || type.equals(IllegalArgumentException.class.getName())) {
      throw new PeerException(PeerException.Outcome.REFUSED, error);
    }
    String message =
        "the agent at " + url + " answered " + operation + " with status " + status + ": " + error;
    throw new PeerException(
        status == 401 || status == 403 || status == 404
            ? PeerException.Outcome.NOT_DELIVERED
            : PeerException.Outcome.UNKNOWN,
        message);
  }

  private JsonNode post(JsonNode body) throws PeerException {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("Authorization", authorization)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
              .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Jolokia request as JSON", e);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new PeerException(
          PeerException.Outcome.NOT_DELIVERED,
          "cannot reach the agent at " + url + ": " + describe(e),
          e);
    } catch (HttpTimeoutException e) {
      throw new PeerException(
          PeerException.Outcome.UNKNOWN,
          "no answer from the agent at " + url + " within " + describe(timeout),
          e);
    } catch (IOException e) {
      throw new PeerException(
          PeerException.Outcome.UNKNOWN,
          "lost the connection to the agent at " + url + ": " + describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException(
          PeerException.Outcome.UNKNOWN, "interrupted while waiting for the agent at " + url, e);
    }
    // Jolokia answers 200 with the outcome inside; authentication is checked before anything.
    if (response.statusCode() == 401) {
      throw new PeerException(
          PeerException.Outcome.NOT_DELIVERED,
          "the agent at " + url + " refused the peer credentials (HTTP 401)");
    }
    if (response.statusCode() != 200) {
      throw new PeerException(
          response.statusCode() == 403 || response.statusCode() == 404
              ? PeerException.Outcome.NOT_DELIVERED
              : PeerException.Outcome.UNKNOWN,
          "the agent at " + url + " answered HTTP " + response.statusCode());
    }
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new PeerException(
          PeerException.Outcome.UNKNOWN,
          "the agent at " + url + " answered with unreadable JSON: " + e.getMessage(),
          e);
    }
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /** The JDK's ConnectException often has no message; its type then says it. */
  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
    return message;
  }
}
