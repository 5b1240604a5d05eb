package xcm.coordinator.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.metrics.EnrolmentMetrics;
import xcm.serve.RejectedRequests;
import xcm.serve.http.DoorLimits;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * The enrolment door on loopback, with a real desk: a host that trusts the cluster's authority
 * enrols with a token over TLS and gets its certificate; what is not a POST of the desk's JSON, or
 * a client that trusts another authority, gets nothing.
 */
class EnrolmentServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UUID_1 = "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60";

  @TempDir Path state;
  @TempDir Path elsewhere;
  private EnrolmentDesk desk;
  private EnrolmentServer door;
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @BeforeEach
  void open() throws Exception {
    desk = EnrolmentDesk.open(state, Clock.systemUTC());
    door =
        EnrolmentServer.start(
            new EnrolConfig("coordinator", "127.0.0.1", 0, DoorLimits.defaults(2)),
            desk,
            OwnCertificate.load(state, desk.authority(), "coordinator", Clock.systemUTC()),
            EnrolmentMetrics.register(registry, () -> desk.waiting().size()),
            RejectedRequests.register(registry, Clock.systemUTC()).door("enrol", Refusal.class));
  }

  @AfterEach
  void close() {
    door.close();
  }

  /** The value of {@code xcm_enrolment_requests_total{result}}, or of the waiting gauge. */
  private double metric(String name, String result) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(p -> result == null || result.equals(p.getLabels().get("result")))
        .mapToDouble(
            p ->
                p instanceof CounterSnapshot.CounterDataPointSnapshot c
                    ? c.getValue()
                    : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
        .sum();
  }

  private HttpClient trusting(X509Certificate authority) {
    SSLContext tls =
        ClientTls.builder()
            .authority(authority)
            .revocations(Revocations::none)
            .expectServer(ExpectedPeer.role(Role.COORDINATOR))
            .build();
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> post(HttpClient client, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(door.url()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String request(KeyPair key, String host, String token) {
    return request(key, host).put("token", token).toString();
  }

  private static ObjectNode request(KeyPair key, String host) {
    return JSON.createObjectNode()
        .put("host", host)
        .put("url", "https://127.0.0.1:8778/jolokia/")
        .put("libvirtUuid", UUID_1)
        .put(
            "certificateRequest",
            CertificateRequest.create(key, host, Optional.of(UUID.fromString(UUID_1))).pem());
  }

  @Test
  void aHostWithATokenEnrolsOverTlsAndGetsItsCertificate() throws Exception {
    String token = desk.issueToken("dmz01", Duration.ofMinutes(10));
    KeyPair key = Keys.generate(new SecureRandom());

    HttpResponse<String> answer =
        post(trusting(desk.authority().certificate()), request(key, "dmz01", token));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("state").asText()).isEqualTo("ENROLLED");
    X509Certificate issued = Pem.readCertificates(body.path("certificate").asText()).get(0);
    assertThat(issued.getPublicKey()).isEqualTo(key.getPublic());
    assertThat(PeerIdentity.of(issued).name()).isEqualTo("dmz01");
    assertThat(desk.enrolled("dmz01")).isPresent();
    assertThat(metric("xcm_enrolment_requests", "enrolled")).isEqualTo(1);
  }

  @Test
  void aHostWithoutATokenWaitsWithItsKeysFingerprint() throws Exception {
    KeyPair key = Keys.generate(new SecureRandom());

    HttpResponse<String> answer =
        post(trusting(desk.authority().certificate()), request(key, "dmz02").toString());

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(answer.body()).path("fingerprint").asText()).startsWith("SHA256:");
    assertThat(desk.waiting()).hasSize(1);
    assertThat(metric("xcm_enrolment_requests", "waiting")).isEqualTo(1);
    assertThat(metric("xcm_enrolments_waiting", null)).isEqualTo(1);
  }

  @Test
  void whatIsNotAPostOfTheDesksJsonIsRefusedWithAReason() throws Exception {
    HttpClient client = trusting(desk.authority().certificate());

    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create(door.url())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> notJson = post(client, "{\"host\":");
    HttpResponse<String> tooLarge = post(client, "x".repeat(EnrolmentDoor.MAX_BODY + 1));

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notJson.body()).path("message").asText()).contains("not JSON");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(desk.waiting()).isEmpty();
    assertThat(desk.enrolled()).isEmpty();
    assertThat(metric("xcm_enrolment_requests", "refused")).isEqualTo(3);
  }

  @Test
  void aHostThatTrustsAnotherAuthorityRefusesTheDoorBeforeSendingItsToken() throws Exception {
    ClusterAuthority other = ClusterAuthority.builder().directory(elsewhere.resolve("ca")).open();
    String token = desk.issueToken("dmz01", Duration.ofMinutes(10));
    KeyPair key = Keys.generate(new SecureRandom());

    assertThatThrownBy(() -> post(trusting(other.certificate()), request(key, "dmz01", token)))
        .isInstanceOf(IOException.class);
    assertThat(desk.enrolled()).isEmpty();
  }
}
