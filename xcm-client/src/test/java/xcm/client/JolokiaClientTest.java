package xcm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.client.JolokiaException.Outcome;
import xcm.client.JolokiaException.Refusal;
import xcm.mbeans.ObjectNames;

/**
 * Every way a call ends, against a real HTTP server on loopback answering as Jolokia does: each
 * wire answer becomes exactly one outcome, with a message naming the URL and the reason.
 */
class JolokiaClientTest {
  private static final Request FINISH =
      Request.exec(ObjectNames.hostOperations(), "finishIncoming", "web01");

  private HttpServer server;
  private ExecutorService executor;
  private String url;
  private volatile int httpStatus;
  private volatile String answer;
  private volatile long delayMillis;
  private volatile boolean hangUp;
  private volatile String seenRequest;
  private volatile String seenAuthorization;
  private volatile String seenUserAgent;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jolokia/", this::answer);
    server.start();
    executor = Executors.newFixedThreadPool(2);
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/";
    httpStatus = 200;
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      seenRequest = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seenAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      seenUserAgent = exchange.getRequestHeaders().getFirst("User-Agent");
      if (hangUp) {
        return;
      }
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(httpStatus, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The wire under test: Jetty's, completing calls on an executor of the test's. */
  JolokiaClient.Builder wire(JolokiaClient.Builder builder) {
    return builder.executor(executor);
  }

  private JolokiaClient client(Duration timeout) {
    return wire(JolokiaClient.builder())
        .credentials(Credentials.basic("xcm", "pw", "the coordinator's credentials"))
        .callee("agent")
        .timeout(timeout)
        .connectTimeout(Duration.ofSeconds(2))
        .userAgent("xcm-test")
        .build();
  }

  private JolokiaClient client() {
    return client(Duration.ofSeconds(5));
  }

  private JolokiaException finish() {
    try {
      client().send(url, FINISH);
    } catch (JolokiaException e) {
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("finishIncoming gave a value");
  }

  private static void assertRefused(JolokiaException e, Refusal refusal, String message) {
    assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(e.outcome().changedNothing()).isTrue();
    assertThat(e.refusal()).isEqualTo(refusal);
    assertThat(e).hasMessage(message);
  }

  @Test
  void aValueComesBackForARequestSentWithTheCredentialsAndUserAgent() throws Exception {
    answer = "{\"status\":200,\"value\":\"id-1\"}";

    JsonNode value =
        client()
            .send(
                url,
                Request.exec(
                    ObjectNames.hostOperations(), "migrate", "a\"b", "http://x/", 3, true, null));

    assertThat(value.asText()).isEqualTo("id-1");
    assertThat(seenRequest)
        .isEqualTo(
            "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"migrate\","
                + "\"arguments\":[\"a\\\"b\",\"http://x/\",3,true,null]}");
    assertThat(seenAuthorization).isEqualTo("Basic eGNtOnB3");
    assertThat(seenUserAgent).isEqualTo("xcm-test");
  }

  @Test
  void tooFewThreadsAreRefusedWhenBuilt() {
    assertThatThrownBy(
            () ->
                JolokiaClient.builder()
                    .credentials(Credentials.basic("xcm", "pw", "the coordinator's credentials"))
                    .threads(2)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("threads must be at least 3, found 2");
  }

  @Test
  void anOperationReturningNothingGivesJsonNull() throws Exception {
    answer = "{\"status\":200,\"value\":null}";

    assertThat(client().send(url, FINISH).isNull()).isTrue();
  }

  @Test
  void illegalArgumentFromTheOperationIsARefusalOfTheRequestWithTheOperationsMessage() {
    answer =
        "{\"status\":400,\"error_type\":\"java.lang.IllegalArgumentException\","
            + "\"error\":\"java.lang.IllegalArgumentException : lab02: no such domain 'web01'\"}";

    JolokiaException e = finish();

    assertRefused(e, Refusal.BAD_REQUEST, "lab02: no such domain 'web01'");
    assertThat(e.refusal().byOperation()).isTrue();
  }

  @Test
  void illegalStateFromTheOperationIsARefusalForNow() {
    answer =
        "{\"status\":500,\"error_type\":\"java.lang.IllegalStateException\","
            + "\"error\":\"lab02: cannot finish domain 'web01': it is not defined here\"}";

    JolokiaException e = finish();

    assertRefused(
        e, Refusal.NOT_NOW, "lab02: cannot finish domain 'web01': it is not defined here");
    assertThat(e.refusal().byOperation()).isTrue();
  }

  @Test
  void aStaleEpochIsARefusalOfACoordinatorThatWasSuperseded() {
    answer =
        "{\"status\":500,\"error_type\":\"xcm.mbeans.StaleEpochException\","
            + "\"error\":\"xcm.mbeans.StaleEpochException : lab02: cannot destroy domain 'web01':"
            + " epoch 3 is older than epoch 4\"}";

    JolokiaException e = finish();

    assertRefused(
        e,
        Refusal.SUPERSEDED,
        "lab02: cannot destroy domain 'web01': epoch 3 is older than epoch 4");
    assertThat(e.refusal().byOperation()).isTrue();
    assertThat(e.outcome().changedNothing()).isTrue();
  }

  @Test
  void aStandbyCoordinatorsRefusalIsItsOwn() {
    answer =
        "{\"status\":500,\"error_type\":\"xcm.mbeans.StandbyException\","
            + "\"error\":\"coord-b is a standby: the active coordinator is coord-a\"}";

    JolokiaException e = finish();

    assertRefused(e, Refusal.STANDBY, "coord-b is a standby: the active coordinator is coord-a");
    assertThat(e.refusal().byOperation()).isTrue();
    assertThat(e.outcome().changedNothing()).isTrue();
  }

  @Test
  void credentialsTurnedAwayAreARefusalBeforeAnyOperation() {
    for (int status : new int[] {401, 403}) {
      httpStatus = status;
      answer = "";
      JolokiaException e = finish();

      assertRefused(
          e,
          Refusal.FORBIDDEN,
          "agent at " + url + " refused the coordinator's credentials (HTTP " + status + ")");
      assertThat(e.refusal().byOperation()).isFalse();
    }
  }

  @Test
  void theAccessPolicyTurningARequestAwayIsARefusalBeforeAnyOperation() {
    answer =
        "{\"status\":403,\"error_type\":\"java.lang.Exception\","
            + "\"error\":\"Operation finishIncoming forbidden\"}";

    assertRefused(
        finish(),
        Refusal.FORBIDDEN,
        "agent at "
            + url
            + " answered finishIncoming with status 403: Operation finishIncoming forbidden");
  }

  @Test
  void noSuchMBeanOrNoJolokiaAtAllIsARefusalBeforeAnyOperation() {
    answer =
        "{\"status\":404,\"error_type\":\"javax.management.InstanceNotFoundException\","
            + "\"error\":\"xcm:type=HostOperations\"}";
    assertRefused(
        finish(),
        Refusal.NOT_FOUND,
        "agent at " + url + " answered finishIncoming with status 404: xcm:type=HostOperations");

    httpStatus = 404;
    answer = "<html>Not Found</html>";
    assertRefused(
        finish(), Refusal.NOT_FOUND, "agent at " + url + " answered HTTP 404, not Jolokia");
  }

  @Test
  void aBodyTheServerRefusesIsABadRequest() {
    httpStatus = 413;
    answer = "{\"status\":413,\"error\":\"request body larger than 4096 bytes\"}";

    assertRefused(
        finish(),
        Refusal.BAD_REQUEST,
        "agent at " + url + " refused the request (HTTP 413): request body larger than 4096 bytes");
  }

  @Test
  void aClosedPortFailsTheCallWhichCertainlyChangedNothing() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String closed = "http://127.0.0.1:" + port + "/jolokia/";

    assertThatThrownBy(() -> client().send(closed, FINISH))
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(e.outcome().changedNothing()).isTrue();
              assertThat(e.refusal()).isNull();
            })
        .hasMessage("agent at " + closed + " does not answer: connection refused");
  }

  @Test
  void aBadUrlOrCredentialsThatCannotBeDerivedFailTheCallBeforeSending() {
    assertThatThrownBy(() -> client().send("not a url", FINISH))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.FAILED))
        .hasMessageStartingWith("agent URL 'not a url' is not a valid http URL: ");

    JolokiaClient derived =
        wire(JolokiaClient.builder())
            .credentials(
                new Credentials() {
                  @Override
                  public String authorization(String url) {
                    throw new IllegalArgumentException("'" + url + "' has no password");
                  }

                  @Override
                  public String description() {
                    return "the derived credentials";
                  }
                })
            .build();
    assertThatThrownBy(() -> derived.send(url, FINISH))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.FAILED))
        .hasMessage("'" + url + "' has no password");
    assertThat(seenRequest).as("nothing was sent").isNull();
  }

  @Test
  void noAnswerWithinTheTimeoutAfterSendingLeavesTheOutcomeUnknown() {
    answer = "{\"status\":200,\"value\":null}";
    delayMillis = 1000;

    assertThatThrownBy(() -> client(Duration.ofMillis(200)).send(url, FINISH))
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
              assertThat(e.outcome().changedNothing()).isFalse();
            })
        .hasMessage("agent at " + url + " does not answer within 200 ms");
    assertThat(seenRequest).contains("finishIncoming");
  }

  @Test
  void aConnectionLostAfterSendingLeavesTheOutcomeUnknown() {
    hangUp = true;

    assertThatThrownBy(() -> client().send(url, FINISH))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN))
        .hasMessageStartingWith("agent at " + url + " does not answer: ");
    assertThat(seenRequest).contains("finishIncoming");
  }

  @Test
  void aCalleeThatClosesAsSoonAsItHasReadTheRequestNeverMakesItLookUnsent() throws Exception {
    // A callee that has read the request may have acted on it: calling that FAILED would let a
    // caller retry a migration that happened. The close races the client's own bookkeeping, so
    // the race is run many times.
    ServerSocket slammer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    try {
      Thread reader =
          new Thread(
              () -> {
                while (!slammer.isClosed()) {
                  try (var socket = slammer.accept()) {
                    socket.getInputStream().read(new byte[16384]);
                  } catch (IOException closedAtTheEnd) {
                    return;
                  }
                }
              });
      reader.setDaemon(true);
      reader.start();
      String slamming = "http://127.0.0.1:" + slammer.getLocalPort() + "/jolokia/";
      for (int i = 0; i < 40; i++) {
        assertThatThrownBy(() -> client().send(slamming, FINISH))
            .isInstanceOfSatisfying(
                JolokiaException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN));
      }
    } finally {
      slammer.close();
    }
  }

  @Test
  void anAnswerThatIsNotJolokiaLeavesTheOutcomeUnknown() {
    answer = "<html><body>It works!</body></html>";

    JolokiaException e = finish();

    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e)
        .hasMessage(
            "agent at "
                + url
                + " answers with something that is not Jolokia: \"<html><body>It works!</body></html>\"");

    httpStatus = 502;
    assertThat(finish())
        .hasMessage("agent at " + url + " answered HTTP 502, not Jolokia")
        .extracting(JolokiaException::outcome)
        .isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void anotherExceptionFromTheOperationLeavesTheOutcomeUnknown() {
    answer =
        "{\"status\":500,\"error_type\":\"java.lang.NullPointerException\","
            + "\"error\":\"java.lang.NullPointerException : boom\"}";

    JolokiaException e = finish();

    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.refusal()).isNull();
    assertThat(e)
        .hasMessage(
            "agent at "
                + url
                + " answered finishIncoming with status 500: java.lang.NullPointerException : boom");
  }

  @Test
  void eachRequestOfABulkEndsOnItsOwn() throws Exception {
    answer =
        "[{\"status\":200,\"value\":\"lab02\"},"
            + "{\"status\":400,\"error_type\":\"java.lang.IllegalArgumentException\","
            + "\"error\":\"lab02: bad XML\"}]";
    Request name = Request.read(ObjectNames.host(), "Name");
    Request prepare = Request.exec(ObjectNames.hostOperations(), "prepareIncoming", "<domain/>");

    List<Reply> replies = client().send(url, List.of(name, prepare));

    assertThat(seenRequest)
        .isEqualTo(
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":\"Name\"},"
                + "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                + "\"operation\":\"prepareIncoming\",\"arguments\":[\"<domain/>\"]}]");
    assertThat(replies.get(0).value().asText()).isEqualTo("lab02");
    assertThat(replies.get(0).failure()).isEmpty();
    assertThatThrownBy(() -> replies.get(1).value())
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.BAD_REQUEST))
        .hasMessage("lab02: bad XML");

    answer = "[{\"status\":200,\"value\":\"lab02\"}]";
    assertThatThrownBy(() -> client().send(url, List.of(name, prepare)))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN))
        .hasMessageContaining("answers with something that is not Jolokia");
  }

  @Test
  void aBodyReaderGetsTheAnswerAndRaisesItsErrorsThroughIt() throws Exception {
    answer = "[{\"status\":404,\"error\":\"No MBean found\"}]";
    Request host = Request.read(ObjectNames.host(), List.of("Name", "Cpus"));

    String body =
        client()
            .sendAsync(url, List.of(host), b -> new String(b.bytes(), StandardCharsets.UTF_8))
            .get();
    assertThat(body).isEqualTo(answer);
    assertThat(seenRequest)
        .isEqualTo(
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":[\"Name\",\"Cpus\"]}]");

    assertThatThrownBy(
            () ->
                JolokiaClient.await(
                    client()
                        .sendAsync(
                            url,
                            List.of(host),
                            b -> {
                              throw b.error(host, 404, "", "No MBean found");
                            })))
        .isInstanceOfSatisfying(
            JolokiaException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_FOUND))
        .hasMessage(
            "agent at "
                + url
                + " answered a read of xcm:type=Host with status 404: No MBean found");
  }
}
