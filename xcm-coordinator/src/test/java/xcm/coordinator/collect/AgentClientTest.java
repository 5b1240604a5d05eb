package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.DomainState;

/**
 * How the client reads what an agent's Jolokia answers, and every way it can answer wrong, over
 * real HTTP on loopback. The real agent answers in the cross-process integration tests.
 */
class AgentClientTest {
  private HttpServer server;
  private ExecutorService executor;
  private AgentClient client;
  private volatile int status;
  private volatile String body;
  private volatile String seenAuthorization;
  private volatile String seenRequest;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jolokia/",
        exchange -> {
          seenAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
          seenRequest =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    executor = Executors.newSingleThreadExecutor();
    client =
        new AgentClient(
            AgentClient.httpClient(Duration.ofSeconds(2), executor),
            "xcm",
            "pw",
            Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/";
  }

  private HostData read() throws Exception {
    try {
      return client.read(url()).get();
    } catch (ExecutionException e) {
      throw AgentClient.cause(e);
    }
  }

  @Test
  void readsHostAndDomainsFromOneBulkRequestWithCredentials() throws Exception {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz01\",\"Cpus\":16,\"MemoryBytes\":100,"
            + "\"MemoryFreeBytes\":40,\"CpuUtilisation\":0.5,\"Stale\":false,"
            + "\"LastSampleEpochMillis\":7}},"
            + "{\"status\":200,\"value\":{"
            + "\"xcm:name=\\\"b\\\",type=Domain\":{\"Name\":\"b\",\"Uuid\":\"u2\",\"State\":\"SHUTOFF\","
            + "\"MemoryBytes\":10,\"Vcpus\":1},"
            + "\"xcm:name=\\\"a\\\",type=Domain\":{\"Name\":\"a\",\"Uuid\":\"u1\",\"State\":\"RUNNING\","
            + "\"MemoryBytes\":20,\"MaxMemoryBytes\":30,\"Vcpus\":2,\"CpuUtilisation\":0.25}}}]";

    HostData host = read();

    assertThat(seenAuthorization).isEqualTo("Basic eGNtOnB3");
    assertThat(seenRequest).isEqualTo(AgentClient.BULK_READ);
    assertThat(host.name()).isEqualTo("dmz01");
    assertThat(host.cpus()).isEqualTo(16);
    assertThat(host.sampleEpochMillis()).isEqualTo(7);
    assertThat(host.domains()).extracting(d -> d.name()).containsExactly("a", "b");
    assertThat(host.domains().get(0).state()).isEqualTo(DomainState.RUNNING);
    assertThat(host.domains().get(0).maxMemoryBytes()).isEqualTo(30);
    assertThat(host.memoryUsedBytes()).as("only active domains hold memory").isEqualTo(20);
  }

  @Test
  void hostWithoutDomainsIsRead() throws Exception {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz02\"}},"
            + "{\"status\":404,\"error\":\"No MBean found for pattern xcm:type=Domain,*\"}]";

    assertThat(read().domains()).isEmpty();
  }

  @Test
  void wrongCredentialsAreNamed() {
    status = 401;
    body = "";

    assertThatThrownBy(this::read)
        .isInstanceOf(AgentException.class)
        .hasMessage("agent at " + url() + " refused the coordinator's credentials (HTTP 401)");
  }

  @Test
  void somethingThatIsNotJolokiaIsNamed() {
    status = 200;
    body = "<html><body>It works!</body></html>";

    assertThatThrownBy(this::read)
        .hasMessage(
            "agent at "
                + url()
                + " answers with something that is not Jolokia: \"<html><body>It works!</body></html>\"");
  }

  @Test
  void aJolokiaWithoutAnXcmAgentIsNamed() {
    status = 200;
    body = "[{\"status\":404,\"error\":\"not found\"},{\"status\":404,\"error\":\"not found\"}]";

    assertThatThrownBy(this::read)
        .hasMessage(
            "agent at " + url() + " is a Jolokia without an XCM agent (no xcm:type=Host MBean)");
  }

  @Test
  void anAgentThatDoesNotListenIsNamed() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String nobody = "http://127.0.0.1:" + closed + "/jolokia/";

    assertThatThrownBy(() -> client.read(nobody).get())
        .extracting(AgentClient::cause)
        .extracting(Throwable::getMessage)
        .isEqualTo("agent at " + nobody + " does not answer: connection refused");
  }

  @Test
  void anAgentThatAnswersTooSlowlyIsNamed() throws Exception {
    server.removeContext("/jolokia/");
    server.createContext(
        "/jolokia/",
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });

    assertThatThrownBy(this::read)
        .hasMessage("agent at " + url() + " does not answer within 2000 ms");
  }

  @Test
  void anInvalidUrlIsNamed() {
    assertThatThrownBy(() -> client.read("not a url").get())
        .extracting(AgentClient::cause)
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("agent URL 'not a url' is not a valid http URL");
  }

  @Test
  void derivedCredentialsGiveEachAgentThePasswordOfItsUrl() throws Exception {
    AgentClient derived =
        new AgentClient(
            AgentClient.httpClient(Duration.ofSeconds(2), executor),
            AgentCredentials.derived("xcm", "correct horse battery staple"),
            Duration.ofSeconds(2));
    status = 200;
    body = "{\"status\":200,\"value\":1}";

    derived.exec(url(), "xcm:type=HostOperations", "sampleNow").get();

    String password = AgentCredentials.derive("correct horse battery staple", url());
    assertThat(seenAuthorization)
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("xcm:" + password).getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(
            () -> {
              try {
                derived.read("ftp://127.0.0.1/jolokia/").get();
              } catch (ExecutionException e) {
                throw AgentClient.cause(e);
              }
            })
        .hasMessage(
            "'ftp://127.0.0.1/jolokia/' is not an agent's Jolokia URL: not an http or https URL");
  }
}
