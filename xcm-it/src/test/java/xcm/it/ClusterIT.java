package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.trust.HostCredentials;

/**
 * A coordinator and three agents (dmz01 with 8 domains, dmz02, dmz03 on libvirt's test driver),
 * each its own JVM on loopback, driven from outside through Jolokia, /metrics and the CLI. Every
 * test leaves the cluster as it found it.
 */
class ClusterIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final int UNREACHABLE_AFTER = 2;
  private static final String CLUSTER = "xcm:type=Cluster";
  private static final String OPERATIONS = "xcm:type=Operations";
  @TempDir static Path dir;
  private static Path agentPassword;
  private static Path coordinatorPassword;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // Each agent's local operator user, for the test's own reads; the coordinator has none.
    agentPassword = Secrets.write(dir.resolve("agents.password"), "agent-secret");
    coordinatorPassword = Secrets.write(dir.resolve("coordinator.password"), "coordinator-secret");
    coordinator =
        Jvm.coordinator("coordinator", INTERVAL.toMillis() + "ms")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", coordinatorPassword)
            .property("xcm.coordinator.agent-timeout=500ms")
            .property("xcm.coordinator.unreachable-after-rounds=" + UNREACHABLE_AFTER)
            .property("xcm.coordinator.dead-host-check-interval=500ms")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "coordinator-secret");
    for (String host : List.of("dmz01", "dmz02", "dmz03")) {
      agents.put(host, startAgent(host));
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> cluster().path("ActiveHostCount").asInt() == 3);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** An agent that enrols with a token, as {@code ./xcm demo} starts them. */
  private static Jvm startAgent(String host) throws IOException {
    return Jvm.agent(host, Jvm.testNode(host))
        .with("--sample-interval", INTERVAL.toMillis() + "ms")
        .with("--jolokia-password-file", agentPassword)
        .with("--label", "rack=r" + host.substring(3))
        .joining(coordinator, xcm, dir, host)
        .start();
  }

  /** The agent of {@code host} as the test reads it: over TLS, as its local operator. */
  private static Jolokia agent(String host) {
    return new Jolokia(agents.get(host).jolokiaUrl, "xcm", "agent-secret", coordinator.authority());
  }

  private static JsonNode cluster() throws Exception {
    return xcm.read(CLUSTER).path("value");
  }

  private static JsonNode host(String name) throws Exception {
    return xcm.read("xcm:type=Cluster,host=\"" + name + "\"");
  }

  private static Map<String, JsonNode> rows() throws Exception {
    Map<String, JsonNode> rows = new HashMap<>();
    cluster().path("Hosts").forEach(h -> rows.put(h.path("name").asText(), h));
    return rows;
  }

  @Test
  void summaryViewShowsEveryHostWithItsDomains() throws Exception {
    Map<String, JsonNode> rows = rows();

    assertThat(rows).containsOnlyKeys("dmz01", "dmz02", "dmz03");
    assertThat(rows.get("dmz01").path("labels").asText()).isEqualTo("rack=r01");
    assertThat(host("dmz01").path("value").path("Labels").toString())
        .isEqualTo("{\"rack\":\"r01\"}");
    assertThat(rows.get("dmz01").path("domains").asInt()).isEqualTo(8);
    assertThat(rows.get("dmz01").path("memoryUsedBytes").asLong())
        .isEqualTo(24L * 1024 * 1024 * 1024 - 1536L * 1024 * 1024);
    assertThat(rows.get("dmz02").path("domains").asInt()).isZero();
    assertThat(rows.get("dmz03").path("cpus").asInt()).isEqualTo(16);
    assertThat(rows.values())
        .allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("ACTIVE"));
    JsonNode cluster = cluster();
    assertThat(cluster.path("DomainCount").asInt()).isEqualTo(8);
    assertThat(cluster.path("HostCount").asInt()).isEqualTo(3);
  }

  @Test
  void detailedViewListsEveryDomainOfAHost() throws Exception {
    JsonNode dmz01 = host("dmz01").path("value");

    List<String> names = new ArrayList<>();
    dmz01.path("Domains").forEach(d -> names.add(d.path("name").asText()));
    assertThat(names)
        .containsExactly("app01", "app02", "db01", "dns01", "mail01", "proxy01", "web01", "web02");
    assertThat(dmz01.path("Url").asText()).isEqualTo(agents.get("dmz01").jolokiaUrl);
  }

  /** The coordinator's detailed view of the domain on {@code host}: its row in Domains. */
  private static JsonNode domainRow(String host, String domain) throws Exception {
    for (JsonNode row : host(host).path("value").path("Domains")) {
      if (row.path("name").asText().equals(domain)) {
        return row;
      }
    }
    return null;
  }

  @Test
  void placementRulesSetThroughAnAgentReachTheCoordinatorsDetailedView() throws Exception {
    Jolokia dmz01 = agent("dmz01");
    try {
      JsonNode set = dmz01.change("setPlacement", "db01", "apart db; restart high");
      assertThat(set.path("status").asInt()).as(set.toString()).isEqualTo(200);

      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () -> domainRow("dmz01", "db01").path("rules").asText(),
              rules -> rules.equals("apart db; restart high"));
      assertThat(domainRow("dmz01", "db01").path("rulesError").asText()).isEmpty();
      assertThat(domainRow("dmz01", "web01").path("rules").asText()).isEmpty();
    } finally {
      dmz01.change("setPlacement", "db01", "");
    }
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> domainRow("dmz01", "db01").path("rules").asText().isEmpty());
  }

  @Test
  void killedAgentIsUnreachableWithinTheConfiguredRoundsAndActiveAgainWhenRestarted()
      throws Exception {
    long roundAtKill = cluster().path("CollectRounds").asLong();
    agents.get("dmz03").kill();

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> rows().get("dmz03").path("state").asText().equals("UNREACHABLE"));
    long roundsTaken = cluster().path("CollectRounds").asLong() - roundAtKill;
    // The round under way when the agent died may still have read it.
    assertThat(roundsTaken).isLessThanOrEqualTo(UNREACHABLE_AFTER + 1);
    assertThat(host("dmz03").path("value").path("LastError").asText()).contains("does not answer");
    assertThat(Jolokia.get(coordinator.metricsUrl)).contains("xcm_host_up{host=\"dmz03\"} 0.0");

    agents.put("dmz03", startAgent("dmz03"));

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> rows().get("dmz03").path("state").asText().equals("ACTIVE"));
    assertThat(Jolokia.get(coordinator.metricsUrl)).contains("xcm_host_up{host=\"dmz03\"} 1.0");
    assertThat(rows().get("dmz03").path("url").asText()).isEqualTo(agents.get("dmz03").jolokiaUrl);
  }

  @Test
  void domainDefinedOnAnAgentAppearsInTheDetailedViewWithinTwoIntervals() throws Exception {
    Jolokia dmz02 = agent("dmz02");
    String xml =
        "<domain type='test'><name>late01</name><uuid>cccccccc-0000-4000-8000-000000000001</uuid>"
            + "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

    long defined = System.nanoTime();
    assertThat(dmz02.change("defineDomain", xml).path("value").asText()).isEqualTo("late01");
    await()
        .atMost(INTERVAL.multipliedBy(2).plusMillis(500))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> host("dmz02").path("value").path("Domains").toString().contains("\"late01\""));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - defined);
    assertThat(millis).isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plusMillis(500).toMillis());

    dmz02.change("undefineDomain", "late01");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> rows().get("dmz02").path("domains").asInt() == 0);
  }

  @Test
  void addingAnAgentAgainChangesNothing() throws Exception {
    JsonNode before = rows().get("dmz01");

    JsonNode reply = xcm.exec(OPERATIONS, "addHost", agents.get("dmz01").jolokiaUrl);

    assertThat(reply.path("value").asText()).isEqualTo("dmz01");
    assertThat(cluster().path("HostCount").asInt()).isEqualTo(3);
    assertThat(rows().get("dmz01").path("url").asText()).isEqualTo(before.path("url").asText());
  }

  @Test
  void addingWhatIsNotAnAgentIsRefusedNamingTheUrlAndTheReason() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String nobody = "http://127.0.0.1:" + closed + "/jolokia/";
    String metricsPage = agents.get("dmz01").metricsUrl + "/";
    String coordinatorItself = coordinator.jolokiaUrl;

    // None was enrolled there: refused before anything is sent.
    for (String url : List.of(nobody, metricsPage, coordinatorItself)) {
      assertThat(xcm.exec(OPERATIONS, "addHost", url).path("error").asText())
          .isEqualTo("no host is enrolled at " + url + ": hosts join by enrolment (./xcm hosts)");
    }
    assertThat(xcm.exec(OPERATIONS, "removeHost", "dmz09").path("error").asText())
        .endsWith("unknown host 'dmz09'; members are dmz01, dmz02, dmz03");
    assertThat(rows()).containsOnlyKeys("dmz01", "dmz02", "dmz03");
  }

  @Test
  void removedHostLeavesEveryViewAndMetricAndComesBackOnlyByEnrollingAgain() throws Exception {
    String url = agents.get("dmz02").jolokiaUrl;

    assertThat(xcm.exec(OPERATIONS, "removeHost", "dmz02").path("status").asInt()).isEqualTo(200);

    await().atMost(5, TimeUnit.SECONDS).until(() -> !rows().containsKey("dmz02"));
    assertThat(host("dmz02").path("status").asInt()).isEqualTo(404);
    assertThat(Jolokia.get(coordinator.metricsUrl)).doesNotContain("host=\"dmz02\"");
    // Its certificate is revoked: by its URL it is no member, and is sent nothing.
    assertThat(xcm.exec(OPERATIONS, "addHost", url).path("error").asText())
        .startsWith("no host is enrolled at " + url);

    // Back as a new member: a new key, a new token.
    agents.remove("dmz02").close();
    try (var keys = Files.walk(dir.resolve("dmz02-tls"))) {
      keys.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    agents.put("dmz02", startAgent("dmz02"));
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                rows().containsKey("dmz02")
                    && rows().get("dmz02").path("state").asText().equals("ACTIVE"));
  }

  @Test
  void coordinatorJolokiaExecutesOnlyXcmOperationsAndOnlyWithCredentials() throws Exception {
    assertThat(xcm.exec("java.lang:type=Memory", "gc").path("status").asInt()).isEqualTo(403);
    assertThat(xcm.read("java.lang:type=Memory").path("status").asInt()).isEqualTo(200);
    assertThat(new Jolokia(coordinator.jolokiaUrl, "xcm", "wrong").status(CLUSTER)).isEqualTo(401);
  }

  @Test
  void agentsTakeTheirLocalPasswordAndNoCoordinatorPassword() throws Exception {
    String dmz01 = agents.get("dmz01").jolokiaUrl;
    Path ca = coordinator.authority();

    assertThat(dmz01).startsWith("https://");
    assertThat(new Jolokia(dmz01, "xcm", "coordinator-secret", ca).status("xcm:type=Host"))
        .isEqualTo(401);
    assertThat(new Jolokia(dmz01, "xcm", "agent-secret", ca).status("xcm:type=Host"))
        .isEqualTo(200);
  }

  @Test
  void anotherAgentsCertificateMayOnlyHandDomainsOver() throws Exception {
    HostCredentials dmz02 = coordinator.agentCertificate("dmz02");
    Jolokia peer = new Jolokia(agents.get("dmz01").jolokiaUrl, coordinator.authority(), dmz02);
    String xml =
        "<domain type='test'><name>peer01</name><uuid>cccccccc-0000-4000-8000-000000000002</uuid>"
            + "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

    for (String[] exec :
        new String[][] {
          {"destroyDomain", "web01", "1"},
          {"undefineDomain", "web01", "1"},
          {"defineDomain", xml, "1"},
          {"migrate", "web01", agents.get("dmz02").jolokiaUrl, "", "1"},
          {"startDomain", "web01", "1"},
          {"sampleNow"}
        }) {
      JsonNode reply =
          peer.exec("xcm:type=HostOperations", exec[0], Arrays.copyOfRange(exec, 1, exec.length));
      assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(403);
      assertThat(reply.path("error").asText())
          .isEqualTo(
              "user agent:dmz02 has the peer role (exec of xcm:type=HostOperations"
                  + " prepareIncoming/finishIncoming/abortIncoming/completedMigration, read of"
                  + " xcm:type=Host, version): exec of xcm:type=HostOperations "
                  + exec[0]
                  + " refused");
    }
    assertThat(peer.read("xcm:type=Domain,name=\"web01\"").path("status").asInt()).isEqualTo(403);
    assertThat(peer.read("xcm:type=Host").path("value").path("Name").asText()).isEqualTo("dmz01");
    assertThat(rows().get("dmz01").path("domains").asInt()).isEqualTo(8);
    assertThat(host("dmz01").path("value").path("Domains").toString()).doesNotContain("peer01");
  }

  @Test
  void statusCommandPrintsTheSummaryAndOneHost() throws Exception {
    String summary = cli("status");
    String detail = cli("status", "--host", "dmz01");

    assertThat(summary.lines().findFirst().orElseThrow()).startsWith("HOST   STATE");
    assertThat(summary)
        .contains("dmz01  ACTIVE", "dmz02  ACTIVE", "dmz03  ACTIVE", "TOTAL  3/3 active");
    assertThat(detail).startsWith("dmz01  ACTIVE  16 CPUs");
    assertThat(detail.lines().filter(l -> l.startsWith("db01 ")).findFirst().orElseThrow())
        .contains("RUNNING", "8.0 GiB", "5eed0001-0000-4000-8000-000000000003");
  }

  @Test
  void theCoordinatorExportsTheClusterMetrics() throws Exception {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(Jolokia.get(coordinator.metricsUrl))
                    .contains(
                        "xcm_host_up{host=\"dmz01\"} 1",
                        "xcm_host_up{host=\"dmz02\"} 1",
                        "xcm_cluster_hosts{state=\"ACTIVE\"} 3")
                    .containsPattern("xcm_cluster_domains [1-9]")
                    .containsPattern("xcm_collect_duration_seconds_count [1-9]")
                    .contains("xcm_collect_errors_total{host=\"dmz01\"} 0"));
  }

  private static String cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(Jvm.COMMANDS.command(Program.CLI, List.of(args)));
    command.addAll(
        List.of(
            "--url", coordinator.jolokiaUrl, "--password-file", coordinatorPassword.toString()));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor()).as(out).isZero();
    return out;
  }
}
