package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.collect.AgentCredentials;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Each agent has a cluster password of its own: a coordinator with {@code
 * agent.password-derivation=url-hmac} and two agents (dmz01 with 8 domains, dmz02), each given the
 * password {@code xcm agent-password} derives for its Jolokia URL. The coordinator collects and
 * migrates with them; no agent accepts another's password, nor the master.
 */
class AgentPasswordsIT {
  private static final String MASTER = "agent-passwords-it-master-secret";
  private static final String OPERATIONS = "xcm:type=Operations";

  @TempDir static Path dir;
  private static Path masterFile;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static final Map<String, Jvm> agents = new HashMap<>();
  private static final Map<String, String> passwords = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    masterFile = Secrets.write(dir.resolve("agents.master"), MASTER + "\n");
    Path coordinatorPassword =
        Secrets.write(dir.resolve("coordinator.password"), "coordinator-secret");
    Path registrationPassword =
        Secrets.write(dir.resolve("registration.password"), "registration-secret");
    Path peerPassword = Secrets.write(dir.resolve("peer.password"), "peer-secret");
    coordinator =
        Jvm.coordinator("agentpw-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--agent-password-file", masterFile)
            .with("--agent-password-derivation", "url-hmac")
            .with("--jolokia-password-file", coordinatorPassword)
            .with("--jolokia-registration-password-file", registrationPassword)
            .property("xcm.coordinator.agent-timeout=500ms")
            .property("xcm.coordinator.cooldown=0s")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "coordinator-secret");
    for (String host : List.of("dmz01", "dmz02")) {
      int port = freePort();
      String url = "http://127.0.0.1:" + port + "/jolokia/";
      String password = derive(url);
      passwords.put(host, password);
      Path passwordFile = Secrets.write(dir.resolve(host + ".password"), password);
      Jvm agent =
          Jvm.agent("agentpw-" + host, Jvm.testNode(host))
              .with("--sample-interval", "1s")
              .with("--jolokia-port", port)
              .with("--jolokia-password-file", passwordFile)
              .with("--jolokia-peer-password-file", peerPassword)
              .coordinator(coordinator, registrationPassword)
              .start();
      agents.put(host, agent);
      assertThat(agent.jolokiaUrl).isEqualTo(url);
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
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

  /** The agent's password as an operator computes it: {@code ./xcm agent-password}. */
  private static String derive(String url) throws Exception {
    Tools.Result result =
        Tools.run(
            Duration.ofSeconds(60),
            Jvm.COMMANDS
                .command(
                    Program.CLI,
                    List.of("agent-password", "--url", url, "--master-file", masterFile.toString()))
                .toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
    String password = result.output().strip();
    assertThat(password).isEqualTo(AgentCredentials.derive(MASTER, url)).hasSize(43);
    return password;
  }

  @Test
  void theCoordinatorCollectsEveryAgentWithItsOwnPassword() throws Exception {
    var hosts = xcm.read("xcm:type=Cluster").path("value").path("Hosts");
    assertThat(hosts).hasSize(2);
    hosts.forEach(h -> assertThat(h.path("state").asText()).isEqualTo("ACTIVE"));
    assertThat(xcm.read("xcm:type=Cluster,host=\"dmz01\"").path("value").path("Domains"))
        .isNotEmpty();
  }

  @Test
  void aMigrationRunsWithPerAgentPasswordsAndThePeerUser() throws Exception {
    String id = xcm.exec(OPERATIONS, "migrate", "web01", "dmz02").path("value").asText();
    String mbean = "xcm:type=Operation,id=\"" + id + "\"";
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> !xcm.read(mbean).path("value").path("State").asText().equals("RUNNING"));
    assertThat(xcm.read(mbean).path("value").path("State").asText()).isEqualTo("SUCCEEDED");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                xcm.read("xcm:type=Cluster,host=\"dmz02\"")
                    .path("value")
                    .path("Domains")
                    .findValuesAsText("name")
                    .contains("web01"));
  }

  @Test
  void noAgentAcceptsAnotherAgentsPasswordOrTheMaster() throws Exception {
    String dmz01 = agents.get("dmz01").jolokiaUrl;
    String dmz02 = agents.get("dmz02").jolokiaUrl;
    assertThat(new Jolokia(dmz01, "xcm", passwords.get("dmz01")).status("xcm:type=Host"))
        .isEqualTo(200);
    assertThat(new Jolokia(dmz02, "xcm", passwords.get("dmz01")).status("xcm:type=Host"))
        .isEqualTo(401);
    assertThat(new Jolokia(dmz01, "xcm", passwords.get("dmz02")).status("xcm:type=Host"))
        .isEqualTo(401);
    assertThat(new Jolokia(dmz01, "xcm", MASTER).status("xcm:type=Host")).isEqualTo(401);
    assertThat(new Jolokia(dmz02, "xcm", MASTER).status("xcm:type=Host")).isEqualTo(401);
    // The same agent under another URL has another password: the coordinator cannot log in.
    String otherSpelling = dmz01.replace("127.0.0.1", "localhost");
    assertThat(xcm.exec(OPERATIONS, "addHost", otherSpelling).path("error").asText())
        .contains("refused the coordinator's credentials (HTTP 401)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
