package xcm.coordinator.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.DomainState;

/**
 * Reads one agent with one Jolokia bulk POST: its {@code xcm:type=Host} and every {@code
 * xcm:type=Domain}. Many reads run at once on one {@link HttpClient}; each has its own timeout.
 *
 * <pre>{@code
 * AgentClient client = new AgentClient(httpClient, "xcm", secret, Duration.ofSeconds(2));
 * HostData dmz01 = client.read("http://10.0.0.5:8778/jolokia/").join();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentClient {
  static final String BULK_READ =
      "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\"},"
          + "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\"}]";

  private final HttpClient http;
  private final String authorization;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  public AgentClient(HttpClient http, String user, String password, Duration timeout) {
    this.http = http;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Authorization", authorization)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(BULK_READ))
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new AgentException("agent URL '" + url + "' is not a valid http URL: " + e.getMessage()));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new CompletionException(unreachable(url, error));
              }
              try {
                return parse(url, response);
              } catch (AgentException e) {
                throw new CompletionException(e);
              }
            });
  }

  /** Unwraps the {@link AgentException} of a failed {@link #read}. */
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

  HostData parse(String url, HttpResponse<String> response) throws AgentException {
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new AgentException(
          "agent at "
              + url
              + " refused the coordinator's credentials (HTTP "
              + response.statusCode()
              + ")");
    }
    if (response.statusCode() != 200) {
      throw new AgentException(
          "agent at " + url + " answered HTTP " + response.statusCode() + ", not Jolokia");
    }
    JsonNode replies;
    try {
      replies = json.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw notJolokia(url, response.body());
    }
    if (replies == null || !replies.isArray() || replies.size() != 2) {
      throw notJolokia(url, response.body());
    }
    JsonNode host = value(url, replies.get(0), "xcm:type=Host");
    JsonNode domains = value(url, replies.get(1), "xcm:type=Domain,*");
    List<DomainData> list = new ArrayList<>(domains.size());
    for (JsonNode domain : domains) {
      list.add(domain(url, domain));
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    String name = text(url, host, "Name");
    if (name.isEmpty()) {
      throw new AgentException("agent at " + url + " reports an empty host name");
    }
    return new HostData(
        name,
        host.path("Cpus").asInt(),
        host.path("MemoryBytes").asLong(),
        host.path("MemoryFreeBytes").asLong(),
        host.path("CpuUtilisation").asDouble(),
        host.path("Stale").asBoolean(),
        host.path("LastSampleEpochMillis").asLong(),
        list);
  }

  private static JsonNode value(String url, JsonNode reply, String mbean) throws AgentException {
    if (reply == null || !reply.has("status")) {
      throw new AgentException("agent at " + url + " answers with something that is not Jolokia");
    }
    int status = reply.path("status").asInt();
    if (status == 404 && mbean.equals("xcm:type=Host")) {
      throw new AgentException(
          "agent at " + url + " is a Jolokia without an XCM agent (no xcm:type=Host MBean)");
    }
    if (status == 404) {
      // A pattern read that matches nothing: a host without domains.
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    if (status != 200) {
      throw new AgentException(
          "agent at "
              + url
              + " refused to read "
              + mbean
              + " (Jolokia status "
              + status
              + ": "
              + reply.path("error").asText()
              + ")");
    }
    return reply.path("value");
  }

  private static DomainData domain(String url, JsonNode d) throws AgentException {
    String state = text(url, d, "State");
    DomainState domainState;
    try {
      domainState = DomainState.valueOf(state);
    } catch (IllegalArgumentException e) {
      domainState = DomainState.NOSTATE;
    }
    return new DomainData(
        text(url, d, "Name"),
        text(url, d, "Uuid"),
        domainState,
        d.path("MemoryBytes").asLong(),
        d.path("MaxMemoryBytes").asLong(),
        d.path("Vcpus").asInt(),
        d.path("CpuUtilisation").asDouble(),
        d.path("CpuTimeSeconds").asDouble(),
        d.path("BlockReadBytes").asLong(),
        d.path("BlockWriteBytes").asLong(),
        d.path("NetworkReceiveBytes").asLong(),
        d.path("NetworkTransmitBytes").asLong());
  }

  private static String text(String url, JsonNode node, String field) throws AgentException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new AgentException(
          "agent at " + url + " answers without '" + field + "': not an XCM agent of this version");
    }
    return value.asText();
  }

  private static AgentException notJolokia(String url, String body) {
    String start = body == null ? "" : body.strip();
    if (start.length() > 60) {
      start = start.substring(0, 60) + "...";
    }
    return new AgentException(
        "agent at " + url + " answers with something that is not Jolokia: \"" + start + "\"");
  }
}
