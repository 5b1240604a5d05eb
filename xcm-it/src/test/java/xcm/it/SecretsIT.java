package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.collect.AgentCredentials;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Secrets never show: a coordinator and three agents run with unique, recognisable secrets (Jolokia
 * passwords of operators, of a monitor and of the agents' registration user, the webhook token, the
 * master secret of the agents' passwords and the password derived from it for each agent, their
 * peer user's, JMX passwords), every one of them is used, logins fail, configurations naming the
 * secrets' keys are refused, requests fail; then the logs, every MBean attribute readable through
 * JMX, every {@code /metrics} and every error message returned are searched for the secrets: none
 * may appear.
 */
class SecretsIT {
  private static final String COORDINATOR = "Sx1coordinatorJolokia";
  private static final String MONITOR = "Sx2monitorJolokia";
  private static final String AGENTS = "Sx3agentsJolokia";
  private static final String WEBHOOK = "Sx4webhookBearerToken";
  private static final String JMX = "Sx5jmxRemote";
  private static final String STRAY_AGENT = "Sx6strayAgentJolokia";
  private static final String WRONG_COORDINATOR = "Sx7wrongCoordinatorPassword";
  private static final String INLINE = "Sx8givenOnTheCommandLine";
  private static final String REGISTRATION = "Sx9registrationJolokia";
  private static final String PEER = "Sx10peerAgentsJolokia";
  private static final List<String> SECRETS =
      List.of(
          COORDINATOR,
          MONITOR,
          AGENTS,
          WEBHOOK,
          JMX,
          STRAY_AGENT,
          WRONG_COORDINATOR,
          INLINE,
          REGISTRATION,
          PEER);
  @TempDir Path dir;

  private final List<String> answers = new ArrayList<>();

  /** Each agent's cluster password, derived from {@link #AGENTS} for its URL. */
  private final Map<String, String> derived = new HashMap<>();

  private final List<Path> logs = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private Path secret(String name, String value) throws IOException {
    Path file = Files.writeString(dir.resolve(name), value);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  // Set by the test; the refused configurations below start from them.
  private Path coordinatorPassword;
  private Path agentsPassword;

  @Test
  void noSecretAppearsInLogsMBeansMetricsOrErrorMessages() throws Exception {
    coordinatorPassword = secret("coordinator.password", COORDINATOR);
    Path monitorPassword = secret("monitor.password", MONITOR);
    Path registrationPassword = secret("registration.password", REGISTRATION);
    agentsPassword = secret("agents.password", AGENTS);
    Path peerPassword = secret("peer.password", PEER);
    Path webhookToken = secret("webhook.token", WEBHOOK);
    Path jmxPasswords = secret("jmx.password", "operator " + JMX + "\n");
    Path jmxAccess = Files.writeString(dir.resolve("jmx.access"), "operator readonly\n");
    Path strayPassword = secret("stray.password", STRAY_AGENT);
    Path wrongCoordinator = secret("wrong.password", WRONG_COORDINATOR);
    int jmxPort = freePort();

    List<Jvm> processes = new ArrayList<>();
    try {
      Jvm coordinator =
          Jvm.coordinator("secrets-coordinator", "1s")
              .with("--webhook-port", 0)
              .with("--state-dir", dir.resolve("state"))
              .with("--jolokia-password-file", coordinatorPassword)
              .with("--jolokia-monitor-user", "grafana")
              .with("--jolokia-monitor-password-file", monitorPassword)
              .with("--jolokia-registration-user", "hosts")
              .with("--jolokia-registration-password-file", registrationPassword)
              .with("--agent-password-file", agentsPassword)
              .with("--agent-password-derivation", "url-hmac")
              .with("--webhook-token-file", webhookToken)
              .with("--jmx-port", jmxPort)
              .with("--jmx-password-file", jmxPasswords)
              .with("--jmx-access-file", jmxAccess)
              .property("xcm.coordinator.cooldown=0s")
              .start();
      processes.add(coordinator);
      logs.add(coordinator.log);
      for (String host : List.of("dmz01", "dmz02")) {
        int port = freePort();
        String password = AgentCredentials.derive(AGENTS, "http://127.0.0.1:" + port + "/jolokia/");
        derived.put(host, password);
        Path passwordFile = secret(host + ".password", password);
        Jvm agent =
            Jvm.agent("secrets-" + host, Jvm.testNode(host))
                .with("--sample-interval", "1s")
                .with("--jolokia-port", port)
                .with("--jolokia-password-file", passwordFile)
                .coordinator(coordinator, registrationPassword)
                .with("--coordinator-user", "hosts")
                .with("--jolokia-peer-password-file", peerPassword)
                .property("xcm.agent.peer.password-file=" + peerPassword)
                .start();
        processes.add(agent);
        logs.add(agent.log);
      }
      // An agent with a password of its own and the wrong coordinator password.
      Jvm stray =
          Jvm.agent("secrets-dmz03", Jvm.testNode("dmz03"))
              .with("--jolokia-password-file", strayPassword)
              .coordinator(coordinator, wrongCoordinator)
              .with("--coordinator-user", "hosts")
              .start();
      processes.add(stray);
      logs.add(stray.log);

      Jolokia operator = new Jolokia(coordinator.jolokiaUrl, "xcm", COORDINATOR);
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  operator.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt()
                      == 2);

      // Used: a migration (coordinator to agents, agent to agent with the peer password), reads.
      String id =
          operator.exec("xcm:type=Operations", "migrate", "web01", "dmz02").path("value").asText();
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  !operator
                      .read("xcm:type=Operation,id=\"" + id + "\"")
                      .path("value")
                      .path("State")
                      .asText()
                      .equals("RUNNING"));
      assertThat(
              operator
                  .read("xcm:type=Operation,id=\"" + id + "\"")
                  .path("value")
                  .path("State")
                  .asText())
          .isEqualTo("SUCCEEDED");
      answers.add(
          new Jolokia(coordinator.jolokiaUrl, "grafana", MONITOR)
              .read("xcm:type=Cluster")
              .toString());

      // Refused: logins with wrong secrets, requests of a monitor, requests that make no sense.
      answers.add(
          body(
              post(
                  coordinator.jolokiaUrl,
                  "xcm",
                  COORDINATOR + "x",
                  "{\"type\":\"version\"}",
                  null)));
      answers.add(
          body(post(coordinator.jolokiaUrl, "grafana", MONITOR, exec("drain", "dmz01"), null)));
      answers.add(
          body(post(coordinator.jolokiaUrl, "hosts", REGISTRATION, exec("drain", "dmz01"), null)));
      answers.add(
          body(
              post(
                  coordinator.jolokiaUrl,
                  "hosts",
                  REGISTRATION,
                  "{\"type\":\"read\",\"mbean\":\"xcm:type=Operations\"}",
                  null)));
      answers.add(
          body(
              post(
                  coordinator.jolokiaUrl,
                  "hosts",
                  REGISTRATION + "x",
                  "{\"type\":\"version\"}",
                  null)));
      answers.add(
          body(post(coordinator.jolokiaUrl, "xcm", COORDINATOR, exec("drain", "nope"), null)));
      String dmz01 = processes.get(1).jolokiaUrl;
      answers.add(
          body(
              post(
                  dmz01,
                  "peer",
                  PEER,
                  "[{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                      + "\"operation\":\"destroyDomain\",\"arguments\":[\"db01\"]},"
                      + "{\"type\":\"read\",\"mbean\":\"xcm:type=HostOperations\"},"
                      + "{\"type\":\"read\",\"mbean\":\"xcm:type=Host\"},"
                      + "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                      + "\"operation\":\"abortIncoming\",\"arguments\":[\"db01\",\"\"]}]",
                  null)));
      answers.add(body(post(dmz01, "peer", PEER + "x", "{\"type\":\"version\"}", null)));
      answers.add(body(post(dmz01, "xcm", PEER, "{\"type\":\"version\"}", null)));
      // Another agent's password and the master are no agent's.
      answers.add(body(post(dmz01, "xcm", derived.get("dmz02"), "{\"type\":\"version\"}", null)));
      answers.add(body(post(dmz01, "xcm", AGENTS, "{\"type\":\"version\"}", null)));
      answers.add(
          operator
              .exec("xcm:type=Operations", "addHost", dmz01.replace("127.0.0.1", "localhost"))
              .toString());
      answers.add(body(post(coordinator.jolokiaUrl, "xcm", COORDINATOR, "{\"type\":", null)));
      answers.add(operator.exec("xcm:type=Operations", "addHost", stray.jolokiaUrl).toString());
      answers.add(body(webhook(coordinator.webhookUrl, WEBHOOK + "x", "{\"alerts\":[]}")));
      answers.add(body(webhook(coordinator.webhookUrl, WEBHOOK, "{\"alerts\":")));
      answers.add(
          body(
              webhook(
                  coordinator.webhookUrl,
                  WEBHOOK,
                  "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":"
                      + "{\"alertname\":\"X\",\"xcm_action\":\"drain\",\"host\":\"nope\"}}]}")));
      try {
        JMXConnectorFactory.connect(
                new JMXServiceURL(jmxUrl(coordinator)),
                Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", JMX + "x"}))
            .close();
        throw new AssertionError("a wrong JMX password was accepted");
      } catch (SecurityException e) {
        answers.add(String.valueOf(e.getMessage()));
      }
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> Files.readString(stray.log).contains("cannot register yet"));

      // Configurations naming the secrets' keys, given inline where they show in `ps`.
      answers.add(
          refusedCoordinator(
              "--webhook-token-file",
              webhookToken.toString(),
              "-D",
              "xcm.coordinator.webhook.token=" + INLINE));
      answers.add(
          refusedCoordinator("-D", "xcm.coordinator.webhook.token=" + INLINE.substring(0, 10)));
      answers.add(
          refusedCoordinator(
              "--jolokia-registration-password-file",
              registrationPassword.toString(),
              "-D",
              "xcm.coordinator.jolokia.registration.password=" + INLINE));
      answers.add(
          refusedCoordinator(
              "-D",
              "xcm.coordinator.jolokia.registration.user=xcm",
              "-D",
              "xcm.coordinator.jolokia.registration.password=" + INLINE));
      String shortMaster =
          refusedConfig(
              Program.COORDINATOR,
              "--jolokia-password-file",
              coordinatorPassword.toString(),
              "--agent-password-derivation",
              "url-hmac",
              "--state-dir",
              dir.resolve("refused").toString(),
              "-D",
              "xcm.coordinator.agent.password=" + INLINE.substring(0, 12));
      assertThat(shortMaster)
          .contains("xcm.coordinator.agent.password: must be at least 16 characters")
          .doesNotContain(INLINE.substring(0, 12));
      answers.add(shortMaster);
      answers.add(refusedAgent("-D", "xcm.agent.jolokia.password=" + INLINE));
      answers.add(
          refusedAgent(
              "-D",
              "xcm.agent.peer.password=" + INLINE,
              "-D",
              "xcm.agent.peer.password-file=" + agentsPassword));
      answers.add(
          refusedAgent(
              "--jolokia-peer-password-file",
              peerPassword.toString(),
              "-D",
              "xcm.agent.jolokia.peer.password=" + INLINE));
      answers.add(
          refusedAgent(
              "-D",
              "xcm.agent.jolokia.peer.user=xcm",
              "-D",
              "xcm.agent.jolokia.peer.password=" + INLINE));
      answers.add(
          refusedAgent(
              "-D",
              "xcm.agent.jolokia.monitor.user=xcm",
              "-D",
              "xcm.agent.jolokia.monitor.password=" + INLINE));

      // Searched: every MBean attribute of the coordinator through JMX, every /metrics, the logs,
      // every answer.
      List<String> seen = new ArrayList<>(answers);
      seen.add(mbeanAttributes(jmxUrl(coordinator)));
      for (Jvm process : processes) {
        seen.add(Jolokia.get(process.metricsUrl));
      }
      for (Jvm agent : processes.subList(1, processes.size())) {
        seen.add(
            new Jolokia(
                    agent.jolokiaUrl,
                    "xcm",
                    agent == stray ? STRAY_AGENT : derived.get(agent.name.substring(8)))
                .read("xcm:type=HostOperations")
                .toString());
      }
      for (Path log : logs) {
        seen.add(Files.readString(log, StandardCharsets.UTF_8));
      }
      assertThat(seen).as("what was searched").hasSizeGreaterThan(20);
      assertThat(String.join("\n", seen))
          .as("the logs name the failed logins and registrations")
          .contains("refused the credentials");
      List<String> secrets = new ArrayList<>(SECRETS);
      secrets.addAll(derived.values());
      for (String text : seen) {
        for (String secret : secrets) {
          assertThat(text).as("secret %s", secret).doesNotContain(secret);
        }
      }
    } finally {
      processes.forEach(Jvm::close);
    }
  }

  private static String exec(String operation, String argument) {
    return "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\""
        + operation
        + "\",\"arguments\":[\""
        + argument
        + "\",false]}";
  }

  private HttpResponse<String> post(
      String url, String user, String password, String body, String contentType)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", contentType == null ? "application/json" : contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> webhook(String url, String token, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String body(HttpResponse<String> response) {
    return response.statusCode() + " " + response.headers().map() + " " + response.body();
  }

  /** A coordinator with the agents' and its own password, refusing {@code args}. */
  private String refusedCoordinator(String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--agent-password-file",
                agentsPassword.toString(),
                "--jolokia-password-file",
                coordinatorPassword.toString(),
                "--state-dir",
                dir.resolve("refused").toString()));
    all.addAll(List.of(args));
    return refusedConfig(Program.COORDINATOR, all.toArray(String[]::new));
  }

  /** An agent of dmz03 with the agents' password, refusing {@code args}. */
  private String refusedAgent(String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--libvirt-uri",
                "test://" + Jvm.ROOT.resolve("nodes/dmz03.xml"),
                "--jolokia-password-file",
                agentsPassword.toString()));
    all.addAll(List.of(args));
    return refusedConfig(Program.AGENT, all.toArray(String[]::new));
  }

  /** Starts a process whose configuration is wrong; returns what it printed, having failed. */
  private String refusedConfig(Program program, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--jolokia-port", "0", "--metrics-port", "0"));
    Tools.Result result =
        Tools.run(
            Duration.ofSeconds(60), Jvm.COMMANDS.command(program, all).toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
    assertThat(result.output()).contains("xcm.");
    return result.output();
  }

  private static String jmxUrl(Jvm process) throws IOException {
    return Files.readAllLines(process.log).stream()
        .filter(l -> l.trim().startsWith("JMX"))
        .map(l -> l.trim().split("\\s+")[1])
        .findFirst()
        .orElseThrow();
  }

  /** Every readable attribute of every MBean, as text. */
  private static String mbeanAttributes(String url) throws Exception {
    StringBuilder all = new StringBuilder();
    try (JMXConnector connector =
        JMXConnectorFactory.connect(
            new JMXServiceURL(url),
            Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", JMX}))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      int attributes = 0;
      for (ObjectName name : server.queryNames(null, null)) {
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
          if (!attribute.isReadable()) {
            continue;
          }
          try {
            Object value = server.getAttribute(name, attribute.getName());
            all.append(name).append(' ').append(attribute.getName()).append('=');
            all.append(
                value instanceof Object[] array ? java.util.Arrays.deepToString(array) : value);
            all.append('\n');
            attributes++;
          } catch (Exception | Error e) {
            // Some platform attributes are unsupported here; their absence hides nothing.
          }
        }
      }
      assertThat(attributes).as("attributes read").isGreaterThan(100);
      assertThat(all.toString()).contains("xcm:type=Operations AuditLog=");
    }
    return all.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
