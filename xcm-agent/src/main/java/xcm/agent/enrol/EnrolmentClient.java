package xcm.agent.enrol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import xcm.agent.enrol.CoordinatorAnswer.Enrolled;
import xcm.agent.enrol.CoordinatorAnswer.Refused;
import xcm.agent.enrol.CoordinatorAnswer.Standby;
import xcm.agent.enrol.CoordinatorAnswer.Waiting;
import xcm.trust.HostCredentials;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;
import xcm.trust.tls.PeerRejectedException;

/**
 * {@code POST /enrol} to one of the coordinators' doors, over TLS that accepts only a server
 * holding a coordinator's certificate from the cluster authority of the CA file: a host that asks
 * anyone else sends nothing, its token least of all. The request and the answer are JSON, as {@code
 * xcm.coordinator.enrol.EnrolmentDoor} defines them; an answer is read up to {@value #MAX_ANSWER}
 * bytes and within {@link #REQUEST_TIMEOUT}.
 *
 * <p>Thread-safe.
 */
final class EnrolmentClient {
  static final int MAX_ANSWER = 64 * 1024;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How much of an unexpected answer, or of a standby's message, is kept. */
  static final int QUOTED = 200;

  private final HttpClient http;

  /**
   * @param own the host's credentials to present, when it holds some the authority issued
   */
  EnrolmentClient(EnrolmentConfig config, Optional<HostCredentials> own) {
    ClientTls tls =
        ClientTls.builder()
            .authority(config.authority())
            // The coordinator does not hand its revocations out yet; a revoked coordinator
            // certificate is the operator's to replace.
            .revocations(Revocations::none)
            .expectServer(ExpectedPeer.role(Role.COORDINATOR));
    own.ifPresent(tls::credentials);
    SSLContext context = tls.build();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(context)
            .build();
  }

  /** The JSON body of a request: what the host claims, its certificate request, the token. */
  static String claim(
      String host,
      String agentUrl,
      UUID libvirtUuid,
      String certificateRequest,
      Optional<String> token) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("host", host)
            .put("url", agentUrl)
            .put("libvirtUuid", libvirtUuid.toString())
            .put("certificateRequest", certificateRequest);
    token.ifPresent(t -> body.put("token", t));
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an enrolment request", e);
    }
  }

  /**
   * Sends a claim to the door at {@code url} and reads the answer.
   *
   * @throws IOException naming the URL and why there is no answer of the desk's: unreachable,
   *     refused in TLS (with the {@link PeerRejectedException}'s reason), timed out, too large, not
   *     JSON, an HTTP status the desk does not give
   * @throws InterruptedException when the thread is interrupted (the enrolment was closed)
   */
  CoordinatorAnswer ask(URI url, String claim) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(claim, StandardCharsets.UTF_8))
            .build();
    HttpResponse<byte[]> response = send(url, request);
    return answer(url, response.statusCode(), response.body());
  }

  private HttpResponse<byte[]> send(URI url, HttpRequest request)
      throws IOException, InterruptedException {
    // Asynchronously, to bound the whole exchange: the request timeout ends at the headers, and a
    // body that trickles in would hold the thread for ever.
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(request, CappedBody.handler(MAX_ANSWER, "the coordinator at " + url));
    try {
      return exchange.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException(
          "the coordinator at "
              + url
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + " s",
          e);
    } catch (ExecutionException e) {
      throw failure(url, e.getCause());
    }
  }

  private static IOException failure(URI url, Throwable cause) {
    Optional<PeerRejectedException> rejected = PeerRejectedException.in(cause);
    if (rejected.isPresent()) {
      return new IOException(
          "the server at "
              + url
              + " is not this cluster's coordinator: "
              + rejected.get().getMessage(),
          cause);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CappedBody.TooLarge tooLarge) {
        return tooLarge;
      }
    }
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new IOException("cannot reach the coordinator at " + url + ": " + reason, cause);
  }

  private static CoordinatorAnswer answer(URI url, int status, byte[] body) throws IOException {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    String state = json != null && json.isObject() ? json.path("state").asText("") : "";
    if (status == 200 && state.equals("ENROLLED")) {
      return new Enrolled(
          required(url, json, "certificate", status), required(url, json, "authority", status));
    }
    if (status == 202 && state.equals("WAITING")) {
      return new Waiting(required(url, json, "fingerprint", status));
    }
    if ((status == 400 || status == 403 || status == 429) && state.equals("REFUSED")) {
      return new Refused(json.path("reason").asText("?"), json.path("message").asText(""));
    }
    if (status == 503 && state.equals("STANDBY")) {
      // Shown in every pass that meets the standby: kept short, whatever the coordinator sends.
      return new Standby(capped(json.path("message").asText("")));
    }
    throw new IOException(
        "the coordinator at "
            + url
            + " answered HTTP "
            + status
            + ", not an enrolment answer: "
            + quote(body));
  }

  private static String required(URI url, JsonNode json, String field, int status)
      throws IOException {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IOException(
          "the coordinator at " + url + " answered HTTP " + status + " without " + field);
    }
    return value.asText();
  }

  private static String quote(byte[] body) {
    return capped(new String(body, StandardCharsets.UTF_8));
  }

  private static String capped(String text) {
    return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "…";
  }
}
