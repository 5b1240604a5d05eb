package xcm.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import xcm.bench.BenchProcesses;
import xcm.bench.TestNodes;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.Request;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.restart.DefinitionFetch;
import xcm.mbeans.ObjectNames;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.trust.HostCredentials;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * The simulated fleet cannot drift from the agent: the requests the coordinator's own code sends
 * (recorded as {@code Agents}, {@code DefinitionFetch} and the takeover's announcement send them)
 * go to a real agent (its own JVM, on libvirt's test driver) and to a simulated host, and the
 * answers must have the same shape — keys and types, recursively — and both must read as a host
 * through the coordinator's parser.
 */
class FleetContractIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void simulatedHostAnswersTheCoordinatorsRequestsInTheRealAgentsShape() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (BenchProcesses processes = new BenchProcesses(ROOT, "fleet-contract")) {
      // A real agent with two domains and the labels the fleet gives its first host.
      Path node = TestNodes.write(processes.dir().resolve("host.xml"), 2);
      Process agent =
          processes.script(
              "h1",
              Program.AGENT,
              processes.agentOptions(
                  0,
                  "h1",
                  null,
                  "--name",
                  "h1",
                  "--libvirt-uri",
                  "test://" + node,
                  "--label",
                  "rack=r1",
                  "--label",
                  "zone=b"));
      String real = processes.endpoint("h1", agent, "Jolokia");

      Path state = processes.dir().resolve("state");
      Path key = processes.dir().resolve("fleet.key");
      int port = freePort(FleetSeed.address(1, 0).getHostString());
      FleetSeed.seed(state, key, 1, port);
      try (Fleet fleet = Fleet.serve(state, key, 2, Duration.ofSeconds(5), 1)) {
        assertThat(fleet.size()).isEqualTo(1);
        String simulated =
            "https://" + FleetSeed.address(1, port).getHostString() + ":" + port + "/jolokia/";
        SSLContext tls = coordinatorTls(state);
        JolokiaClient agents =
            Agents.client(
                Credentials.basic("xcm", BenchProcesses.PASSWORD),
                Duration.ofSeconds(30),
                pool,
                tls);

        HostData realHost = JolokiaClient.await(Agents.host(agents, real));
        HostData simulatedHost = JolokiaClient.await(Agents.host(agents, simulated));
        assertThat(realHost.domains()).hasSize(2);
        assertThat(simulatedHost.domains()).hasSize(2);
        assertThat(simulatedHost.name()).isEqualTo("h00001");
        assertThat(simulatedHost.labels()).isEqualTo(realHost.labels());

        List<byte[]> toReal = new ArrayList<>();
        List<byte[]> toSimulated = new ArrayList<>();
        try (Recorder recorder = Recorder.start()) {
          for (List<byte[]> into : List.of(toReal, toSimulated)) {
            HostData host = into == toReal ? realHost : simulatedHost;
            List<String> names = new ArrayList<>();
            host.domains().stream().map(DomainData::name).forEach(names::add);
            names.add("no-such-domain");
            recorder.record(into, () -> Agents.host(agents, recorder.url()));
            recorder.record(
                into, () -> DefinitionFetch.overJolokia(agents).fetch(recorder.url(), names));
            recorder.record(
                into,
                () ->
                    agents.sendAsync(
                        recorder.url(),
                        Request.exec(ObjectNames.hostOperations(), "announceEpoch", 7L)));
          }
        }
        assertThat(toReal).hasSize(3);

        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        for (int i = 0; i < toReal.size(); i++) {
          HttpResponse<byte[]> fromReal = post(http, real, toReal.get(i), true);
          HttpResponse<byte[]> fromSimulated = post(http, simulated, toSimulated.get(i), false);
          JsonNode realAnswer = JSON.readTree(fromReal.body());
          JsonNode simulatedAnswer = JSON.readTree(fromSimulated.body());
          assertThat(fromSimulated.statusCode()).isEqualTo(fromReal.statusCode());
          assertThat(fromSimulated.headers().firstValue("Content-Type"))
              .isEqualTo(fromReal.headers().firstValue("Content-Type"));
          assertThat(JsonShape.of(simulatedAnswer))
              .as(
                  "request %d: %s%nreal agent: %s%nsimulated: %s",
                  i, new String(toReal.get(i)), realAnswer, simulatedAnswer)
              .isEqualTo(JsonShape.of(realAnswer));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The TLS of a coordinator of the fleet's cluster: its certificate, the authority's trust. */
  private static SSLContext coordinatorTls(Path state) throws IOException {
    ClusterAuthority authority = ClusterAuthority.builder().directory(state.resolve("ca")).open();
    HostCredentials coordinator = authority.issueWithKey(Subject.coordinator("c1"));
    return ClientTls.builder()
        .credentials(coordinator)
        .authority(authority.certificate())
        .revocations(Revocations::none)
        .expectServer(ExpectedPeer.role(Role.AGENT))
        .build();
  }

  private static HttpResponse<byte[]> post(HttpClient http, String url, byte[] body, boolean basic)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (basic) {
      request.header(
          "Authorization", Credentials.basicAuthorization("xcm", BenchProcesses.PASSWORD));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  /** An HTTP server that keeps each POST body and answers 503: what a client would have sent. */
  private static final class Recorder implements AutoCloseable {
    private final HttpServer server;
    private final List<byte[]> bodies = new ArrayList<>();

    private Recorder(HttpServer server) {
      this.server = server;
    }

    static Recorder start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      Recorder recorder = new Recorder(server);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (recorder.bodies) {
              recorder.bodies.add(body);
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
          });
      server.start();
      return recorder;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/";
    }

    /**
     * Sends what {@code send} sends, which fails at the 503, and keeps its body in {@code into}.
     */
    void record(List<byte[]> into, Sender send) {
      int before;
      synchronized (bodies) {
        before = bodies.size();
      }
      send.send().handle((value, failure) -> null).join();
      synchronized (bodies) {
        assertThat(bodies).hasSize(before + 1);
        into.add(bodies.get(before));
      }
    }

    interface Sender {
      CompletableFuture<?> send();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
