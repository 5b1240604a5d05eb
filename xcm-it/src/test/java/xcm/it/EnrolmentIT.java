package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.Keys;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ticket.Handover;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * A cluster where a host is its certificate, not the name it claims: a coordinator with its
 * enrolment door and no password for agents at all, and two agents (dmz01 with 8 domains, dmz02)
 * that enrol with one-time tokens an operator issued. The coordinator collects them and migrates
 * between them over mutual TLS; what the attack on main did with a registered listener or a claimed
 * name (issue 13, findings 1–3) no longer works.
 */
class EnrolmentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final String ENROLMENT = "xcm:type=Enrolment";

  @TempDir static Path dir;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static Path authority;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    Path password = Secrets.write(dir.resolve("coordinator.password"), "coordinator-secret");
    coordinator =
        Jvm.coordinator("enrol-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .with("--enrol-port", 0)
            .property("xcm.coordinator.agent-timeout=500ms")
            .property("xcm.coordinator.cooldown=0s")
            .start();
    assertThat(coordinator.enrolUrl).startsWith("https://127.0.0.1:").endsWith("/enrol");
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "coordinator-secret");
    authority = dir.resolve("state/ca/ca.crt");
    Path agentPassword = Secrets.write(dir.resolve("agent.password"), "agent-own-secret");
    for (String host : List.of("dmz01", "dmz02")) {
      String token = xcm.exec(ENROLMENT, "issueToken", host, "10").path("value").asText();
      Path tokenFile = Secrets.write(dir.resolve(host + ".token"), token);
      agents.put(
          host,
          Jvm.agent("enrol-" + host, Jvm.testNode(host))
              .with("--sample-interval", "1s")
              .with("--jolokia-password-file", agentPassword)
              .enrolment(coordinator, authority, tokenFile, dir.resolve(host + "-tls"), host)
              .start());
    }
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () -> xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 2);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void agentsEnrolledWithTokensAreCollectedOverTls() throws Exception {
    JsonNode hosts = xcm.read("xcm:type=Cluster").path("value").path("Hosts");
    assertThat(hosts).hasSize(2);
    hosts.forEach(h -> assertThat(h.path("state").asText()).isEqualTo("ACTIVE"));
    assertThat(agents.get("dmz01").jolokiaUrl).startsWith("https://");
    JsonNode enrolled = xcm.read(ENROLMENT).path("value").path("Enrolled");
    assertThat(enrolled.findValuesAsText("host")).containsExactlyInAnyOrder("dmz01", "dmz02");
    assertThat(Files.readString(dir.resolve("dmz01-tls/host.crt"))).contains("BEGIN CERTIFICATE");
  }

  @Test
  void aMigrationBetweenEnrolledAgentsRunsOnTheirCertificates() throws Exception {
    String id = xcm.exec(OPERATIONS, "migrate", "web02", "dmz02").path("value").asText();

    assertThat(xcm.awaitOperationEnd(id, Duration.ofSeconds(60)).path("State").asText())
        .isEqualTo("SUCCEEDED");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                xcm.read("xcm:type=Cluster,host=\"dmz02\"")
                    .path("value")
                    .path("Domains")
                    .findValuesAsText("name")
                    .contains("web02"));
  }

  /**
   * Finding 2: an enrolled agent handed any domain to any other. dmz03's certificate is the peer on
   * dmz02, yet without the coordinator's ticket for that domain, dmz03 and dmz02 nothing is taken
   * in: no ticket, one another cluster's authority signed, one for a hand-over from dmz01.
   */
  @Test
  void anAgentWithoutTheCoordinatorsTicketHandsNoDomainOver() throws Exception {
    ClusterAuthority ca = ClusterAuthority.builder().directory(dir.resolve("state/ca")).open();
    HostCredentials dmz03 = ca.issueWithKey(Subject.agent("dmz03", UUID.randomUUID()));
    UUID uuid = UUID.fromString("dddddddd-0000-4000-8000-000000000003");
    String xml =
        "<domain type='test'><name>stolen01</name><uuid>"
            + uuid
            + "</uuid><memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
            + "</domain>";
    ClusterAuthority other = ClusterAuthority.builder().directory(dir.resolve("other-ca")).open();
    String forged =
        other
            .ticketIssuer()
            .issue(new Handover(uuid, "stolen01", "dmz03", "dmz02"), Duration.ofMinutes(5))
            .text();
    String dmz01s =
        ca.ticketIssuer()
            .issue(new Handover(uuid, "stolen01", "dmz01", "dmz02"), Duration.ofMinutes(5))
            .text();
    Map<String, String> reasons =
        Map.of("", "MALFORMED", forged, "BAD_SIGNATURE", dmz01s, "WRONG_SOURCE");

    for (Map.Entry<String, String> ticket : reasons.entrySet()) {
      JsonNode reply = prepareIncoming(dmz03, ca, xml, ticket.getKey());

      assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(400);
      assertThat(reply.path("error").asText())
          .startsWith(
              "dmz02: hand-over of domain 'stolen01' from dmz03 refused: "
                  + ticket.getValue()
                  + ": ");
    }
    // Two collection rounds later the coordinator still sees nothing new on dmz02.
    Thread.sleep(2500);
    assertThat(
            xcm.read("xcm:type=Cluster,host=\"dmz02\"")
                .path("value")
                .path("Domains")
                .findValuesAsText("name"))
        .doesNotContain("stolen01");
  }

  /** Jolokia's exec of dmz02's prepareIncoming over TLS, as the agent {@code credentials}. */
  private static JsonNode prepareIncoming(
      HostCredentials credentials, ClusterAuthority ca, String xml, String ticket)
      throws Exception {
    var tls =
        ClientTls.builder()
            .credentials(credentials)
            .authority(ca.certificate())
            .revocations(Revocations::none)
            .expectServer(ExpectedPeer.role(Role.AGENT))
            .build();
    String body =
        JSON.createObjectNode()
            .put("type", "exec")
            .put("mbean", "xcm:type=HostOperations")
            .put("operation", "prepareIncoming")
            .set("arguments", JSON.createArrayNode().add(xml).add(ticket))
            .toString();
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(agents.get("dmz02").jolokiaUrl))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body());
  }

  /** Findings 1 and 2: an added listener got the cluster password, then took domains. */
  @Test
  void aListenerAddedAsAnAgentIsSentNothingAndJoinsNot() throws Exception {
    try (Listener listener = new Listener()) {
      JsonNode refused = xcm.exec(OPERATIONS, "addHost", listener.url());

      assertThat(refused.path("status").asInt()).isEqualTo(400);
      assertThat(refused.path("error").asText()).contains("no host is enrolled at");
      Thread.sleep(1500);
      assertThat(listener.received()).isEmpty();
    }
    assertThat(xcm.read("xcm:type=Cluster").path("value").path("Hosts")).hasSize(2);
  }

  /** Finding 3: a listener claiming an enrolled host's name replaced it. */
  @Test
  void aHostClaimingAnEnrolledNameWithAnotherKeyIsRefused() throws Exception {
    KeyPair impostor = Keys.generate(new SecureRandom());
    String token = xcm.exec(ENROLMENT, "issueToken", "dmz01", "10").path("value").asText();
    String body =
        JSON.createObjectNode()
            .put("host", "dmz01")
            .put("url", "https://127.0.0.1:1/jolokia/")
            .put("libvirtUuid", UUID.randomUUID().toString())
            .put(
                "certificateRequest",
                CertificateRequest.create(impostor, "dmz01", Optional.empty()).pem())
            .put("token", token)
            .toString();

    HttpResponse<String> answer = enrol(body);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(answer.body()).path("reason").asText()).isEqualTo("name_taken");
    JsonNode dmz01 = xcm.read("xcm:type=Cluster,host=\"dmz01\"").path("value");
    assertThat(dmz01.path("Url").asText()).isEqualTo(agents.get("dmz01").jolokiaUrl);
  }

  private static HttpResponse<String> enrol(String body) throws Exception {
    var tls =
        ClientTls.builder()
            .authority(Pem.readCertificates(Files.readString(authority)).get(0))
            .revocations(Revocations::none)
            .expectServer(ExpectedPeer.role(Role.COORDINATOR))
            .build();
    return HttpClient.newBuilder()
        .sslContext(tls)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(coordinator.enrolUrl))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A plain TCP listener on loopback that keeps whatever bytes it is sent. */
  private static final class Listener implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    Listener() throws IOException {
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket client = socket.accept()) {
                    client.setSoTimeout(1000);
                    received.add(read(client.getInputStream()));
                  } catch (IOException e) {
                    // Closed: the test is over.
                  }
                }
              },
              "enrol-it-listener");
      thread.setDaemon(true);
      thread.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/jolokia/";
    }

    List<String> received() {
      return received;
    }

    private static String read(InputStream in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        in.transferTo(out);
      } catch (IOException e) {
        // The client stopped sending; what came is kept.
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
