package xcm.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.JolokiaException.Outcome;
import xcm.client.JolokiaException.Refusal;

/**
 * How the source reads what a call to the destination did, against a real HTTP server answering as
 * Jolokia does: only an error the operation itself threw says the destination's operation refused;
 * Jolokia's own refusals and a dead port say the request never reached it; anything else leaves it
 * unknown.
 */
class JolokiaPeerTest {
  private HttpServer server;
  private URI url;
  private final AtomicReference<String> request = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private volatile int httpStatus = 200;
  private volatile String reply;
  private volatile boolean hangUp;
  private volatile long delayMillis;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jolokia/", this::answer);
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    request.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
    if (hangUp) {
      exchange.close();
      return;
    }
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = reply.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(httpStatus, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private Peer peer(Duration timeout) {
    return JolokiaPeers.over(
            () ->
                JolokiaClient.builder()
                    .credentials(Credentials.basic("xcm", "s3cret", "the peer credentials")),
            timeout)
        .apply(url);
  }

  private Peer peer() {
    return peer(Duration.ofSeconds(5));
  }

  private static Outcome outcome(Throwable e) {
    return ((JolokiaException) e).outcome();
  }

  private static Refusal refusal(Throwable e) {
    return ((JolokiaException) e).refusal();
  }

  @Test
  void prepareSendsTheXmlWithTheCredentialsAndReturnsTheHostName() throws Exception {
    reply = "[{\"status\":200,\"value\":\"lab02\"},{\"status\":200,\"value\":null}]";

    assertThat(peer().prepareIncoming("<domain><name>a\"b</name></domain>", "T.S"))
        .isEqualTo("lab02");

    assertThat(request.get())
        .isEqualTo(
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":\"Name\"},"
                + "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                + "\"operation\":\"prepareIncoming\","
                + "\"arguments\":[\"<domain><name>a\\\"b</name></domain>\",\"T.S\"]}]");
    assertThat(authorization.get()).isEqualTo("Basic eGNtOnMzY3JldA==");
  }

  @Test
  void errorThrownByTheOperationIsARefusalWithItsMessage() {
    reply =
        "{\"status\":500,\"error_type\":\"java.lang.IllegalStateException\","
            + "\"error\":\"lab02: cannot finish domain 'web01': it is not defined here\"}";

    assertThatThrownBy(() -> peer().finishIncoming("web01", ""))
        .isInstanceOf(JolokiaException.class)
        .hasMessage("lab02: cannot finish domain 'web01': it is not defined here")
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.REFUSED))
        .satisfies(e -> assertThat(refusal(e).byOperation()).isTrue());
  }

  @Test
  void jolokiasOwnRefusalsMeanTheOperationNeverRan() {
    reply =
        "{\"status\":403,\"error_type\":\"java.lang.Exception\",\"error\":\"Operation"
            + " finishIncoming forbidden\"}";
    assertThatThrownBy(() -> peer().finishIncoming("web01", ""))
        .hasMessage(
            "agent at "
                + url
                + " answered finishIncoming with status 403: Operation finishIncoming forbidden")
        .satisfies(e -> assertThat(refusal(e)).isEqualTo(Refusal.FORBIDDEN))
        .satisfies(e -> assertThat(refusal(e).byOperation()).isFalse());

    httpStatus = 401;
    reply = "";
    assertThatThrownBy(() -> peer().abortIncoming("web01", ""))
        .hasMessage("agent at " + url + " refused the peer credentials (HTTP 401)")
        .satisfies(e -> assertThat(refusal(e)).isEqualTo(Refusal.FORBIDDEN))
        .satisfies(e -> assertThat(refusal(e).byOperation()).isFalse());
  }

  @Test
  void otherFailuresOfTheCallLeaveItsOutcomeUnknown() {
    reply = "{\"status\":500,\"error_type\":\"java.lang.NullPointerException\",\"error\":\"boom\"}";
    assertThatThrownBy(() -> peer().finishIncoming("web01", ""))
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.UNKNOWN));

    reply = "not json";
    assertThatThrownBy(() -> peer().finishIncoming("web01", ""))
        .hasMessage("agent at " + url + " answers with something that is not Jolokia: \"not json\"")
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.UNKNOWN));
  }

  @Test
  void connectionDroppedAfterTheRequestLeavesItsOutcomeUnknown() {
    hangUp = true;

    assertThatThrownBy(() -> peer().finishIncoming("web01", ""))
        .hasMessageStartingWith("agent at " + url + " does not answer: ")
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.UNKNOWN));
    assertThat(request.get()).contains("finishIncoming");
  }

  @Test
  void answerTooLateLeavesItsOutcomeUnknown() {
    reply = "{\"status\":200}";
    delayMillis = 1000;

    assertThatThrownBy(() -> peer(Duration.ofMillis(200)).finishIncoming("web01", ""))
        .hasMessage("agent at " + url + " does not answer within 200 ms")
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.UNKNOWN));
  }

  @Test
  void closedPortMeansTheRequestNeverArrived() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port + "/jolokia/");

    assertThatThrownBy(
            () ->
                JolokiaPeers.over(
                        () -> JolokiaClient.builder().credentials(Credentials.basic("xcm", "x")),
                        Duration.ofSeconds(5))
                    .apply(closed)
                    .finishIncoming("web01", ""))
        .hasMessage("agent at " + closed + " does not answer: connection refused")
        .satisfies(e -> assertThat(outcome(e)).isEqualTo(Outcome.FAILED));
  }
}
