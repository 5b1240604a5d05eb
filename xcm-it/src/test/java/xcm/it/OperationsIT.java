package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrate, balance and drain on a coordinator and three agents, each its own JVM on loopback,
 * through Jolokia, a JMX remote connector and the CLI. Domains move by the agents' hand-over on
 * libvirt's test driver. Each test leaves every host ACTIVE; domains may end anywhere.
 */
class OperationsIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final List<String> AGENT_JVM =
      List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k");

  @TempDir static Path dir;
  private static Path password;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static String jmxUrl;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    password = Files.writeString(dir.resolve("password"), "s3cret");
    Path jmxPasswords = Files.writeString(dir.resolve("jmx.password"), "operator s3cret\n");
    Files.setPosixFilePermissions(jmxPasswords, PosixFilePermissions.fromString("rw-------"));
    Path jmxAccess = Files.writeString(dir.resolve("jmx.access"), "operator readwrite\n");
    int jmxPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      jmxPort = socket.getLocalPort();
    }
    coordinator =
        Jvm.start(
            "ops-coordinator",
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            "xcm-coordinator/target/xcm-coordinator.jar",
            List.of(
                "--jolokia-port",
                "0",
                "--metrics-port",
                "0",
                "--collect-interval",
                "1s",
                "--state-dir",
                dir.resolve("state").toString(),
                "--agent-password-file",
                password.toString(),
                "--jolokia-registration-password-file",
                password.toString(),
                "--jolokia-password-file",
                password.toString(),
                "--jmx-port",
                Integer.toString(jmxPort),
                "--jmx-password-file",
                jmxPasswords.toString(),
                "--jmx-access-file",
                jmxAccess.toString(),
                "-D",
                "xcm.coordinator.cooldown=0s",
                "-D",
                "xcm.coordinator.migration.per-host=2"));
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
    jmxUrl =
        Files.readAllLines(coordinator.log).stream()
            .filter(l -> l.trim().startsWith("JMX"))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    for (String host : List.of("dmz01", "dmz02", "dmz03")) {
      agents.put(
          host,
          Jvm.start(
              "ops-" + host,
              AGENT_JVM,
              "xcm-agent/target/xcm-agent.jar",
              List.of(
                  "--libvirt-uri",
                  "test://" + Jvm.ROOT.resolve("nodes/" + host + ".xml"),
                  "--sample-interval",
                  "1s",
                  "--jolokia-port",
                  "0",
                  "--metrics-port",
                  "0",
                  "--jolokia-password-file",
                  password.toString(),
                  "--coordinator",
                  coordinator.jolokiaUrl,
                  "--coordinator-password-file",
                  password.toString())));
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 3);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** Domain name → host, read from the agents themselves after a fresh sample. */
  private static Map<String, String> placement() throws Exception {
    Map<String, String> where = new HashMap<>();
    for (Map.Entry<String, Jvm> agent : agents.entrySet()) {
      Jolokia client = new Jolokia(agent.getValue().jolokiaUrl, "xcm", "s3cret");
      client.exec("xcm:type=HostOperations", "sampleNow");
      JsonNode domains = client.read("xcm:type=Domain,*");
      for (JsonNode d : domains.path("value")) {
        String previous = where.put(d.path("Name").asText(), agent.getKey());
        assertThat(previous).as("%s defined on two hosts", d.path("Name").asText()).isNull();
      }
    }
    return where;
  }

  private static JsonNode awaitEnd(String id) {
    String mbean = "xcm:type=Operation,id=\"" + id + "\"";
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> !xcm.read(mbean).path("value").path("State").asText().equals("RUNNING"));
    try {
      return xcm.read(mbean).path("value");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String hostOf(String domain) throws Exception {
    return placement().get(domain);
  }

  @Test
  void migrateThroughJolokiaMovesTheDomainAndNothingElse() throws Exception {
    Map<String, String> before = placement();
    String domain = "web01";
    String to = before.get(domain).equals("dmz02") ? "dmz03" : "dmz02";

    String id = xcm.exec(OPERATIONS, "migrate", domain, to).path("value").asText();
    JsonNode op = awaitEnd(id);

    assertThat(op.path("State").asText()).isEqualTo("SUCCEEDED");
    assertThat(op.path("RequestedBy").asText()).isEqualTo("jolokia:xcm");
    Map<String, String> after = placement();
    assertThat(after.get(domain)).isEqualTo(to);
    before.remove(domain);
    after.remove(domain);
    assertThat(after).isEqualTo(before);
    String metrics = Jolokia.get(coordinator.metricsUrl);
    assertThat(metrics)
        .containsPattern("xcm_migrations_total\\{result=\"succeeded\"} [1-9]")
        .contains("xcm_migration_duration_seconds_count")
        .containsPattern("xcm_migration_downtime_seconds_count [1-9]")
        .containsPattern("xcm_operations\\{state=\"SUCCEEDED\"} [1-9]");
  }

  @Test
  void badRequestsAreRefusedNamingTheThingAndTheReasonAndChangeNothing() throws Exception {
    Map<String, String> before = placement();
    String host = before.get("db01");

    assertThat(xcm.exec(OPERATIONS, "migrate", "nope", "dmz02").path("error").asText())
        .endsWith("unknown domain 'nope': it is on no host of the cluster");
    assertThat(xcm.exec(OPERATIONS, "migrate", "db01", "dmz09").path("error").asText())
        .endsWith("unknown host 'dmz09'; hosts are [dmz01, dmz02, dmz03]");
    assertThat(xcm.exec(OPERATIONS, "migrate", "db01", host).path("error").asText())
        .endsWith("domain db01 already runs on host " + host);
    assertThat(xcm.exec(OPERATIONS, "drain", "dmz09", "false").path("error").asText())
        .endsWith("unknown host 'dmz09'; hosts are [dmz01, dmz02, dmz03]");
    assertThat(xcm.exec(OPERATIONS, "balance", "fastest", "true").path("error").asText())
        .contains("fastest");
    assertThat(xcm.exec(OPERATIONS, "cancel", "nope").path("error").asText())
        .contains("unknown operation 'nope'");
    assertThat(placement()).isEqualTo(before);
  }

  @Test
  void migrateToAHostInMaintenanceIsRefused() throws Exception {
    String empty = emptiest();
    awaitEnd(xcm.exec(OPERATIONS, "drain", empty, "false").path("value").asText());
    await().atMost(10, TimeUnit.SECONDS).until(() -> state(empty).equals("MAINTENANCE"));
    try {
      String domain = placement().keySet().iterator().next();
      assertThat(xcm.exec(OPERATIONS, "migrate", domain, empty).path("error").asText())
          .endsWith("host " + empty + " is MAINTENANCE: domains are placed only on ACTIVE hosts");
    } finally {
      xcm.exec(OPERATIONS, "activate", empty);
    }
    assertThat(state(empty)).isEqualTo("ACTIVE");
  }

  @Test
  void drainThroughJmxEmptiesTheHostWithinTheLimitsAndPutsItInMaintenance() throws Exception {
    String busiest = busiest();
    int domains = (int) placement().values().stream().filter(busiest::equals).count();
    Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"});
    String id;
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl), env)) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      id =
          (String)
              jmx.invoke(
                  new ObjectName(OPERATIONS),
                  "drain",
                  new Object[] {busiest, false},
                  new String[] {String.class.getName(), boolean.class.getName()});
    }
    try {
      JsonNode op = awaitEnd(id);

      assertThat(op.path("State").asText()).isEqualTo("SUCCEEDED");
      assertThat(op.path("RequestedBy").asText()).isEqualTo("jmx:operator");
      assertThat(op.path("MovesDone").asInt()).isEqualTo(domains);
      assertThat(op.path("MovesInFlightPeak").asInt())
          .as("moves in flight off one host, at most the per-host limit")
          .isBetween(1, 2);
      assertThat(placement()).doesNotContainValue(busiest);
      await().atMost(10, TimeUnit.SECONDS).until(() -> state(busiest).equals("MAINTENANCE"));
    } finally {
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  !state(busiest).equals("DRAINING")
                      || !xcm.read("xcm:type=Operation,id=\"" + id + "\"")
                          .path("value")
                          .path("State")
                          .asText()
                          .equals("RUNNING"));
      xcm.exec(OPERATIONS, "activate", busiest);
    }
  }

  @Test
  void drainIsRefusedNamingTheDomainsThatFitNowhere() throws Exception {
    String host = busiest();
    Jolokia agent = new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret");
    String huge =
        "<domain type='test'><name>huge01</name><uuid>dddddddd-0000-4000-8000-000000000001</uuid>"
            + "<memory unit='GiB'>40</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
    agent.exec("xcm:type=HostOperations", "defineDomain", huge);
    agent.exec("xcm:type=HostOperations", "startDomain", "huge01");
    try {
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () ->
                  xcm.read("xcm:type=Cluster,host=\"" + host + "\"")
                      .path("value")
                      .path("Domains")
                      .toString()
                      .contains("huge01"));
      Map<String, String> before = placement();

      String error = xcm.exec(OPERATIONS, "drain", host, "false").path("error").asText();

      assertThat(error).contains("cannot drain host " + host).contains("huge01");
      assertThat(state(host)).isEqualTo("ACTIVE");
      assertThat(placement()).isEqualTo(before);
    } finally {
      agent.exec("xcm:type=HostOperations", "destroyDomain", "huge01");
      agent.exec("xcm:type=HostOperations", "undefineDomain", "huge01");
    }
  }

  @Test
  void racingRequestsFromManyClientsThroughJolokiaStartOneDrainAndRefuseTheRest() throws Exception {
    String busiest = busiest();
    int threads = 8;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<JsonNode>> replies = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      replies.add(
          pool.submit(
              () -> {
                // Each its own client and connection, all at once.
                Jolokia client = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
                start.await();
                return client.exec(OPERATIONS, "drain", busiest, "false");
              }));
    }
    List<String> started = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (java.util.concurrent.Future<JsonNode> reply : replies) {
      JsonNode r = reply.get(60, TimeUnit.SECONDS);
      if (r.path("status").asInt() == 200) {
        started.add(r.path("value").asText());
      } else {
        assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(400);
        refused.add(r.path("error").asText());
      }
    }
    pool.shutdown();
    assertThat(started).as("drains started").hasSize(1);
    String id = started.get(0);
    try {
      assertThat(refused)
          .hasSize(threads - 1)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isEqualTo(
                          "host " + busiest + " is already DRAINING (operation " + id + ")"));
      // While the drain runs: a balance, and a second drain from the webhook's or the CLI's door.
      JsonNode balance = xcm.exec(OPERATIONS, "balance", "weighted", "false");
      boolean stillRunning =
          xcm.read("xcm:type=Operation,id=\"" + id + "\"")
              .path("value")
              .path("State")
              .asText()
              .equals("RUNNING");
      if (stillRunning) {
        assertThat(balance.path("status").asInt()).as(balance.toString()).isEqualTo(400);
        assertThat(balance.path("error").asText())
            .isEqualTo(
                "operation "
                    + id
                    + " (drain "
                    + busiest
                    + ") is running; wait for it to end or cancel it");
      }
      assertThat(awaitEnd(id).path("State").asText()).isEqualTo("SUCCEEDED");
      assertThat(placement()).doesNotContainValue(busiest);
    } finally {
      await().atMost(10, TimeUnit.SECONDS).until(() -> !state(busiest).equals("DRAINING"));
      xcm.exec(OPERATIONS, "activate", busiest);
    }
    assertThat(state(busiest)).isEqualTo("ACTIVE");
  }

  @Test
  void cliPlansABalanceAndADrainAndListsOperations() throws Exception {
    String balance = cli("balance", "--dry-run", "--policy", "domain-count,target=strict");
    String drain = cli("drain", emptiest(), "--dry-run");
    String ops = cli("ops");

    assertThat(balance).startsWith("plan: domain-count").contains("lower bound");
    assertThat(drain).startsWith("plan: drain:best-fit");
    assertThat(ops.lines().findFirst().orElseThrow()).startsWith("ID");
    assertThat(ops).contains("SUCCEEDED (dry run)");
    String history = cli("history");
    assertThat(history.lines().findFirst().orElseThrow()).startsWith("TIME");
    assertThat(history).containsPattern("jolokia:xcm +drain \\(dry run\\) dmz0");
  }

  @Test
  void balanceThroughTheCliRunsAndEveryDomainStaysOnExactlyOneHost() throws Exception {
    Map<String, String> before = placement();

    String out = cli("balance", "--policy", "domain-count,target=strict");

    assertThat(out).contains("operation ").containsPattern("operation \\S+ SUCCEEDED");
    Map<String, String> after = placement();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    Map<String, Integer> counts = new HashMap<>();
    after.values().forEach(h -> counts.merge(h, 1, Integer::sum));
    int target = (after.size() + agents.size() - 1) / agents.size();
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(target));
  }

  private static String state(String host) throws Exception {
    return xcm.read("xcm:type=Cluster,host=\"" + host + "\"").path("value").path("State").asText();
  }

  private static String busiest() throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    agents.keySet().forEach(h -> counts.put(h, 0));
    placement().values().forEach(h -> counts.merge(h, 1, Integer::sum));
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static String emptiest() throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    agents.keySet().forEach(h -> counts.put(h, 0));
    placement().values().forEach(h -> counts.merge(h, 1, Integer::sum));
    return counts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static String cli(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Jvm.ROOT.resolve("xcm-coordinator/target/xcm-coordinator.jar").toString(),
                "xcm.coordinator.cli.Cli"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("--url", coordinator.jolokiaUrl, "--password-file", password.toString()));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor()).as(out).isZero();
    return out;
  }

  @SuppressWarnings("unused")
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
