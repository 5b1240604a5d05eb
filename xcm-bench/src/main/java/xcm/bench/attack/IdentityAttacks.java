package xcm.bench.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.CoordinatorJolokia;
import xcm.bench.Percentiles;
import xcm.client.JolokiaException;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.Role;

/**
 * Finding 3 of the attack on main: a host was only the name it claimed. Two slow connections made
 * dmz01's agent stop answering and the coordinator mark it UNREACHABLE; a listener claiming the
 * name dmz01 was then accepted in its place, and a drain of dmz01 planned nothing while the real
 * host still ran its 8 domains.
 */
final class IdentityAttacks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VICTIM = "dmz01";

  /** Slow clients come from loopback addresses of their own, as a stranger's would. */
  private static final List<String> ATTACKERS = List.of("127.0.0.2", "127.0.0.3");

  private final AttackCluster cluster;
  private final Settings settings;

  IdentityAttacks(AttackCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  List<Attempt> run() throws InterruptedException {
    List<Attempt> attempts = new ArrayList<>();
    attempts.add(slowConnections());
    attempts.add(claimName());
    attempts.add(drainDryRun());
    return attempts;
  }

  /** 3a: two slow unauthenticated connections to dmz01's Jolokia while the coordinator collects. */
  private Attempt slowConnections() throws InterruptedException {
    String what =
        "2 slow unauthenticated connections to dmz01's Jolokia (TLS, 1 header byte/s), "
            + settings.slow().toSeconds()
            + " s, while the coordinator collects every 1 s";
    String main = "dmz01's agent (one HTTP thread) stopped answering; dmz01 went UNREACHABLE";
    try {
      long roundsBefore = cluster.coordinator.collection().rounds();
      Map<HostState, Integer> seen = new TreeMap<>();
      List<Double> reads = new ArrayList<>();
      int open;
      int dropped;
      AgentJolokia victim = cluster.agents.get(VICTIM);
      try (SlowConnections slow =
          SlowConnections.open(
              cluster.agentUrls.get(VICTIM),
              2,
              ATTACKERS,
              Optional.of(cluster.trusting(Role.AGENT)))) {
        long end = System.nanoTime() + settings.slow().toNanos();
        while (System.nanoTime() < end) {
          seen.merge(state(VICTIM), 1, Integer::sum);
          long start = System.nanoTime();
          victim.domains();
          reads.add((System.nanoTime() - start) / 1e6);
          Thread.sleep(500);
        }
        open = slow.open();
        dropped = slow.dropped();
      }
      long rounds = cluster.coordinator.collection().rounds() - roundsBefore;
      Percentiles latency = new Percentiles(reads.stream().mapToDouble(d -> d).toArray());
      boolean held = seen.keySet().equals(java.util.Set.of(HostState.ACTIVE)) && rounds > 0;
      return new Attempt(
          "3a",
          what,
          main,
          String.format(
              "dmz01's state in %d polls %s; %d collection rounds; authenticated reads of dmz01"
                  + " p50 %.0f ms, max %.0f ms; slow connections open at the end %d, dropped by"
                  + " the agent %d",
              reads.size(), seen, rounds, latency.at(50), latency.at(100), open, dropped),
          held);
    } catch (JolokiaException e) {
      return new Attempt("3a", what, main, "dmz01 or the coordinator: " + e.getMessage(), false);
    }
  }

  /** 3b: another key asks the enrolment door for dmz01's name, with a valid token for dmz01. */
  private Attempt claimName() throws InterruptedException {
    String what =
        "enrolment request for the name dmz01 with another key and a valid token for dmz01";
    String main =
        "addHost of a listener claiming dmz01 was accepted (\"host dmz01 moved its agent to …\")";
    try {
      EnrolledHost before = enrolled(VICTIM);
      String token = cluster.coordinator.issueToken(VICTIM, 10);
      KeyPair impostor = Keys.generate(new SecureRandom());
      String body =
          JSON.createObjectNode()
              .put("host", VICTIM)
              .put("url", "https://127.0.0.1:1/jolokia/")
              .put("libvirtUuid", UUID.randomUUID().toString())
              .put(
                  "certificateRequest",
                  CertificateRequest.create(impostor, VICTIM, Optional.empty()).pem())
              .put("token", token)
              .toString();
      HttpResponse<String> answer =
          HttpClient.newBuilder()
              .sslContext(cluster.trusting(Role.COORDINATOR))
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(cluster.enrolUrl))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode reply = JSON.readTree(answer.body());
      String reason = reply.path("reason").asText();
      EnrolledHost after = enrolled(VICTIM);
      String url = cluster.coordinator.hostUrl(VICTIM);
      boolean held =
          answer.statusCode() == 403
              && reason.equals("name_taken")
              && after.fingerprint().equals(before.fingerprint())
              && url.equals(before.url())
              && url.equals(cluster.agentUrls.get(VICTIM));
      return new Attempt(
          "3b",
          what,
          main,
          String.format(
              "HTTP %d, reason %s; dmz01's URL %s (%s), its key %s",
              answer.statusCode(),
              reason.isEmpty() ? "none" : reason,
              url,
              url.equals(before.url()) ? "unchanged" : "CHANGED from " + before.url(),
              after.fingerprint().equals(before.fingerprint()) ? "unchanged" : "CHANGED"),
          held);
    } catch (JolokiaException | IOException | IllegalStateException e) {
      return new Attempt("3b", what, main, "could not be measured: " + e, false);
    }
  }

  /** 3c: a dry-run drain of dmz01 plans every domain its agent holds. */
  private Attempt drainDryRun() throws InterruptedException {
    String what = "drain dmz01 --dry-run";
    String main = "a drain of dmz01 ended SUCCEEDED, 0 of 0 moves, while it still ran its 8 VMs";
    try {
      int held = cluster.agents.get(VICTIM).domains().size();
      String id = cluster.coordinator.drain(VICTIM, true);
      Await.until(
          "drain " + id + " ended",
          Duration.ofSeconds(60),
          () -> cluster.coordinator.progress(id).state() != OperationState.RUNNING);
      CoordinatorJolokia.Operation op = cluster.coordinator.operation(id);
      long planned = op.moves().stream().filter(m -> m.from().equals(VICTIM)).count();
      HostState state = state(VICTIM);
      return new Attempt(
          "3c",
          what,
          main,
          String.format(
              "%s, %d moves planned for the %d domains dmz01's agent holds; dmz01 stays %s",
              op.state(), planned, held, state),
          op.state() == OperationState.SUCCEEDED
              && held > 0
              && planned == held
              && state == HostState.ACTIVE);
    } catch (JolokiaException | IllegalStateException e) {
      return new Attempt("3c", what, main, "could not be measured: " + e.getMessage(), false);
    }
  }

  private HostState state(String host) throws JolokiaException, InterruptedException {
    for (CoordinatorJolokia.Host h : cluster.coordinator.hosts()) {
      if (h.name().equals(host)) {
        return h.state();
      }
    }
    throw new IllegalStateException("the coordinator does not list host " + host);
  }

  private EnrolledHost enrolled(String host) throws JolokiaException, InterruptedException {
    return cluster.coordinator.enrolled().stream()
        .filter(e -> e.host().equals(host))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("host " + host + " is not enrolled"));
  }
}
