package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import xcm.bench.Lab;
import xcm.testkit.launch.Secrets;

/**
 * Real live migrations: a lab of three libvirtd + QEMU hosts made by {@code lab/xcm-lab} (what
 * {@code ./xcm lab up} runs), a coordinator, and an agent per host, each its own JVM. Every claim
 * about where a guest runs is checked against both libvirtds with virsh, not only against XCM.
 *
 * <p>host3 stands for a slow link: its agent caps live migrations at 1 MiB/s and aborts those that
 * have not ended within 4 s. The tests run in order; each leaves every host ACTIVE. Skipped (with
 * the reason) only where the machine cannot create mount namespaces.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final String HOST_OPERATIONS = "xcm:type=HostOperations";
  @TempDir static Path dir;
  private static Lab lab;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startLab() throws Exception {
    try {
      // Its sockets' paths must stay short: in target/ where that is short enough, else in /tmp.
      Path labDir = Jvm.ROOT.resolve("xcm-it/target/qemu-lab");
      if (labDir.toString().length() > 80) {
        labDir = Files.createTempDirectory("xcm-qemu-lab");
      }
      lab = Lab.up(Jvm.ROOT, labDir, 3, 2);
    } catch (Lab.UnavailableException e) {
      Assumptions.abort("no QEMU lab on this machine: " + e.getMessage());
    }
    Path password = Secrets.write(dir.resolve("password"), "s3cret");
    coordinator =
        Jvm.coordinator("qemu-coordinator", "1s")
            .with("--jolokia-password-file", password)
            .property("xcm.coordinator.cooldown=0s")
            .property("xcm.coordinator.migration.retries=0")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
    for (String host : lab.hosts()) {
      Jvm.Options agent =
          Jvm.agent("qemu-" + host, lab.uri(host))
              .with("--name", host)
              .with("--sample-interval", "1s")
              .with("--jolokia-password-file", password)
              .joining(coordinator, xcm, dir, host);
      if (host.equals("host3")) {
        agent
            .property("xcm.agent.migration.bandwidth=1")
            .property("xcm.agent.migration.timeout=4s");
      }
      agents.put(host, agent.start());
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 3);
  }

  @AfterAll
  static void stopLab() throws IOException {
    try {
      agents.values().forEach(Jvm::close);
      if (coordinator != null) {
        coordinator.close();
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  @Test
  @Order(1)
  void migrationMovesTheGuestsQemuAndTheGuestKeepsRunningWhereItWas() throws Exception {
    assertThat(lab.running("host1")).containsExactly("lab-vm1");
    long pidBefore = lab.qemuPid("host1", "lab-vm1");
    // The BIOS timer tick count (18.2 Hz): the guest's own uptime, which a restart would reset.
    await().atMost(30, TimeUnit.SECONDS).until(() -> ticks("host1", "lab-vm1") > 100);
    long ticksBefore = ticks("host1", "lab-vm1");
    // Rules set before the move are in the guest's definition, which libvirt's migration carries.
    JsonNode rules = agent("host1").change("setPlacement", "lab-vm1", "apart db; restart high");
    assertThat(rules.path("status").asInt()).as(rules.toString()).isEqualTo(200);
    assertThat(lab.virsh("host1", "metadata", "lab-vm1", "--uri", "urn:xcm:placement", "--config"))
        .contains("<apart group=\"db\" strength=\"hard\"/>");

    String id = xcm.exec(OPERATIONS, "migrate", "lab-vm1", "host2").path("value").asText();
    JsonNode op = awaitEnd(id);

    assertThat(op.path("State").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
    assertThat(lab.running("host2")).contains("lab-vm1");
    assertThat(lab.defined("host1")).doesNotContain("lab-vm1");
    long pidAfter = lab.qemuPid("host2", "lab-vm1");
    assertThat(pidAfter).isPositive().isNotEqualTo(pidBefore);
    assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ticks("host2", "lab-vm1")).isGreaterThanOrEqualTo(ticksBefore);
    // The rules are there on the destination, live and in the persistent definition, as virsh
    // reads them.
    for (String definition : List.of("--live", "--config")) {
      assertThat(
              lab.virsh("host2", "metadata", "lab-vm1", "--uri", "urn:xcm:placement", definition))
          .as(definition)
          .contains("<placement version=\"1\">")
          .contains("<apart group=\"db\" strength=\"hard\"/>")
          .contains("<restart priority=\"high\"/>");
    }
    assertThat(lab.virsh("host2", "dumpxml", "lab-vm1"))
        .contains("<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">");

    JsonNode move = op.path("Moves").get(0);
    // Now and then, on a loaded machine, libvirt leaves the downtime out of the destination's
    // completed job (seen twice in CI runs on this machine); XCM then reports -1, unknown, rather
    // than a figure of its own.
    long downtime = move.path("downtimeMillis").asLong();
    assertThat(downtime == -1 || (downtime >= 0 && downtime <= 2000))
        .as("downtime " + downtime + " ms: within 2 s, or -1 when libvirt gave none")
        .isTrue();
    JsonNode migration = lastMigration("host1");
    assertThat(migration.path("method").asText()).isEqualTo("LIBVIRT");
    assertThat(migration.path("migrationMillis").asLong()).isPositive();
    assertThat(migration.path("dataTransferredBytes").asLong()).isPositive();
    // libvirt's figures reach the coordinator's operation and metrics as the agent read them.
    for (String figure : List.of("downtimeMillis", "migrationMillis", "dataTransferredBytes")) {
      assertThat(move.path(figure).asLong()).as(figure).isEqualTo(migration.path(figure).asLong());
    }
    assertThat(Jolokia.get(coordinator.metricsUrl))
        .containsPattern(
            downtime >= 0
                ? "xcm_migration_downtime_seconds_count [1-9]"
                : "xcm_migration_duration_seconds_count [1-9]")
        .containsPattern("xcm_migration_transferred_bytes_total [1-9]");
    // Real QEMU's figures flow through the same MBeans and metrics as the test driver's.
    Jolokia host2 = agent("host2");
    host2.exec(HOST_OPERATIONS, "sampleNow");
    JsonNode domain = host2.read("xcm:type=Domain,name=\"lab-vm1\"").path("value");
    assertThat(domain.path("State").asText()).isEqualTo("RUNNING");
    assertThat(domain.path("Placement").asText()).isEqualTo("apart db; restart high");
    assertThat(domain.path("PlacementError").asText()).isEmpty();
    // Removed again on the destination, from both definitions: the later tests move it freely.
    host2.change("setPlacement", "lab-vm1", "");
    assertThat(lab.virsh("host2", "dumpxml", "lab-vm1", "--inactive"))
        .doesNotContain("urn:xcm:placement");
    assertThat(lab.virsh("host2", "dumpxml", "lab-vm1")).doesNotContain("urn:xcm:placement");
    assertThat(domain.path("MemoryBytes").asLong()).isEqualTo(64L << 20);
    // A guest coming in (paused, no devices yet) is no read error.
    assertThat(host2.read("xcm:type=Host").path("value").path("SampleErrors").asLong()).isZero();
    assertThat(Jolokia.get(agents.get("host2").metricsUrl))
        .containsPattern(
            "xcm_domain_cpu_seconds_total\\{domain=\"lab-vm1\",host=\"host2\",.*} (0\\.\\d*[1-9]|[1-9])")
        .containsPattern("xcm_domain_block_read_bytes_total\\{domain=\"lab-vm1\"");
  }

  @Test
  @Order(2)
  void drainMovesEveryRealGuestOffTheHost() throws Exception {
    assertThat(lab.running("host2")).containsExactlyInAnyOrder("lab-vm1", "lab-vm2");

    String id = xcm.exec(OPERATIONS, "drain", "host2", "false").path("value").asText();
    JsonNode op = awaitEnd(id);

    try {
      assertThat(op.path("State").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
      await().atMost(10, TimeUnit.SECONDS).until(() -> state("host2").equals("MAINTENANCE"));
      assertThat(lab.defined("host2")).isEmpty();
      for (String guest : List.of("lab-vm1", "lab-vm2")) {
        assertThat(hostsRunning(guest)).as(guest).hasSize(1).doesNotContain("host2");
      }
    } finally {
      xcm.exec(OPERATIONS, "activate", "host2");
    }
  }

  @Test
  @Order(3)
  void aLiveMigrationThatDoesNotConvergeIsAbortedAndTheGuestRunsOnTheSource() throws Exception {
    lab.guest("busy1", "host3", true);
    try {
      awaitDomain("host3", "busy1");

      String id = xcm.exec(OPERATIONS, "migrate", "busy1", "host1").path("value").asText();
      JsonNode op = awaitEnd(id);

      assertThat(op.path("State").asText()).isEqualTo("FAILED");
      assertThat(op.path("Moves").get(0).path("error").asText())
          .contains("PERFORM: the migration did not end within 4 s, so libvirt's job was aborted")
          .contains("libvirt rolled back, it runs on host3 as before")
          // The coordinator does not take the agent's word for it: it looked itself.
          .endsWith("; busy1 runs on host3");
      assertThat(lab.running("host3")).contains("busy1");
      assertThat(lab.defined("host1")).doesNotContain("busy1");
    } finally {
      lab.virsh("host3", "destroy", "busy1");
      lab.virsh("host3", "undefine", "busy1");
    }
  }

  @Test
  @Order(4)
  void thePeerUserReadsWhatALiveMigrationNeedsAndCanNeitherPlaceNorStopAGuest() throws Exception {
    String host = hostsRunning("lab-vm1").get(0);
    String other = lab.hosts().stream().filter(h -> !h.equals(host)).findFirst().orElseThrow();
    Jolokia peer =
        new Jolokia(
            agents.get(host).jolokiaUrl,
            coordinator.authority(),
            coordinator.agentCertificate(other));
    // A guest whose disk is the host's own: what a peer's XML could do if a host took it.
    String xml =
        "<domain type='qemu'><name>peer1</name><uuid>dddddddd-0000-4000-8000-000000000001</uuid>"
            + "<memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os><devices>"
            + "<disk type='block' device='disk'><source dev='/dev/sda'/><target dev='vda'/>"
            + "</disk></devices></domain>";

    assertThat(peer.read("xcm:type=Host").path("value").path("Name").asText()).isEqualTo(host);
    JsonNode prepare = peer.exec(HOST_OPERATIONS, "prepareIncoming", xml, "");
    // Without the coordinator's ticket (and a host that migrates live takes none by hand-over).
    assertThat(prepare.path("error").asText())
        .startsWith(host + ": hand-over of domain 'peer1' from " + other + " refused: MALFORMED");
    for (String operation : List.of("destroyDomain", "undefineDomain", "abortIncoming")) {
      JsonNode reply =
          operation.equals("abortIncoming")
              ? peer.exec(HOST_OPERATIONS, operation, "lab-vm1", "")
              : peer.exec(HOST_OPERATIONS, operation, "lab-vm1", "1");
      assertThat(reply.path("status").asInt())
          .as(operation + ": " + reply)
          .isEqualTo(operation.equals("abortIncoming") ? 400 : 403);
    }
    assertThat(peer.exec(HOST_OPERATIONS, "defineDomain", xml, "1").path("status").asInt())
        .isEqualTo(403);
    assertThat(
            peer.exec(HOST_OPERATIONS, "setPlacement", "lab-vm1", "pinned", "1")
                .path("status")
                .asInt())
        .isEqualTo(403);
    assertThat(lab.running(host)).contains("lab-vm1");
    assertThat(hostsDefining("peer1")).isEmpty();
  }

  @Test
  @Order(5)
  void anUnreachableDestinationChangesNothing() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String guest = lab.running("host1").isEmpty() ? "lab-vm2" : lab.running("host1").get(0);
    String host = hostsRunning(guest).get(0);
    Jolokia source = agent(host);

    String id =
        source
            .change("migrate", guest, "http://127.0.0.1:" + closed + "/jolokia/", "")
            .path("value")
            .asText();
    JsonNode status = awaitMigration(source, id);

    assertThat(status.path("state").asText()).isEqualTo("FAILED");
    assertThat(status.path("error").asText())
        .startsWith(
            "BEGIN: agent at http://127.0.0.1:"
                + closed
                + "/jolokia/ does not answer: connection refused")
        .endsWith("nothing changed, it runs on " + host);
    assertThat(hostsRunning(guest)).containsExactly(host);
  }

  /** Last: host3's agent does not come back. */
  @Test
  @Order(6)
  void whenTheSourceAgentDiesMidMigrationLibvirtLeavesExactlyOneRunningCopy() throws Exception {
    lab.guest("kill1", "host3", false);
    try {
      awaitDomain("host3", "kill1");
      Jolokia source = agent("host3");

      String id =
          source
              .change("migrate", "kill1", agents.get("host1").jolokiaUrl, "")
              .path("value")
              .asText();
      await()
          .pollInterval(20, TimeUnit.MILLISECONDS)
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> !awaitPhase(source, id).equals("BEGIN"));
      String jobBeforeKill = lab.virsh("host3", "domjobinfo", "kill1");
      agents.remove("host3").kill();

      assertThat(jobBeforeKill).as("libvirt's job ran when the agent died").contains("Unbounded");
      // While libvirt migrates, the source runs the guest and the destination holds it paused.
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> hostsDefining("kill1").size() == 1 && hostsRunning("kill1").size() == 1);
      assertThat(hostsRunning("kill1")).isEqualTo(hostsDefining("kill1"));
    } finally {
      for (String host : lab.hosts()) {
        if (lab.active(host).contains("kill1")) {
          lab.virsh(host, "destroy", "kill1");
        }
        if (lab.defined(host).contains("kill1")) {
          lab.virsh(host, "undefine", "kill1");
        }
      }
    }
  }

  /** The hosts whose libvirtd has the domain at all (running, paused or shut off). */
  private static List<String> hostsDefining(String domain) throws Exception {
    List<String> hosts = new ArrayList<>();
    for (String host : lab.hosts()) {
      if (lab.defined(host).contains(domain)) {
        hosts.add(host);
      }
    }
    return hosts;
  }

  private static String awaitPhase(Jolokia source, String id) throws Exception {
    return source.exec(HOST_OPERATIONS, "migration", id).path("value").path("phase").asText();
  }

  /** The hosts whose libvirtd runs the domain, as virsh says. */
  private static List<String> hostsRunning(String domain) throws Exception {
    List<String> hosts = new ArrayList<>();
    for (String host : lab.hosts()) {
      if (lab.running(host).contains(domain)) {
        hosts.add(host);
      }
    }
    return hosts;
  }

  /** The BIOS Data Area's timer tick count of a guest, read through QEMU's monitor. */
  private static long ticks(String host, String domain) throws Exception {
    String out = lab.virsh(host, "qemu-monitor-command", domain, "--hmp", "xp /1wx 0x46c");
    return Long.parseLong(out.substring(out.lastIndexOf("0x") + 2).strip(), 16);
  }

  private static Jolokia agent(String host) {
    return new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret", coordinator.authority());
  }

  /** Waits until the coordinator's view of the host shows the domain running. */
  private static void awaitDomain(String host, String domain) {
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> {
              agent(host).exec(HOST_OPERATIONS, "sampleNow");
              for (JsonNode row :
                  xcm.read("xcm:type=Cluster,host=\"" + host + "\"")
                      .path("value")
                      .path("Domains")) {
                if (row.path("name").asText().equals(domain)) {
                  return row.path("state").asText().equals("RUNNING");
                }
              }
              return false;
            });
  }

  private static JsonNode lastMigration(String host) throws Exception {
    return agent(host).read(HOST_OPERATIONS).path("value").path("Migrations").get(0);
  }

  private static JsonNode awaitMigration(Jolokia source, String id) {
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                !source
                    .exec(HOST_OPERATIONS, "migration", id)
                    .path("value")
                    .path("state")
                    .asText()
                    .equals("RUNNING"));
    try {
      return source.exec(HOST_OPERATIONS, "migration", id).path("value");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String state(String host) throws Exception {
    return xcm.read("xcm:type=Cluster,host=\"" + host + "\"").path("value").path("State").asText();
  }

  private static JsonNode awaitEnd(String id) throws Exception {
    return xcm.awaitOperationEnd(id, Duration.ofSeconds(120));
  }
}
