package xcm.agent.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Agent;
import xcm.agent.AgentConfig;
import xcm.agent.Fixtures;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.mbeans.AgentReach;

/**
 * Whether an agent reaches another: a live agent on loopback answers, a closed port, a silent one,
 * a refusal and things that are not Jolokia do not, and nothing of what answered comes back.
 */
class AgentProbeTest {
  private MBeanServer server;
  private Agent peer;

  @BeforeEach
  void startPeer() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    peer =
        Agent.start(
            AgentConfig.load(
                Map.of(
                    "xcm.agent.libvirt-uri", Fixtures.LAB01,
                    "xcm.agent.name", "lab01-peer",
                    "xcm.agent.sample-interval", "1h",
                    "xcm.agent.jolokia.port", "0",
                    "xcm.agent.jolokia.password", "s3cret",
                    "xcm.agent.metrics.port", "0")),
            server,
            new PrometheusRegistry(),
            Clock.systemUTC());
  }

  @AfterEach
  void stopPeer() {
    peer.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private static AgentProbe probe(String password) {
    return AgentProbe.over(
        "lab02", () -> JolokiaClient.builder().credentials(Credentials.basic("xcm", password)));
  }

  @Test
  void aLiveAgentIsReached() {
    AgentReach reach = probe("s3cret").reach(peer.jolokiaUrl());

    assertThat(reach.reached()).isTrue();
    assertThat(reach.reason()).isEmpty();
    assertThat(reach.millis()).isBetween(0L, AgentProbe.TIMEOUT.toMillis());
  }

  @Test
  void aClosedPortIsNotReachedAndSaysSo() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    AgentReach reach = probe("s3cret").reach("http://127.0.0.1:" + port + "/jolokia/");

    assertThat(reach.reached()).isFalse();
    assertThat(reach.reason())
        .isEqualTo(
            "agent at http://127.0.0.1:" + port + "/jolokia/ does not answer: connection refused");
  }

  @Test
  void anAgentThatRefusesThisOneIsNotReached() {
    AgentReach reach = probe("wrong").reach(peer.jolokiaUrl());

    assertThat(reach.reached()).isFalse();
    assertThat(reach.reason())
        .isEqualTo(
            "agent at "
                + peer.jolokiaUrl()
                + " answered but refused the version request (FORBIDDEN)");
  }

  @Test
  void whatIsNotJolokiaIsNotReachedAndNothingOfItsAnswerComesBack() throws IOException {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    other.createContext("/ok", exchange -> answer(exchange, 200, "<html>internal secret</html>"));
    other.createContext(
        "/json", exchange -> answer(exchange, 200, "[{\"status\":500,\"error\":\"secret\"}]"));
    other.createContext("/bad", exchange -> answer(exchange, 400, "{\"error\":\"secret\"}"));
    other.createContext("/boom", exchange -> answer(exchange, 502, "secret gateway"));
    other.start();
    try {
      String base = "http://127.0.0.1:" + other.getAddress().getPort();
      AgentProbe probe = probe("s3cret");

      assertThat(probe.reach(base + "/ok").reason())
          .isEqualTo("agent at " + base + "/ok/ answers with something that is not Jolokia");
      assertThat(probe.reach(base + "/json").reason())
          .isEqualTo("agent at " + base + "/json/ answered version with status 500: ");
      assertThat(probe.reach(base + "/bad").reason())
          .isEqualTo(
              "agent at " + base + "/bad/ answered but refused the version request (BAD_REQUEST)");
      assertThat(probe.reach(base + "/boom").reason())
          .isEqualTo("agent at " + base + "/boom/ answered HTTP 502, not Jolokia");
      for (String path : List.of("/ok", "/json", "/bad", "/boom")) {
        assertThat(probe.reach(base + path).reached()).isFalse();
        assertThat(probe.reach(base + path).reason()).doesNotContain("secret");
      }
    } finally {
      other.stop(0);
    }
  }

  @Test
  void aSilentAgentIsNotReachedWithinTheTimeout() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      long start = System.nanoTime();
      AgentReach reach = probe("s3cret").reach(silent.url());

      assertThat(reach.reached()).isFalse();
      assertThat(reach.reason())
          .isEqualTo("agent at " + silent.url() + " does not answer within 2000 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(reach.millis()).isBetween(1900L, 4000L);
    }
  }

  @Test
  void atMostFourProbesRunAtOnceAndAFifthIsRefused() throws Exception {
    AgentProbe probe = probe("s3cret");
    // The probe's one client is built by the first probe, while the others wait for it: built
    // here, so that the four below reach the silent server at once even on a busy machine.
    assertThat(probe.reach(peer.jolokiaUrl()).reached()).isTrue();
    ExecutorService callers = Executors.newFixedThreadPool(AgentProbe.MAX_AT_ONCE);
    try (SilentServer silent = new SilentServer()) {
      List<Future<AgentReach>> running = new ArrayList<>();
      for (int i = 0; i < AgentProbe.MAX_AT_ONCE; i++) {
        running.add(callers.submit(() -> probe.reach(silent.url())));
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> silent.accepted() == 4);

      assertThatThrownBy(() -> probe.reach(peer.jolokiaUrl()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "lab02: cannot tell whether it reaches the agent at "
                  + peer.jolokiaUrl()
                  + ": 4 probes run already (at most 4 at once)");
      for (Future<AgentReach> reach : running) {
        assertThat(reach.get().reached()).isFalse();
      }
      assertThat(probe.reach(peer.jolokiaUrl()).reached()).as("free again").isTrue();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void whatIsNoAgentsUrlIsRefusedWithoutAnythingSent() {
    AgentProbe probe = probe("s3cret");

    assertThatThrownBy(() -> probe.reach("file:///etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab02: cannot probe the agent at 'file:///etc/passwd': not an http or https URL");
    assertThatThrownBy(() -> probe.reach("http://user:pa55@10.0.0.6:8778/jolokia/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lab02: cannot probe the agent at 'http://***@10.0.0.6:8778/jolokia/'")
        .hasMessageNotContaining("pa55");
    assertThatThrownBy(() -> probe.reach("http://10.0.0.6:8778/jolokia/?x=1"))
        .hasMessageEndingWith("an agent URL has no query or fragment");
    assertThatThrownBy(() -> probe.reach("not a url\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lab02: cannot probe the agent at 'not a url\\n': ");
    assertThatThrownBy(() -> probe.reach(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theReasonIsBoundedAndEscaped() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    AgentReach reach = probe("s3cret").reach("http://127.0.0.1:" + port + "/" + "a%0A".repeat(200));

    assertThat(reach.reached()).isFalse();
    assertThat(reach.reason()).hasSizeLessThanOrEqualTo(AgentReach.MAX_REASON).endsWith("...");
    assertThat(reach.reason()).doesNotContain("\n");
  }

  @Test
  void anAgentThatIsNotEnrolledRefusesToTell() {
    AgentProbe probe = AgentProbe.overTls("lab02", Optional.empty());

    assertThatThrownBy(() -> probe.reach(peer.jolokiaUrl()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("this agent is not enrolled");
  }

  @Test
  void anAgentWithoutItsCertificateYetRefusesToTellAndAsksAgainNextTime() {
    List<String> asked = new CopyOnWriteArrayList<>();
    AgentProbe probe =
        AgentProbe.overTls(
            "lab02",
            Optional.of(
                () -> {
                  asked.add("tls");
                  throw new IllegalStateException("this agent has no certificate yet");
                }));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> probe.reach(peer.jolokiaUrl()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageEndingWith(": this agent has no certificate yet");
    }
    assertThat(asked).hasSize(2);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Accepts connections and never answers: a host whose agent hangs. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50);
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(socket.accept());
                  }
                } catch (IOException e) {
                  // Closed: the test is over.
                }
              },
              "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/jolokia/";
    }

    int accepted() {
      return held.size();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
