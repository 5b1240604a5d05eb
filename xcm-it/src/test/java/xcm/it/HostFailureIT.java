package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;

/**
 * A host dies, across processes: a coordinator and three enrolled agents on libvirt's test driver
 * (dmz01 holds the 8 domains), each its own JVM. A demo host is its agent process — the test
 * driver's VMs live in it — so killing the agent is pulling the plug, and {@code
 * lab/fence_xcm_demo} fences it through the fence-agent protocol. The coordinator must restart the
 * dead host's VMs on the others only once the fence agent says it is off, never run a VM twice,
 * remove the stale copies of a host that comes back before it takes work, and restart nothing of a
 * host it cannot fence until an operator confirms it is down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostFailureIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  @TempDir static Path dir;
  private static Path password;
  private static Jvm coordinator;
  private static Path fenceDevices;
  private static Jolokia xcm;
  private static final Map<String, Jvm> agents = new HashMap<>();
  private static final Map<String, Integer> ports = new HashMap<>();
  private static final Map<String, Integer> starts = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    password = Secrets.write(dir.resolve("password"), "s3cret");
    Path failing = dir.resolve("fence_broken");
    Files.writeString(
        failing, "#!/bin/sh\ncat >/dev/null\necho 'Unable to connect to the BMC' >&2\nexit 1\n");
    Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
    StringBuilder devices = new StringBuilder();
    for (String host : List.of("dmz01", "dmz02")) {
      devices
          .append(host)
          .append(".agent = ")
          .append(Jvm.ROOT.resolve("lab/fence_xcm_demo"))
          .append('\n')
          .append(host)
          .append(".pidfile = ")
          .append(dir.resolve(host + ".pid"))
          .append('\n');
    }
    // dmz03's BMC does not answer: its fencing always fails.
    devices.append("dmz03.agent = ").append(failing).append('\n');
    Path devicesFile = Files.writeString(dir.resolve("fence-devices"), devices.toString());
    Files.setPosixFilePermissions(devicesFile, PosixFilePermissions.fromString("rw-------"));
    fenceDevices = devicesFile;
    startCoordinator("failure-coordinator");
    for (String host : HOSTS) {
      try (ServerSocket socket = new ServerSocket(0)) {
        ports.put(host, socket.getLocalPort());
      }
      startAgent(host);
    }
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> cluster().path("ActiveHostCount").asInt() == 3);
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> cluster().path("DefinitionsKept").asInt() == 8);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** Starts the coordinator (again, after a kill: on the same state and journal). */
  private static void startCoordinator(String name) throws IOException {
    coordinator =
        Jvm.coordinator(name, "1s")
            .with("--state-dir", dir.resolve("coordinator"))
            .with("--jolokia-password-file", password)
            .with("--fence-devices", fenceDevices)
            .property("xcm.coordinator.cooldown=0s")
            .property("xcm.coordinator.nightly-balance.cron=")
            .property("xcm.coordinator.unreachable-after-rounds=2")
            .property("xcm.coordinator.failure.detect-after=3s")
            .property("xcm.coordinator.failure.fence-retry=2s")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
  }

  /** Starts (or starts again) the agent of {@code host} on its port; writes its pid file. */
  private static void startAgent(String host) throws IOException {
    int start = starts.merge(host, 1, Integer::sum);
    Jvm agent =
        Jvm.agent("failure-" + host + "-" + start, Jvm.testNode(host))
            .with("--sample-interval", "1s")
            .with("--jolokia-port", ports.get(host))
            .with("--jolokia-password-file", password)
            .joining(coordinator, xcm, dir, host)
            .start();
    agents.put(host, agent);
    Files.writeString(dir.resolve(host + ".pid"), agent.pid() + "\n");
  }

  @Test
  @Order(1)
  void aHostPoweredOffHasItsVmsRestartedElsewhereAndComesBackWithoutASecondCopy() throws Exception {
    long killed = System.nanoTime();
    agents.get("dmz01").kill();

    await().atMost(30, TimeUnit.SECONDS).until(() -> state("dmz01").equals("FAILED"));
    assertThat(reason("dmz01")).contains("fenced");
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> running(List.of("dmz02", "dmz03")).size() == 8);
    System.out.printf(
        "HostFailureIT: dmz01 killed to its 8 VMs running elsewhere: %.1f s%n",
        (System.nanoTime() - killed) / 1e9);
    assertEachDomainRunsOnce(List.of("dmz02", "dmz03"));

    // Powered on again: the test driver's node file starts its 8 VMs again, as a host with
    // autostart would. They are stale copies: removed before the host takes work.
    startAgent("dmz01");
    await().atMost(60, TimeUnit.SECONDS).until(() -> state("dmz01").equals("ACTIVE"));
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> copies(HOSTS).values().stream().allMatch(c -> c.size() == 1));
    assertEachDomainRunsOnce(HOSTS);
    assertThat(copies(List.of("dmz01"))).isEmpty();
  }

  @Test
  @Order(2)
  void aHostThatCannotBeFencedRestartsNothingUntilAnOperatorConfirmsItDown() throws Exception {
    // Some of the VMs run on dmz03 now; it loses power and its BMC does not answer.
    Map<String, List<String>> before = copies(HOSTS);
    List<String> onDmz03 = new ArrayList<>();
    before.forEach(
        (d, where) -> {
          if (where.get(0).startsWith("dmz03=")) {
            onDmz03.add(d);
          }
        });
    assertThat(onDmz03).isNotEmpty();
    agents.get("dmz03").kill();

    await().atMost(30, TimeUnit.SECONDS).until(() -> state("dmz03").equals("FENCE_FAILED"));
    assertThat(reason("dmz03"))
        .contains("Unable to connect to the BMC", "./xcm confirm-down dmz03");
    Thread.sleep(5000);
    assertThat(state("dmz03")).isEqualTo("FENCE_FAILED");
    assertThat(running(List.of("dmz01", "dmz02"))).doesNotContainAnyElementsOf(onDmz03);

    JsonNode confirmed = xcm.exec(OPERATIONS, "confirmDown", "dmz03");
    assertThat(confirmed.path("status").asInt()).as(confirmed.toString()).isEqualTo(200);
    await().atMost(10, TimeUnit.SECONDS).until(() -> state("dmz03").equals("FAILED"));
    assertThat(reason("dmz03")).contains("confirmed down by");
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> running(List.of("dmz01", "dmz02")).size() == 8);
    assertEachDomainRunsOnce(List.of("dmz01", "dmz02"));
    List<String> audit = new ArrayList<>();
    for (JsonNode e : xcm.read(OPERATIONS).path("value").path("AuditLog")) {
      audit.add(
          e.path("door").asText()
              + ":"
              + e.path("user").asText()
              + " "
              + e.path("action").asText()
              + " -> "
              + e.path("result").asText());
    }
    assertThat(audit)
        .contains(
            "jolokia:xcm confirm-down dmz03 -> host is FAILED: its domains restart elsewhere",
            "ha:coordinator fence dmz01 -> powered off; its domains restart elsewhere",
            "ha:coordinator remove stale copy of web01 on dmz01 -> it runs elsewhere since dmz01"
                + " was fenced")
        .noneMatch(e -> e.contains("refused: the domains of host"));
  }

  @Test
  @Order(4)
  void aHostThatDiesWithTheCoordinatorHasItsVmsRestartedByTheNextOne() throws Exception {
    List<String> onDmz02 = new ArrayList<>();
    copies(List.of("dmz01", "dmz02"))
        .forEach(
            (d, where) -> {
              if (where.get(0).startsWith("dmz02=")) {
                onDmz02.add(d);
              }
            });
    assertThat(onDmz02).isNotEmpty();
    coordinator.kill();
    agents.get("dmz02").kill();

    startCoordinator("failure-coordinator-2");

    await().atMost(60, TimeUnit.SECONDS).until(() -> state("dmz02").equals("FAILED"));
    await().atMost(30, TimeUnit.SECONDS).until(() -> running(List.of("dmz01")).size() == 8);
    assertEachDomainRunsOnce(List.of("dmz01"));
  }

  @Test
  @Order(3)
  void nobodyConfirmsDownAHostThatAnswers() throws Exception {
    JsonNode refused = xcm.exec(OPERATIONS, "confirmDown", "dmz02");

    assertThat(refused.path("status").asInt()).isNotEqualTo(200);
    assertThat(refused.path("error").asText()).contains("its agent answered");
    assertThat(state("dmz02")).isEqualTo("ACTIVE");
  }

  private static JsonNode cluster() throws Exception {
    return xcm.read("xcm:type=Cluster").path("value");
  }

  private static JsonNode host(String host) throws Exception {
    return xcm.read("xcm:type=Cluster,host=\"" + host + "\"").path("value");
  }

  private static String state(String host) throws Exception {
    return host(host).path("State").asText();
  }

  private static String reason(String host) throws Exception {
    return host(host).path("StateReason").asText();
  }

  private static Jolokia agent(String host) {
    return new Jolokia(
        "https://127.0.0.1:" + ports.get(host) + "/jolokia/",
        "xcm",
        "s3cret",
        coordinator.authority());
  }

  /** Domain name → where it is defined, as host=STATE, read from the agents of {@code hosts}. */
  private static Map<String, List<String>> copies(List<String> hosts) throws Exception {
    Map<String, List<String>> copies = new TreeMap<>();
    for (String host : hosts) {
      for (JsonNode d : agent(host).read("xcm:type=Domain,*").path("value")) {
        copies
            .computeIfAbsent(d.path("Name").asText(), n -> new ArrayList<>())
            .add(host + "=" + d.path("State").asText());
      }
    }
    return copies;
  }

  /** The domains running on {@code hosts}, a name once per running copy. */
  private static List<String> running(List<String> hosts) throws Exception {
    List<String> running = new ArrayList<>();
    copies(hosts)
        .forEach(
            (d, where) ->
                where.stream().filter(w -> w.endsWith("=RUNNING")).forEach(w -> running.add(d)));
    return running;
  }

  private static void assertEachDomainRunsOnce(List<String> hosts) throws Exception {
    Map<String, List<String>> copies = copies(hosts);
    assertThat(copies).hasSize(8);
    copies.forEach(
        (domain, where) ->
            assertThat(where).as(domain).hasSize(1).allMatch(h -> h.endsWith("=RUNNING")));
  }
}
