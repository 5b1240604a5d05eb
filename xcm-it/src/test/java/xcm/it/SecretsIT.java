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
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Secrets never show: a coordinator and three agents run with unique, recognisable secrets (Jolokia
 * passwords of operators, of a monitor and the agents' local one, the webhook token, the enrolment
 * tokens the agents join with and a wrong one, JMX passwords), every one of them is used, logins
 * and an enrolment fail, configurations naming the secrets' keys are refused, requests fail; then
 * the logs, every MBean attribute readable through JMX, every {@code /metrics} and every error
 * message returned are searched for the secrets: none may appear.
 */
class SecretsIT {
  private static final String COORDINATOR = "Sx1coordinatorJolokia";
  private static final String MONITOR = "Sx2monitorJolokia";
  private static final String AGENTS = "Sx3agentsJolokia";
  private static final String WEBHOOK = "Sx4webhookBearerToken";
  private static final String JMX = "Sx5jmxRemote";
  private static final String STRAY_TOKEN = "xcm-enrol-Sx6strayAgentToken";
  private static final String INLINE = "Sx8givenOnTheCommandLine";
  private static final List<String> SECRETS =
      List.of(COORDINATOR, MONITOR, AGENTS, WEBHOOK, JMX, STRAY_TOKEN, INLINE);
  @TempDir Path dir;

  private final List<String> answers = new ArrayList<>();

  /** The enrolment tokens the agents joined with: secrets too. */
  private final List<String> tokens = new ArrayList<>();

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
    agentsPassword = secret("agents.password", AGENTS);
    Path webhookToken = secret("webhook.token", WEBHOOK);
    Path strayToken = secret("stray.token", STRAY_TOKEN);
    Path jmxPasswords = secret("jmx.password", "operator " + JMX + "\n");
    Path jmxAccess = Files.writeString(dir.resolve("jmx.access"), "operator readonly\n");
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
              .with("--webhook-token-file", webhookToken)
              .with("--jmx-port", jmxPort)
              .with("--jmx-password-file", jmxPasswords)
              .with("--jmx-access-file", jmxAccess)
              .property("xcm.coordinator.cooldown=0s")
              .start();
      processes.add(coordinator);
      logs.add(coordinator.log);
      Jolokia operator = new Jolokia(coordinator.jolokiaUrl, "xcm", COORDINATOR);
      for (String host : List.of("dmz01", "dmz02")) {
        Jvm agent =
            Jvm.agent("secrets-" + host, Jvm.testNode(host))
                .with("--sample-interval", "1s")
                .with("--jolokia-password-file", agentsPassword)
                .joining(coordinator, operator, dir, host)
                .start();
        tokens.add(Files.readString(dir.resolve(host + ".token")).strip());
        processes.add(agent);
        logs.add(agent.log);
      }
      // An agent with a token no operator issued.
      Jvm stray =
          Jvm.agent("secrets-dmz03", Jvm.testNode("dmz03"))
              .with("--jolokia-password-file", agentsPassword)
              .enrolment(
                  coordinator,
                  coordinator.authority(),
                  strayToken,
                  dir.resolve("dmz03-tls"),
                  "dmz03")
              .start();
      processes.add(stray);
      logs.add(stray.log);

      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  operator.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt()
                      == 2);

      // Used: a migration (coordinator to agents, agent to agent by certificate), reads.
      String id =
          operator.exec("xcm:type=Operations", "migrate", "web01", "dmz02").path("value").asText();
      assertThat(operator.awaitOperationEnd(id, Duration.ofSeconds(60)).path("State").asText())
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
          body(post(coordinator.jolokiaUrl, "xcm", COORDINATOR, exec("drain", "nope"), null)));
      Jolokia dmz01 =
          new Jolokia(processes.get(1).jolokiaUrl, "xcm", AGENTS + "x", coordinator.authority());
      assertThat(dmz01.status("xcm:type=HostOperations")).isEqualTo(401);
      answers.add(
          operator
              .exec(
                  "xcm:type=Operations",
                  "addHost",
                  processes.get(1).jolokiaUrl.replace("127.0.0.1", "localhost"))
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
          .until(() -> Files.readString(stray.log).contains("bad_token"));

      // Configurations naming the secrets' keys, given inline where they show in `ps`.
      answers.add(
          refusedCoordinator(
              "--webhook-token-file",
              webhookToken.toString(),
              "-D",
              "xcm.coordinator.webhook.token=" + INLINE));
      answers.add(
          refusedCoordinator("-D", "xcm.coordinator.webhook.token=" + INLINE.substring(0, 10)));
      answers.add(refusedCoordinator("-D", "xcm.coordinator.agent.password=" + INLINE));
      answers.add(refusedAgent("-D", "xcm.agent.jolokia.password=" + INLINE));
      answers.add(refusedAgent("-D", "xcm.agent.enrol.token=" + INLINE));
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
      for (Jvm agent : processes.subList(1, 3)) {
        seen.add(
            new Jolokia(agent.jolokiaUrl, "xcm", AGENTS, coordinator.authority())
                .read("xcm:type=HostOperations")
                .toString());
      }
      for (Path log : logs) {
        seen.add(Files.readString(log, StandardCharsets.UTF_8));
      }
      assertThat(seen).as("what was searched").hasSizeGreaterThan(15);
      assertThat(String.join("\n", seen))
          .as("the logs name the refused enrolment")
          .contains("bad_token");
      List<String> secrets = new ArrayList<>(SECRETS);
      secrets.addAll(tokens);
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

  /** A coordinator with its own password, refusing {@code args}. */
  private String refusedCoordinator(String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--enrol-port",
                "0",
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
