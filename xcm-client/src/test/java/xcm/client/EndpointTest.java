package xcm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.StandbyException;

/** An endpoint over the URLs of several coordinators, each a small Jolokia stand-in. */
class EndpointTest {
  private static final Request DRAIN = Request.exec(ObjectNames.operations(), "drain", "dmz01");
  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }

  @Test
  void aRequestAStandbyRefusesGoesToTheNextAndTheActiveIsAskedFirstFromThenOn() throws Exception {
    AtomicInteger standbyAsked = new AtomicInteger();
    String standby =
        serve(
            "{\"status\":500,\"error_type\":\""
                + StandbyException.class.getName()
                + "\",\"error\":\"coordinator c2 is a standby: the active coordinator is c1\"}",
            standbyAsked);
    String active = serve("{\"status\":200,\"value\":\"e7-1\"}", new AtomicInteger());
    Endpoint coordinators = client().at(List.of(standby, active));

    assertThat(coordinators.send(DRAIN).asText()).isEqualTo("e7-1");
    assertThat(coordinators.url()).isEqualTo(active);
    coordinators.send(DRAIN);
    assertThat(standbyAsked).hasValue(1);
  }

  @Test
  void aCoordinatorThatDoesNotAnswerIsPassedOver() throws Exception {
    String down = "http://127.0.0.1:" + freePort() + "/jolokia/";
    String active = serve("{\"status\":200,\"value\":\"e7-1\"}", new AtomicInteger());

    assertThat(client().at(List.of(down, active)).send(DRAIN).asText()).isEqualTo("e7-1");
  }

  @Test
  void whenEveryCoordinatorIsAStandbyTheRefusalNamingTheActiveIsTheAnswer() throws Exception {
    String standby =
        serve(
            "{\"status\":500,\"error_type\":\""
                + StandbyException.class.getName()
                + "\",\"error\":\"coordinator c2 is a standby: no coordinator holds the lease\"}",
            new AtomicInteger());
    String down = "http://127.0.0.1:" + freePort() + "/jolokia/";

    assertThatThrownBy(() -> client().at(List.of(down, standby)).send(DRAIN))
        .isInstanceOf(JolokiaException.class)
        .satisfies(
            e ->
                assertThat(((JolokiaException) e).refusal())
                    .isEqualTo(JolokiaException.Refusal.STANDBY))
        .hasMessageContaining("no coordinator holds the lease");
  }

  @Test
  void aRefusalOfAnotherKindIsTheAnswerAtOnce() throws Exception {
    AtomicInteger secondAsked = new AtomicInteger();
    String refusing =
        serve(
            "{\"status\":500,\"error_type\":\"java.lang.IllegalArgumentException\","
                + "\"error\":\"unknown host 'dmz09'\"}",
            new AtomicInteger());
    String other = serve("{\"status\":200,\"value\":\"e7-1\"}", secondAsked);

    assertThatThrownBy(() -> client().at(List.of(refusing, other)).send(DRAIN))
        .hasMessageContaining("unknown host 'dmz09'");
    assertThat(secondAsked).hasValue(0);
  }

  private String serve(String answer, AtomicInteger asked) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jolokia/",
        exchange -> {
          try (exchange) {
            asked.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    servers.add(server);
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JolokiaClient client() {
    return JolokiaClient.builder()
        .credentials(Credentials.basic("xcm", "pw", "the operator's credentials"))
        .callee("coordinator")
        .timeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(2))
        .executor(executor)
        .userAgent("xcm-test")
        .build();
  }
}
