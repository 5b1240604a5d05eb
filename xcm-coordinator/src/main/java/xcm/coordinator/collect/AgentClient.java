package xcm.coordinator.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import xcm.coordinator.inventory.HostData;

/**
 * Reads one agent with one Jolokia bulk POST: its {@code xcm:type=Host} and every {@code
 * xcm:type=Domain}. Many reads run at once on one {@link HttpClient}; each has its own timeout.
 *
 * <pre>{@code
 * AgentClient client = new AgentClient(
 *     httpClient, AgentCredentials.derived("xcm", master), Duration.ofSeconds(2));
 * HostData dmz01 = client.read("http://10.0.0.5:8778/jolokia/").join();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentClient {
  /** Only the attributes the views show: half the bytes to serialise, send and parse. */
  static final String BULK_READ =
      "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":[\"Name\",\"Cpus\","
          + "\"MemoryBytes\",\"MemoryFreeBytes\",\"CpuUtilisation\",\"Stale\","
          + "\"LastSampleEpochMillis\"]},"
          + "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\",\"attribute\":[\"Name\","
          + "\"Uuid\",\"State\",\"MemoryBytes\",\"MaxMemoryBytes\",\"Vcpus\",\"CpuUtilisation\","
          + "\"CpuTimeSeconds\",\"BlockReadBytes\",\"BlockWriteBytes\",\"NetworkReceiveBytes\","
          + "\"NetworkTransmitBytes\"]}]";

  private final HttpClient http;
  private final AgentCredentials credentials;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  /** A client presenting {@code user} and the one {@code password} every agent checks. */
  public AgentClient(HttpClient http, String user, String password, Duration timeout) {
    this(http, AgentCredentials.shared(user, password), timeout);
  }

  /** A client presenting to each agent the password {@code credentials} give for its URL. */
  public AgentClient(HttpClient http, AgentCredentials credentials, Duration timeout) {
    this.http = http;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  /** An HTTP/1.1 client for agents (no HTTP/2 upgrade round trip) running on {@code executor}. */
  public static HttpClient httpClient(Duration connectTimeout, ExecutorService executor) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .executor(executor)
        .build();
  }

  /**
   * Reads the agent at {@code url}; the future fails with an {@link AgentException} naming the URL
   * and the reason.
   */
  public CompletableFuture<HostData> read(String url) {
    return post(url, BULK_READ, AgentClient::parse);
  }

  /**
   * Executes an operation on the agent at {@code url}; the future holds the operation's result, or
   * fails with an {@link AgentException} whose message is the operation's own error (the agent
   * names host and reason) and whose {@link AgentException#refused()} says the agent refused the
   * request itself rather than failed to carry it out.
   */
  public CompletableFuture<JsonNode> exec(
      String url, String mbean, String operation, Object... arguments) {
    ObjectNode body = json.createObjectNode();
    body.put("type", "exec").put("mbean", mbean).put("operation", operation);
    ArrayNode args = body.putArray("arguments");
    for (Object argument : arguments) {
      args.addPOJO(argument);
    }
    try {
      return post(
          url, json.writeValueAsString(body), (u, response) -> execResult(u, operation, response));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new AgentException("cannot write the request for " + operation + ": " + e.getMessage()));
    }
  }

  /** Reads one attribute of an MBean on the agent at {@code url}. */
  public CompletableFuture<JsonNode> readAttribute(String url, String mbean, String attribute) {
    ObjectNode body = json.createObjectNode();
    body.put("type", "read").put("mbean", mbean).put("attribute", attribute);
    try {
      return post(
          url, json.writeValueAsString(body), (u, response) -> execResult(u, attribute, response));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new AgentException("cannot write the request for " + attribute + ": " + e.getMessage()));
    }
  }

  /** How a reply becomes a result. */
  private interface ReplyParser<T> {
    T parse(String url, HttpResponse<byte[]> response) throws AgentException;
  }

  /** POSTs a Jolokia request to one agent, with the credentials and the per-agent timeout. */
  private <T> CompletableFuture<T> post(String url, String body, ReplyParser<T> parser) {
    String authorization;
    try {
      authorization = credentials.authorization(url);
    } catch (IllegalArgumentException e) {
      // Only with derived passwords: the message names the URL and why it is none.
      return CompletableFuture.failedFuture(new AgentException(e.getMessage()));
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Authorization", authorization)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new AgentException("agent URL '" + url + "' is not a valid http URL: " + e.getMessage()));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new CompletionException(unreachable(url, error));
              }
              try {
                return parser.parse(url, response);
              } catch (AgentException e) {
                throw new CompletionException(e);
              }
            });
  }

  private JsonNode execResult(String url, String operation, HttpResponse<byte[]> response)
      throws AgentException {
    requireAuthorised(url, response);
    JsonNode reply;
    try {
      reply = json.readTree(response.body());
    } catch (IOException e) {
      throw new AgentException(
          "agent at " + url + " answers " + operation + " with something that is not Jolokia");
    }
    int status = reply.path("status").asInt();
    if (status == 200) {
      return reply.path("value");
    }
    String error = reply.path("error").asText("Jolokia status " + status);
    // Jolokia prefixes the MBean's exception with its class name; the message is the agent's own.
    String type = reply.path("error_type").asText("");
    int colon = error.indexOf(": ");
    String message = colon >= 0 && error.startsWith(type) ? error.substring(colon + 2) : error;
    throw new AgentException(message, type.equals(IllegalArgumentException.class.getName()));
  }

  private static void requireAuthorised(String url, HttpResponse<byte[]> response)
      throws AgentException {
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new AgentException(
          "agent at "
              + url
              + " refused the coordinator's credentials (HTTP "
              + response.statusCode()
              + ")");
    }
  }

  /** Unwraps the {@link AgentException} of a failed {@link #read} or {@link #exec}. */
  public static AgentException cause(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof AgentException agent
        ? agent
        : new AgentException("unexpected failure: " + t, t);
  }

  private AgentException unreachable(String url, Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String reason;
    if (t instanceof HttpConnectTimeoutException) {
      reason = "does not accept connections within " + timeout.toMillis() + " ms";
    } else if (t instanceof HttpTimeoutException) {
      reason = "does not answer within " + timeout.toMillis() + " ms";
    } else if (t instanceof ConnectException) {
      reason = "does not answer: connection refused";
    } else if (t instanceof IOException) {
      reason =
          "does not answer: "
              + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    } else {
      reason = "cannot be read: " + t;
    }
    return new AgentException("agent at " + url + " " + reason, t);
  }

  private static HostData parse(String url, HttpResponse<byte[]> response) throws AgentException {
    requireAuthorised(url, response);
    if (response.statusCode() != 200) {
      throw new AgentException(
          "agent at " + url + " answered HTTP " + response.statusCode() + ", not Jolokia");
    }
    return AgentReplyParser.parse(url, response.body());
  }
}
