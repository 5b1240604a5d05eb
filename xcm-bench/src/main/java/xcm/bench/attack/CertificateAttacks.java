package xcm.bench.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import xcm.bench.AgentJolokia;
import xcm.bench.BenchProcesses;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;
import xcm.trust.HostCredentials;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;

/**
 * The door that replaced main's shared passwords: an agent's Jolokia takes the coordinator's
 * certificate as its operator and another agent's as a peer, who may hand domains over and nothing
 * else. On main, the cluster password that every agent held (and that finding 1 leaked) let anyone
 * holding it destroy domains on every agent. Tried here: dmz02's certificate, issued by the
 * cluster's own authority (as a broken-into dmz02 holds it), and a certificate of another
 * authority, each asking dmz01 to destroy a running domain.
 */
final class CertificateAttacks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VICTIM = "dmz01";
  private static final String MAIN =
      "with the cluster password captured in finding 1, destroyDomain on a real agent worked";

  private final AttackCluster cluster;

  CertificateAttacks(AttackCluster cluster) {
    this.cluster = cluster;
  }

  List<Attempt> run() throws InterruptedException {
    List<Attempt> attempts = new ArrayList<>();
    UUID dmz02 = UUID.fromString(BenchProcesses.hostUuid("dmz02"));
    attempts.add(
        destroy(
            "dmz02's certificate (issued by the cluster's authority) calls dmz01's destroyDomain",
            () ->
                ClusterAuthority.builder()
                    .directory(cluster.stateDir.resolve("ca"))
                    .open()
                    .issueWithKey(Subject.agent("dmz02", dmz02)),
            false));
    attempts.add(
        destroy(
            "a certificate of another authority, named dmz02, calls dmz01's destroyDomain",
            () ->
                ClusterAuthority.builder()
                    .directory(cluster.processes.dir().resolve("other-ca"))
                    .open()
                    .issueWithKey(Subject.agent("dmz02", dmz02)),
            true));
    return attempts;
  }

  /** Where the attacker's certificate comes from. */
  @FunctionalInterface
  private interface Issuer {
    HostCredentials issue() throws IOException;
  }

  /**
   * Asks dmz01 to destroy one of its running domains, presenting the certificate {@code issuer}
   * makes and no password.
   *
   * @param handshakeRefused true when the TLS handshake must fail, false when dmz01 must answer 403
   */
  private Attempt destroy(String what, Issuer issuer, boolean handshakeRefused)
      throws InterruptedException {
    AgentJolokia victim = cluster.agents.get(VICTIM);
    try {
      String domain =
          victim.domains().stream()
              .filter(d -> d.state() == DomainState.RUNNING)
              .map(AgentJolokia.Domain::name)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("dmz01 runs no domain"));
      SSLContext tls = cluster.presenting(issuer.issue(), Role.AGENT);
      String body =
          JSON.createObjectNode()
              .put("type", "exec")
              .put("mbean", ObjectNames.hostOperations().getCanonicalName())
              .put("operation", "destroyDomain")
              .set("arguments", JSON.createArrayNode().add(domain).add(1))
              .toString();
      String answered;
      boolean refused;
      try {
        HttpResponse<String> answer =
            HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .send(
                    HttpRequest.newBuilder(URI.create(cluster.agentUrls.get(VICTIM)))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        JsonNode reply = reply(answer.body());
        int inner = reply.path("status").asInt(0);
        answered =
            "HTTP "
                + answer.statusCode()
                + (inner > 0 ? ", Jolokia status " + inner : "")
                + ": "
                + shorten(reply.path("error").asText(answer.body()));
        refused = !handshakeRefused && (answer.statusCode() == 403 || inner == 403);
      } catch (IOException e) {
        answered = "TLS handshake refused: " + e;
        refused = handshakeRefused;
      }
      // The agent's next libvirt sample (every second) would show the domain gone.
      Thread.sleep(2000);
      DomainState now =
          victim.domains().stream()
              .filter(d -> d.name().equals(domain))
              .map(AgentJolokia.Domain::state)
              .findFirst()
              .orElse(null);
      return new Attempt(
          "door",
          what,
          MAIN,
          answered + "; " + domain + " on dmz01 is " + (now == null ? "GONE" : now),
          refused && now == DomainState.RUNNING);
    } catch (JolokiaException | IOException | IllegalStateException e) {
      return new Attempt("door", what, MAIN, "could not be measured: " + e, false);
    }
  }

  /** The answer's JSON, or an empty object when it is none. */
  private static JsonNode reply(String body) {
    try {
      JsonNode reply = JSON.readTree(body);
      return reply == null ? JSON.createObjectNode() : reply;
    } catch (IOException e) {
      return JSON.createObjectNode().put("error", "not JSON: " + body);
    }
  }

  private static String shorten(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= 160 ? line : line.substring(0, 160) + "…";
  }
}
