package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;

/**
 * XCM with the real Prometheus and Alertmanager from Debian's packages, all on loopback: a
 * coordinator with its webhook and three agents (dmz01 with 8 domains, dmz02, dmz03), each its own
 * JVM; a stand-in for node_exporter serving each host's temperature; Prometheus scraping all of
 * them every second with the rules of {@code alerts/}; Alertmanager with {@code
 * alerts/alertmanager.yml}. The shipped files are used as they are, except for addresses, the token
 * file, and shorter waits ({@code for:} of XcmHostTooHot, Alertmanager's group and repeat timing).
 *
 * <p>The first test heats dmz01 and follows the alert to the drain; the second evaluates every
 * panel of the dashboards against the Prometheus that watched it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String TOKEN = "it-webhook-token-" + Long.toHexString(System.nanoTime());
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  private static final List<String> DMZ01_DOMAINS =
      List.of("app01", "app02", "db01", "dns01", "mail01", "proxy01", "web01", "web02");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  private static Jvm coordinator;
  private static final Map<String, Jvm> agents = new LinkedHashMap<>();
  private static Jolokia xcm;
  private static HttpServer nodeExporter;
  private static final Map<String, Double> temperatures = new ConcurrentHashMap<>();
  private static Daemon alertmanager;
  private static Daemon prometheus;
  private static Instant prometheusStarted;

  @BeforeAll
  static void start() throws Exception {
    String promBinary = Tools.require("prometheus", "prometheus").toString();
    String amBinary =
        Tools.require("prometheus-alertmanager", "prometheus-alertmanager").toString();
    Path agentPassword = Secrets.write(dir.resolve("agents.password"), "agent-secret");
    Path coordinatorPassword =
        Secrets.write(dir.resolve("coordinator.password"), "coordinator-secret");
    Path registrationPassword =
        Secrets.write(dir.resolve("registration.password"), "registration-secret");
    Path peerPassword = Secrets.write(dir.resolve("peer.password"), "peer-secret");
    Path token = Secrets.write(dir.resolve("webhook.token"), TOKEN + "\n");
    coordinator =
        Jvm.coordinator("monitoring-coordinator", INTERVAL.toMillis() + "ms")
            .with("--webhook-port", 0)
            .with("--webhook-token-file", token)
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", coordinatorPassword)
            .property("xcm.coordinator.agent-timeout=500ms")
            .start();
    assertThat(coordinator.webhookUrl).endsWith("/api/v1/alertmanager");
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "coordinator-secret");
    for (String host : HOSTS) {
      agents.put(
          host,
          Jvm.agent("monitoring-" + host, Jvm.testNode(host))
              .with("--sample-interval", INTERVAL.toMillis() + "ms")
              .with("--jolokia-password-file", agentPassword)
              .joining(coordinator, xcm, dir, host)
              .start());
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> states().values().stream().filter("ACTIVE"::equals).count() == 3);

    HOSTS.forEach(h -> temperatures.put(h, 48.0));
    nodeExporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    nodeExporter.createContext("/", MonitoringIT::nodeMetrics);
    nodeExporter.start();

    int amPort = freePort();
    alertmanager =
        Daemon.start(
            "alertmanager",
            "http://127.0.0.1:" + amPort,
            List.of(
                amBinary,
                "--config.file=" + alertmanagerConfig(token),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=",
                "--storage.path=" + Files.createDirectories(dir.resolve("alertmanager-data"))));
    int promPort = freePort();
    prometheusStarted = Instant.now();
    prometheus =
        Daemon.start(
            "prometheus",
            "http://127.0.0.1:" + promPort,
            List.of(
                promBinary,
                "--config.file=" + prometheusConfig(amPort),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("prometheus-data"))));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {prometheus, alertmanager}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // keep stopping the others
      }
    }
    if (nodeExporter != null) {
      nodeExporter.stop(0);
    }
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  @Order(1)
  void hotHostIsDrainedThroughPrometheusAlertmanagerAndTheWebhookOnce() throws Exception {
    // Prometheus sees every host, and dmz01 cool, before it heats up.
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                query("xcm_node:hwmon_temp_celsius:max").size() == 3
                    && query("xcm_host_domains").size() == 3
                    && query("xcm_host_up").size() == 3
                    // XcmNoActiveCoordinator is pending from a rule evaluation before the
                    // coordinator's first scrape until the next evaluation after it.
                    && query("ALERTS").isEmpty());
    assertThat(operations()).isEmpty();

    long hot = System.currentTimeMillis();
    temperatures.put("dmz01", 97.0);

    await()
        .atMost(45, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> "MAINTENANCE".equals(states().get("dmz01")));
    long maintenance = System.currentTimeMillis();

    // Every domain of dmz01 runs on dmz02 or dmz03 now, each on exactly one host; none lost.
    Map<String, List<String>> domains = domainsByHost();
    assertThat(domains.get("dmz01")).isEmpty();
    List<String> elsewhere = new ArrayList<>(domains.get("dmz02"));
    elsewhere.addAll(domains.get("dmz03"));
    assertThat(elsewhere).containsExactlyInAnyOrderElementsOf(DMZ01_DOMAINS);
    // Started once, by the webhook for this alert.
    List<JsonNode> operations = operations();
    assertThat(operations).hasSize(1);
    JsonNode drain = operations.get(0);
    assertThat(drain.path("Kind").asText()).isEqualTo("DRAIN");
    assertThat(drain.path("Summary").asText()).isEqualTo("drain dmz01");
    assertThat(drain.path("RequestedBy").asText()).isEqualTo("webhook:XcmHostTooHot");
    assertThat(drain.path("State").asText()).isEqualTo("SUCCEEDED");
    assertThat(drain.path("MovesDone").asInt()).isEqualTo(8);
    String id = drain.path("Id").asText();

    // Alertmanager repeats the notification while dmz01 stays hot: it starts nothing new.
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> Files.readString(coordinator.log).contains("already started as " + id));
    // So does the same notification delivered by hand (as a second Alertmanager would).
    JsonNode redelivered = postToWebhook(payloadFromAlertmanager());
    assertThat(redelivered.path("results")).hasSize(1);
    assertThat(redelivered.path("results").get(0).path("result").asText())
        .isEqualTo("already-started");
    assertThat(redelivered.path("results").get(0).path("operation").asText()).isEqualTo(id);
    assertThat(operations()).hasSize(1);

    // dmz01 cools down: the alert resolves, which starts nothing either.
    temperatures.put("dmz01", 48.0);
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> Files.readString(coordinator.log).contains("ignored: resolved alerts"));
    assertThat(operations()).hasSize(1);
    assertThat(states().get("dmz01")).isEqualTo("MAINTENANCE");

    long started = drain.path("StartedEpochMillis").asLong();
    long finished = drain.path("FinishedEpochMillis").asLong();
    System.out.printf(
        Locale.ROOT,
        "MonitoringIT: dmz01 at 97 °C -> drain started by the webhook %.1f s -> drain of %d"
            + " domains %.1f s -> MAINTENANCE seen %.1f s after the heat%n",
        (started - hot) / 1000.0,
        drain.path("MovesDone").asInt(),
        (finished - started) / 1000.0,
        (maintenance - hot) / 1000.0);
  }

  @Test
  @Order(2)
  void coordinatorMetricsWithTheWebhookArePromtoolClean() throws Exception {
    String promtool = Tools.require("promtool", "prometheus").toString();
    String metrics = get(coordinator.metricsUrl);

    Tools.Result check =
        Tools.run(
            Duration.ofSeconds(30),
            metrics.getBytes(StandardCharsets.UTF_8),
            promtool,
            "check",
            "metrics");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).isEmpty();
    assertThat(metrics)
        .contains("xcm_webhook_alerts_total{result=\"started\"} 1.0")
        .contains("xcm_host_state{host=\"dmz01\",state=\"MAINTENANCE\"} 1.0");
  }

  @Test
  @Order(3)
  void everyDashboardPanelQueryReturnsDataFromTheLiveCluster() throws Exception {
    // The migration panels need moves: the drain above made them.
    assertThat(queryValue("sum(xcm_migrations_total{result=\"succeeded\"})"))
        .as("migrations Prometheus has seen")
        .isPositive();
    String busiest = busiestHost();
    Map<String, String> failures = new TreeMap<>();
    int checked = 0;
    for (String file : Tools.files("dashboards", ".json")) {
      JsonNode dashboard = JSON.readTree(Jvm.ROOT.resolve(file).toFile());
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (variable.path("type").asText().equals("query")) {
          String expr = labelValuesAsPromQl(variable.path("query").path("query").asText());
          checked++;
          check(file + " variable " + variable.path("name").asText(), expr, failures);
        }
      }
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          String expr =
              target
                  .path("expr")
                  .asText()
                  .replace("${host}", busiest)
                  .replace("$host", busiest)
                  .replace("$__rate_interval", "1m");
          checked++;
          check(
              file + " panel \"" + panel.path("title").asText() + "\" " + target.path("refId"),
              expr,
              failures);
        }
      }
    }
    assertThat(failures).as("panels without data (host=%s)", busiest).isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(40);
    System.out.printf(
        "MonitoringIT: %d dashboard queries (host=%s) all returned data%n", checked, busiest);
  }

  @Test
  @Order(4)
  void aTraceExportedFromPrometheusReplaysInTheDayBench() throws Exception {
    Path trace = dir.resolve("day.csv");
    // Prometheus may have started less than a minute ago: wait until it has the VMs' CPU rates.
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> queryValue("count(rate(xcm_domain_cpu_seconds_total[2m]))") > 0);
    Instant to = Instant.now();
    Instant from = to.minus(Duration.ofMinutes(3));

    Bench export =
        bench(
            "trace",
            "export",
            "--prometheus",
            prometheus.url,
            "--from",
            from.toString(),
            "--to",
            to.toString(),
            "--out",
            trace.toString());

    assertThat(export.exit()).as(export.out()).isZero();
    String text = Files.readString(trace);
    assertThat(text)
        .startsWith("# xcm day trace v1\n")
        .contains("\n# host,dmz01,")
        .contains("\n# vm,web01,2,2048,")
        .contains("\nminute,vm,cpu,memory_mib\n")
        .containsPattern("\n3,web01,[0-9.]+,2048\n");
    Bench day = bench("day", "--trace", trace.toString(), "--thresholds", "3");
    assertThat(day.exit()).as(day.out()).isZero();
    assertThat(day.out()).contains("day bench: 3 hosts, 8 VMs, 4 minutes");
  }

  private record Bench(int exit, String out) {}

  /** {@code ./xcm bench ...} as the script runs it, on the built bench jar. */
  private static Bench bench(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Jvm.ROOT.resolve("xcm-bench/target/xcm-bench.jar").toString());
    command.add("--root");
    command.add(Jvm.ROOT.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Bench(process.waitFor(), out);
  }

  // ---- Prometheus

  /** Fails the panel unless its expression gives at least one series with a number in it. */
  private static void check(String what, String expr, Map<String, String> failures)
      throws Exception {
    long end = Instant.now().getEpochSecond();
    long start = Math.max(prometheusStarted.getEpochSecond(), end - 300);
    JsonNode reply =
        prometheusApi(
            "/api/v1/query_range?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&start="
                + start
                + "&end="
                + end
                + "&step=1");
    if (!reply.path("status").asText().equals("success")) {
      failures.put(what, expr + ": " + reply.path("error").asText());
      return;
    }
    for (JsonNode series : reply.path("data").path("result")) {
      for (JsonNode point : series.path("values")) {
        String value = point.get(1).asText();
        if (!value.equals("NaN") && !value.endsWith("Inf")) {
          return;
        }
      }
    }
    failures.put(what, expr + ": no data");
  }

  /** Grafana's {@code label_values(metric, label)} as the PromQL that has the same values. */
  private static String labelValuesAsPromQl(String query) {
    Matcher m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(query);
    assertThat(m.matches()).as(query).isTrue();
    return "count by (" + m.group(2) + ") (" + m.group(1) + ")";
  }

  private static String busiestHost() throws Exception {
    String best = null;
    double most = -1;
    for (JsonNode series : query("xcm_host_domains")) {
      double domains = series.path("value").get(1).asDouble();
      if (domains > most) {
        most = domains;
        best = series.path("metric").path("host").asText();
      }
    }
    return best;
  }

  private static JsonNode query(String expr) throws Exception {
    JsonNode reply =
        prometheusApi("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
    return reply.path("data").path("result");
  }

  private static double queryValue(String expr) throws Exception {
    JsonNode result = query(expr);
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }

  private static JsonNode prometheusApi(String path) throws Exception {
    return JSON.readTree(get(prometheus.url + path));
  }

  // ---- Alertmanager and the webhook

  /**
   * Alertmanager's webhook payload (version 4) for the XcmHostTooHot alert it holds, built from its
   * API: what a second Alertmanager replica would deliver.
   */
  private static String payloadFromAlertmanager() throws Exception {
    JsonNode alerts =
        JSON.readTree(
            get(
                alertmanager.url
                    + "/api/v2/alerts?filter="
                    + URLEncoder.encode("alertname=\"XcmHostTooHot\"", StandardCharsets.UTF_8)));
    assertThat(alerts).hasSize(1);
    JsonNode alert = alerts.get(0);
    ObjectNode payload =
        JSON.createObjectNode()
            .put("version", "4")
            .put("groupKey", "{}/{xcm_action=~\"drain|balance\"}:{alertname=\"XcmHostTooHot\"}")
            .put("truncatedAlerts", 0)
            .put("status", "firing")
            .put("receiver", "xcm")
            .put("externalURL", alertmanager.url);
    payload.set("groupLabels", JSON.createObjectNode().put("alertname", "XcmHostTooHot"));
    payload.set("commonLabels", alert.path("labels"));
    payload.set("commonAnnotations", alert.path("annotations"));
    ObjectNode copy = payload.putArray("alerts").addObject();
    copy.put("status", "firing");
    copy.set("labels", alert.path("labels"));
    copy.set("annotations", alert.path("annotations"));
    copy.put("startsAt", alert.path("startsAt").asText());
    copy.put("endsAt", "0001-01-01T00:00:00Z");
    copy.put("generatorURL", alert.path("generatorURL").asText());
    copy.put("fingerprint", alert.path("fingerprint").asText());
    return JSON.writeValueAsString(payload);
  }

  private static JsonNode postToWebhook(String payload) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(coordinator.webhookUrl))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  // ---- the cluster

  private static Map<String, String> states() throws Exception {
    Map<String, String> states = new HashMap<>();
    xcm.read("xcm:type=Cluster")
        .path("value")
        .path("Hosts")
        .forEach(h -> states.put(h.path("name").asText(), h.path("state").asText()));
    return states;
  }

  /** Every host's domains, read from the agents themselves. */
  private static Map<String, List<String>> domainsByHost() throws Exception {
    Map<String, List<String>> domains = new HashMap<>();
    for (Map.Entry<String, Jvm> agent : agents.entrySet()) {
      JsonNode value =
          new Jolokia(agent.getValue().jolokiaUrl, "xcm", "agent-secret", coordinator.authority())
              .read("xcm:type=Domain,*")
              .path("value");
      List<String> names = new ArrayList<>();
      value.forEach(d -> names.add(d.path("Name").asText()));
      domains.put(agent.getKey(), names);
    }
    return domains;
  }

  private static List<JsonNode> operations() throws Exception {
    List<JsonNode> operations = new ArrayList<>();
    JsonNode reply = xcm.read("xcm:type=Operation,*");
    if (reply.path("status").asInt() == 200) {
      reply.path("value").forEach(operations::add);
    }
    return operations;
  }

  // ---- configuration of the tools

  private static Path alertmanagerConfig(Path token) throws IOException {
    String config = Files.readString(Jvm.ROOT.resolve("alerts/alertmanager.yml"));
    config =
        replaceOnce(
            config,
            "url: http://127.0.0.1:9290/api/v1/alertmanager",
            "url: " + coordinator.webhookUrl);
    config =
        replaceOnce(
            config, "credentials_file: /etc/xcm/webhook.token", "credentials_file: " + token);
    // Seconds instead of minutes, so that a test sees a group notified and repeated.
    config =
        replaceOnce(
            config,
            "      group_wait: 10s\n      group_interval: 1m\n      repeat_interval: 15m\n",
            "      group_wait: 1s\n      group_interval: 1s\n      repeat_interval: 2s\n");
    config =
        replaceOnce(
            config,
            "  group_wait: 30s\n  group_interval: 5m\n",
            "  group_wait: 1s\n  group_interval: 1s\n");
    return Files.writeString(dir.resolve("alertmanager.yml"), config);
  }

  private static Path prometheusConfig(int alertmanagerPort) throws IOException {
    // The shipped rule, firing at once instead of after 2 minutes.
    String nodeRules = Files.readString(Jvm.ROOT.resolve("alerts/node.rules.yml"));
    nodeRules = replaceOnce(nodeRules, "        for: 2m\n", "        for: 0s\n");
    Path nodeRulesFile = Files.writeString(dir.resolve("node.rules.yml"), nodeRules);
    String node = "127.0.0.1:" + nodeExporter.getAddress().getPort();
    StringBuilder nodeTargets = new StringBuilder();
    for (String host : HOSTS) {
      nodeTargets.append(
          String.format(
              "      - targets: ['%s']%n        labels: {__metrics_path__: /%s/metrics,"
                  + " instance: '%s.example.org:9100'}%n",
              node, host, host));
    }
    StringBuilder agentTargets = new StringBuilder();
    for (Jvm agent : agents.values()) {
      agentTargets.append("'").append(hostPort(agent.metricsUrl)).append("', ");
    }
    String config =
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "rule_files:\n"
            + "  - "
            + Jvm.ROOT.resolve("alerts/xcm.rules.yml")
            + "\n"
            + "  - "
            + nodeRulesFile
            + "\n"
            + "alerting:\n"
            + "  alertmanagers:\n"
            + "    - static_configs:\n"
            + "        - targets: ['127.0.0.1:"
            + alertmanagerPort
            + "']\n"
            + "scrape_configs:\n"
            + "  - job_name: xcm-coordinator\n"
            + "    static_configs:\n"
            + "      - targets: ['"
            + hostPort(coordinator.metricsUrl)
            + "']\n"
            + "  - job_name: xcm-agent\n"
            + "    static_configs:\n"
            + "      - targets: ["
            + agentTargets.substring(0, agentTargets.length() - 2)
            + "]\n"
            + "  - job_name: node\n"
            + "    static_configs:\n"
            + nodeTargets;
    return Files.writeString(dir.resolve("prometheus.yml"), config);
  }

  private static String replaceOnce(String text, String what, String with) {
    int at = text.indexOf(what);
    assertThat(at).as("the shipped file contains %s", what).isNotNegative();
    assertThat(text.indexOf(what, at + 1)).as("%s only once", what).isNegative();
    return text.replace(what, with);
  }

  /** node_exporter's temperature series for one host: {@code /<host>/metrics}. */
  private static void nodeMetrics(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (exchange) {
      String host = exchange.getRequestURI().getPath().split("/")[1];
      Double celsius = temperatures.get(host);
      if (celsius == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String body =
          "# HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)\n"
              + "# TYPE node_hwmon_temp_celsius gauge\n"
              + String.format(
                  Locale.ROOT,
                  "node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor=\"temp1\"} %.1f%n",
                  celsius)
              + "node_hwmon_temp_celsius{chip=\"nvme_nvme0\",sensor=\"temp1\"} 41\n";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String hostPort(String url) {
    return URI.create(url).getAuthority();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
