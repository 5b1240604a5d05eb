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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.ObjectNames;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Migrate, balance and drain on a coordinator and three agents, each its own JVM on loopback,
 * through Jolokia, a JMX remote connector and the CLI. Domains move by the agents' hand-over on
 * libvirt's test driver. Each test leaves every host ACTIVE; domains may end anywhere.
 */
class OperationsIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  @TempDir static Path dir;
  private static Path password;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static String jmxUrl;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    password = Secrets.write(dir.resolve("password"), "s3cret");
    // The agents hand domains over to each other as their peer user, who may do only that.
    Path peerPassword = Secrets.write(dir.resolve("peer.password"), "peer-s3cret");
    Path jmxPasswords = Secrets.write(dir.resolve("jmx.password"), "operator s3cret\n");
    Files.setPosixFilePermissions(jmxPasswords, PosixFilePermissions.fromString("rw-------"));
    Path jmxAccess = Files.writeString(dir.resolve("jmx.access"), "operator readwrite\n");
    int jmxPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      jmxPort = socket.getLocalPort();
    }
    coordinator =
        Jvm.coordinator("ops-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .with("--jmx-port", jmxPort)
            .with("--jmx-password-file", jmxPasswords)
            .with("--jmx-access-file", jmxAccess)
            .property("xcm.coordinator.cooldown=0s")
            .property("xcm.coordinator.migration.per-host=2")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret", coordinator.authority());
    jmxUrl =
        Files.readAllLines(coordinator.log).stream()
            .filter(l -> l.trim().startsWith("JMX"))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    for (String host : List.of("dmz01", "dmz02", "dmz03")) {
      agents.put(
          host,
          Jvm.agent("ops-" + host, Jvm.testNode(host))
              .with("--sample-interval", "1s")
              .with("--jolokia-password-file", password)
              .joining(coordinator, xcm, dir, host)
              .start());
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
      Jolokia client =
          new Jolokia(agent.getValue().jolokiaUrl, "xcm", "s3cret", coordinator.authority());
      client.exec("xcm:type=HostOperations", "sampleNow");
      JsonNode domains = client.read("xcm:type=Domain,*");
      for (JsonNode d : domains.path("value")) {
        String previous = where.put(d.path("Name").asText(), agent.getKey());
        assertThat(previous).as("%s defined on two hosts", d.path("Name").asText()).isNull();
      }
    }
    return where;
  }

  private static JsonNode awaitEnd(String id) throws Exception {
    return xcm.awaitOperationEnd(id, Duration.ofSeconds(60));
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
      Map<String, String> before = placement();
      String domain = before.keySet().iterator().next();
      assertThat(xcm.exec(OPERATIONS, "migrate", domain, empty).path("error").asText())
          .endsWith("host " + empty + " is MAINTENANCE: domains are placed only on ACTIVE hosts");
      assertThat(placement()).isEqualTo(before);
      assertThat(state(empty)).isEqualTo("MAINTENANCE");
    } finally {
      xcm.exec(OPERATIONS, "activate", empty);
    }
    assertThat(state(empty)).isEqualTo("ACTIVE");
  }

  @Test
  void drainThroughJmxEmptiesTheHostWithinTheLimitsAndPutsItInMaintenance() throws Exception {
    String busiest = busiest();
    int domains = (int) placement().values().stream().filter(busiest::equals).count();
    try (JMXConnector connector = jmxConnect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      String id = (String) invoke(jmx, "drain", busiest, false);
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
        invoke(jmx, "activate", busiest);
      }
    }
    assertThat(state(busiest)).isEqualTo("ACTIVE");
  }

  @Test
  void migrateAndBalanceThroughJmxRunAndShowTheirOperations() throws Exception {
    String policy = "domain-count,target=strict";
    try (JMXConnector connector = jmxConnect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      Map<String, String> before = placement();
      String domain = "web02";
      String to = before.get(domain).equals("dmz03") ? "dmz01" : "dmz03";

      String migrate = (String) invoke(jmx, "migrate", domain, to);
      awaitEnd(jmx, migrate);

      assertThat(attribute(jmx, migrate, "State")).isEqualTo("SUCCEEDED");
      assertThat(attribute(jmx, migrate, "RequestedBy")).isEqualTo("jmx:operator");
      assertThat(attribute(jmx, migrate, "MovesDone")).isEqualTo(1);
      Map<String, String> moved = new HashMap<>(before);
      moved.put(domain, to);
      assertThat(placement()).isEqualTo(moved);

      CompositeData plan = (CompositeData) invoke(jmx, "planBalance", policy);
      String dryRun = (String) invoke(jmx, "balance", policy, true);
      awaitEnd(jmx, dryRun);

      assertThat((String) plan.get("policy")).startsWith("domain-count");
      int planned = ((CompositeData[]) plan.get("moves")).length;
      assertThat((int) plan.get("lowerBound")).isBetween(0, planned);
      assertThat(attribute(jmx, dryRun, "State")).isEqualTo("SUCCEEDED");
      assertThat(attribute(jmx, dryRun, "DryRun")).isEqualTo(true);
      assertThat(attribute(jmx, dryRun, "MovesDone")).isEqualTo(0);
      assertThat(placement()).as("a dry run moves nothing").isEqualTo(moved);

      String balance = (String) invoke(jmx, "balance", policy, false);
      awaitEnd(jmx, balance);

      assertThat(attribute(jmx, balance, "State")).isEqualTo("SUCCEEDED");
      assertThat(attribute(jmx, balance, "RequestedBy")).isEqualTo("jmx:operator");
      assertThat(attribute(jmx, balance, "DryRun")).isEqualTo(false);
      int total = (int) attribute(jmx, balance, "MovesTotal");
      assertThat(attribute(jmx, balance, "MovesDone")).isEqualTo(total);
      assertThat((int) attribute(jmx, balance, "MovesInFlightPeak"))
          .as("moves in flight, at most the per-host limit")
          .isBetween(total == 0 ? 0 : 1, 2);
      Map<String, String> after = placement();
      assertThat(after.keySet()).isEqualTo(before.keySet());
      Map<String, Integer> counts = new HashMap<>();
      after.values().forEach(h -> counts.merge(h, 1, Integer::sum));
      int target = (after.size() + agents.size() - 1) / agents.size();
      assertThat(counts.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(target));
    }
  }

  @Test
  void cancelThroughJmxStopsARunningDrainAfterTheMovesInFlight() throws Exception {
    // Enough moves that a cancel sent once the first move runs finds most still queued: at most
    // two run at once (the per-host limit on the source), and each takes several agent calls.
    String host = busiest();
    Jolokia agent =
        new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret", coordinator.authority());
    List<String> spares = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      String name = String.format("spare%02d", i);
      agent.change("defineDomain", smallDomain(name, i));
      agent.change("startDomain", name);
      spares.add(name);
    }
    String id = null;
    try (JMXConnector connector = jmxConnect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      try {
        await()
            .atMost(10, TimeUnit.SECONDS)
            .until(
                () ->
                    xcm.read("xcm:type=Cluster,host=\"" + host + "\"")
                        .path("value")
                        .path("Domains")
                        .toString()
                        .contains("spare08"));
        Map<String, String> before = placement();

        id = (String) invoke(jmx, "drain", host, false);
        String mbean = "xcm:type=Operation,id=\"" + id + "\"";
        List<String> startedBeforeCancel = new ArrayList<>();
        await()
            .atMost(30, TimeUnit.SECONDS)
            .pollInterval(20, TimeUnit.MILLISECONDS)
            .until(
                () -> {
                  startedBeforeCancel.clear();
                  for (JsonNode m : xcm.read(mbean).path("value").path("Moves")) {
                    if (!m.path("state").asText().equals("PENDING")) {
                      startedBeforeCancel.add(m.path("domain").asText());
                    }
                  }
                  return !startedBeforeCancel.isEmpty();
                });
        invoke(jmx, "cancel", id);
        awaitEnd(jmx, id);

        assertThat(attribute(jmx, id, "State")).isEqualTo("CANCELLED");
        assertThat(attribute(jmx, id, "MovesFailed")).isEqualTo(0);
        assertThat((int) attribute(jmx, id, "MovesInFlightPeak")).isBetween(1, 2);
        JsonNode moves = xcm.read(mbean).path("value").path("Moves");
        Map<String, String> expected = new HashMap<>(before);
        List<String> cancelled = new ArrayList<>();
        for (JsonNode m : moves) {
          String domain = m.path("domain").asText();
          String moveState = m.path("state").asText();
          assertThat(moveState).as(domain).isIn("SUCCEEDED", "CANCELLED");
          if (moveState.equals("SUCCEEDED")) {
            expected.put(domain, m.path("to").asText());
          } else {
            cancelled.add(domain);
          }
        }
        assertThat(cancelled).as("moves not started when cancelled").isNotEmpty();
        assertThat(startedBeforeCancel)
            .as("moves in flight when cancelled finish")
            .doesNotContainAnyElementsOf(cancelled);
        assertThat(attribute(jmx, id, "MovesDone")).isEqualTo(moves.size() - cancelled.size());
        assertThat(placement())
            .as("succeeded moves on their destination, cancelled ones on the source")
            .isEqualTo(expected);
        assertThat(state(host)).as("a cancelled drain leaves its host").isEqualTo("DRAINING");
      } finally {
        if (id != null) {
          awaitEnd(jmx, id);
        }
        Map<String, String> where = placement();
        for (String spare : spares) {
          if (!where.containsKey(spare)) {
            continue;
          }
          Jolokia on =
              new Jolokia(
                  agents.get(where.get(spare)).jolokiaUrl,
                  "xcm",
                  "s3cret",
                  coordinator.authority());
          on.change("destroyDomain", spare);
          on.change("undefineDomain", spare);
        }
        invoke(jmx, "activate", host);
      }
    }
    assertThat(state(host)).isEqualTo("ACTIVE");
  }

  @Test
  void drainIsRefusedNamingTheDomainsThatFitNowhere() throws Exception {
    String host = busiest();
    Jolokia agent =
        new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret", coordinator.authority());
    String huge =
        "<domain type='test'><name>huge01</name><uuid>dddddddd-0000-4000-8000-000000000001</uuid>"
            + "<memory unit='GiB'>40</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
    agent.change("defineDomain", huge);
    agent.change("startDomain", "huge01");
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

      assertThat(error).contains("cannot drain host \"" + host + "\"").contains("huge01");
      assertThat(state(host)).isEqualTo("ACTIVE");
      assertThat(placement()).isEqualTo(before);
    } finally {
      agent.change("destroyDomain", "huge01");
      agent.change("undefineDomain", "huge01");
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
                Jolokia client =
                    new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret", coordinator.authority());
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
    assertThat(history)
        .as("the CLI is its own door")
        .containsPattern("cli:xcm +drain \\(dry run\\) dmz0");
  }

  /**
   * {@code ./xcm status}: the first run writes the CLI's class-data archive as it exits, the next
   * runs start from it (the same answer, the archive untouched, not a word from the JVM), and one
   * whose archive was made with something else runs without it, then makes a new one.
   */
  @Test
  void theScriptsFirstStatusWritesTheClassArchiveTheNextStartFrom() throws Exception {
    Path archives = Jvm.ROOT.resolve("xcm-coordinator/target/cds");
    deleteTree(archives);

    Script first = script("status");
    Path archive = archives.resolve("cli.jsa");
    assertThat(first.exit()).as(first.out()).isZero();
    assertThat(first.out()).contains("dmz01").contains("ACTIVE");
    assertThat(archive).isNotEmptyFile();
    assertThat(archives.resolve("cli.made-with")).content().contains("cli.jvm");
    java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(archive);

    Script again = script("status");
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out().lines().filter(l -> l.contains("dmz0")).map(l -> l.split("\\s+")[0]))
        .containsExactlyElementsOf(
            first
                .out()
                .lines()
                .filter(l -> l.contains("dmz0"))
                .map(l -> l.split("\\s+")[0])
                .toList());
    assertThat(again.err()).as("the JVM says nothing of its archive").isEmpty();
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);

    Files.writeString(archives.resolve("cli.made-with"), "another JDK\n");
    Script stale = script("status");
    assertThat(stale.exit()).as(stale.out() + stale.err()).isZero();
    assertThat(stale.err()).isEmpty();
    assertThat(archives.resolve("cli.made-with")).content().contains("cli.jvm");
    try (var left = Files.list(archives)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("cli.jsa", "cli.made-with");
    }
  }

  @Test
  void cliMigratesDrainsActivatesAndCancelsAsItsOwnDoor() throws Exception {
    Map<String, String> before = placement();
    String domain = "mail01";
    String to = before.get(domain).equals("dmz02") ? "dmz03" : "dmz02";

    String migrate = cli("migrate", domain, to);

    String migrateId = operationId(migrate);
    assertThat(migrate).contains("operation " + migrateId + " SUCCEEDED");
    assertThat(hostOf(domain)).isEqualTo(to);
    assertThat(requestedBy(migrateId)).isEqualTo("cli:xcm");

    // The host that just took the domain: the drain has at least that one to move.
    String host = to;
    String drain = cli("drain", host);
    String drainId = operationId(drain);
    try {
      assertThat(drain).contains("operation " + drainId + " SUCCEEDED");
      assertThat(placement()).doesNotContainValue(host);
      await().atMost(10, TimeUnit.SECONDS).until(() -> state(host).equals("MAINTENANCE"));
      Map<String, String> drained = placement();

      // Cancelling a running operation: cancelThroughJmxStopsARunningDrainAfterTheMovesInFlight.
      Cli cancel = run("cancel", drainId);

      assertThat(cancel.exit()).isEqualTo(1);
      assertThat(cancel.out())
          .startsWith("xcm cancel: ")
          .endsWith("operation " + drainId + " already ended (SUCCEEDED)\n");
      assertThat(placement()).isEqualTo(drained);
      assertThat(state(host)).isEqualTo("MAINTENANCE");
    } finally {
      assertThat(cli("activate", host)).isEqualTo("host " + host + " is ACTIVE\n");
    }
    assertThat(state(host)).isEqualTo("ACTIVE");
    assertThat(requestedBy(drainId)).isEqualTo("cli:xcm");
    List<String> audit = new ArrayList<>();
    for (JsonNode e : xcm.read(OPERATIONS).path("value").path("AuditLog")) {
      audit.add(
          e.path("door").asText()
              + ":"
              + e.path("user").asText()
              + " "
              + e.path("action").asText());
    }
    assertThat(audit)
        .contains(
            "cli:xcm migrate " + domain + " to " + to,
            "cli:xcm drain " + host,
            "cli:xcm cancel " + drainId,
            "cli:xcm activate " + host);
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

  private static JMXConnector jmxConnect() throws IOException {
    Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"});
    return JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl), env);
  }

  /** An operation of {@code xcm:type=Operations} through JMX, with String and boolean arguments. */
  private static Object invoke(MBeanServerConnection jmx, String operation, Object... arguments)
      throws Exception {
    String[] signature = new String[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      signature[i] =
          arguments[i] instanceof Boolean ? boolean.class.getName() : String.class.getName();
    }
    return jmx.invoke(ObjectNames.operations(), operation, arguments, signature);
  }

  /** An attribute of {@code xcm:type=Operation,id="<id>"} read through JMX. */
  private static Object attribute(MBeanServerConnection jmx, String id, String name)
      throws Exception {
    return jmx.getAttribute(ObjectNames.operation(id), name);
  }

  private static void awaitEnd(MBeanServerConnection jmx, String id) {
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> !attribute(jmx, id, "State").equals("RUNNING"));
  }

  /** A small running domain for libvirt's test driver. */
  private static String smallDomain(String name, int n) {
    return String.format(
        "<domain type='test'><name>%s</name><uuid>eeeeeeee-0000-4000-8000-%012d</uuid>"
            + "<memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>",
        name, n);
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

  /** The output of a CLI command that succeeded. */
  private static String cli(String... args) throws Exception {
    Cli cli = run(args);
    assertThat(cli.exit()).as(cli.out()).isZero();
    return cli.out();
  }

  private record Cli(int exit, String out) {}

  private record Script(int exit, String out, String err) {}

  /** Runs {@code ./xcm COMMAND} of the checkout, as an operator types it. */
  private static Script script(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Jvm.ROOT.resolve("xcm").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of("--url", coordinator.jolokiaUrl, "--password-file", password.toString()));
    Path err = Files.createTempFile(dir, "script", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    return new Script(p.exitValue(), out, Files.readString(err));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Runs the CLI as {@code ./xcm} does; its output and errors together. */
  private static Cli run(String... args) throws Exception {
    List<String> command = new ArrayList<>(Jvm.COMMANDS.command(Program.CLI, List.of(args)));
    command.addAll(
        List.of("--url", coordinator.jolokiaUrl, "--password-file", password.toString()));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Cli(cli.waitFor(), out);
  }

  private static String requestedBy(String id) throws Exception {
    return xcm.read("xcm:type=Operation,id=\"" + id + "\"")
        .path("value")
        .path("RequestedBy")
        .asText();
  }

  /** The id in the CLI's "operation ID: what" line. */
  private static String operationId(String out) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("operation (\\S+): ").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  @SuppressWarnings("unused")
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
