package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files in {@code alerts/} and {@code dashboards/} as Prometheus's, Alertmanager's and
 * Grafana's tools read them: {@code promtool check rules}, {@code promtool test rules} with a test
 * for every alert, {@code amtool check-config}, and well-formed dashboards. {@code MonitoringIT}
 * runs them against a live cluster.
 */
class MonitoringFilesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\w+)\\s*$");

  @Test
  void ruleFilesPassPromtoolCheck() throws Exception {
    String promtool = Tools.require("promtool", "prometheus").toString();
    List<String> command = new ArrayList<>(List.of(promtool, "check", "rules"));
    command.addAll(Tools.files("alerts", ".rules.yml"));

    Tools.Result result = Tools.run(TIMEOUT, command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("Checking alerts/node.rules.yml\n  SUCCESS: 2 rules found")
        .contains("Checking alerts/xcm.rules.yml\n  SUCCESS: 15 rules found")
        .doesNotContain("FAILED");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    String promtool = Tools.require("promtool", "prometheus").toString();
    List<String> command = new ArrayList<>(List.of(promtool, "test", "rules"));
    command.addAll(Tools.files("alerts/tests", ".yml"));

    Tools.Result result = Tools.run(TIMEOUT, command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void everyAlertHasARuleUnitTestThatSeesItFire() throws Exception {
    Set<String> alerts = new HashSet<>();
    for (String file : Tools.files("alerts", ".rules.yml")) {
      Matcher m = ALERT.matcher(Files.readString(Jvm.ROOT.resolve(file)));
      while (m.find()) {
        alerts.add(m.group(1));
      }
    }
    StringBuilder tests = new StringBuilder();
    for (String file : Tools.files("alerts/tests", ".yml")) {
      tests.append(Files.readString(Jvm.ROOT.resolve(file)));
    }

    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "XcmAgentDown",
            "XcmLibvirtUnreachable",
            "XcmHostMemoryHeadroomLow",
            "XcmHostCpuSaturated",
            "XcmHostTooHot",
            "XcmActionRefused",
            "XcmWebhookRejectingRequests",
            "XcmEnrolmentWaiting",
            "XcmEnrolmentRefused",
            "XcmPlacementRuleBroken",
            "XcmHostFenceFailed",
            "XcmHostFailed",
            "XcmFailoverCapacityLow",
            "XcmPlacementMetadataUnreadable",
            "XcmNoActiveCoordinator",
            "XcmSeveralActiveCoordinators");
    for (String alert : alerts) {
      // An expected firing names the alert and lists its labels.
      assertThat(tests.toString())
          .as("a promtool test in alerts/tests/ in which %s fires", alert)
          .containsPattern("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels:");
    }
  }

  @Test
  void alertmanagerConfigPassesAmtoolCheck() throws Exception {
    String amtool = Tools.require("amtool", "prometheus-alertmanager").toString();

    Tools.Result result = Tools.run(TIMEOUT, amtool, "check-config", "alerts/alertmanager.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS").contains(" - 2 receivers");
  }

  @Test
  void alertmanagerConfigSendsOnlyActionAlertsToTheWebhookWithABearerToken() throws Exception {
    String config = Files.readString(Jvm.ROOT.resolve("alerts/alertmanager.yml"));
    assertThat(config)
        .contains("url: http://127.0.0.1:9290/api/v1/alertmanager")
        .contains("type: Bearer")
        .contains("credentials_file: /etc/xcm/webhook.token");

    assertThat(receivers("alertname=XcmHostTooHot", "host=dmz01", "xcm_action=drain"))
        .isEqualTo("xcm,operators");
    assertThat(receivers("alertname=XcmHostCpuSaturated", "host=dmz01", "xcm_action=balance"))
        .isEqualTo("xcm,operators");
    // XCM refuses an action it does not know; it must see it to say so.
    assertThat(receivers("alertname=MyRule", "host=dmz01", "xcm_action=evacuate"))
        .isEqualTo("xcm,operators");
    assertThat(receivers("alertname=XcmAgentDown", "host=dmz01")).isEqualTo("operators");
  }

  /** The receivers Alertmanager's routing tree picks for an alert with these labels. */
  private static String receivers(String... labels) throws Exception {
    String amtool = Tools.require("amtool", "prometheus-alertmanager").toString();
    List<String> command =
        new ArrayList<>(
            List.of(amtool, "config", "routes", "test", "--config.file=alerts/alertmanager.yml"));
    command.addAll(List.of(labels));
    Tools.Result result = Tools.run(TIMEOUT, command.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
    // amtool also warns, on stderr and with no line break before it, that the file overrides its
    // default URL.
    return result.output().replaceAll("Warning:[^\n]*\n?", "").trim();
  }

  @Test
  void dashboardsAreWellFormedWithAQueryInEveryPanel() throws Exception {
    Set<String> uids = new HashSet<>();
    List<String> dashboards = Tools.files("dashboards", ".json");
    assertThat(dashboards)
        .containsExactly("dashboards/xcm-cluster.json", "dashboards/xcm-host.json");
    for (String file : dashboards) {
      JsonNode dashboard = JSON.readTree(Jvm.ROOT.resolve(file).toFile());
      assertThat(uids.add(dashboard.path("uid").asText())).as(file + " uid").isTrue();
      assertThat(dashboard.path("title").asText()).as(file).isNotEmpty();
      assertThat(dashboard.path("templating").path("list").get(0).path("type").asText())
          .as(file + ": first variable")
          .isEqualTo("datasource");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        String title = file + " panel \"" + panel.path("title").asText() + "\"";
        assertThat(ids.add(panel.path("id").asInt())).as(title + " id").isTrue();
        JsonNode grid = panel.path("gridPos");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt())
            .as(title)
            .isLessThanOrEqualTo(24);
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("description").asText()).as(title + " description").isNotEmpty();
        assertThat(panel.path("datasource").path("uid").asText())
            .as(title)
            .isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as(title + " targets").isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as(title + " expr").isNotBlank();
        }
      }
    }
  }

  @Test
  void provisioningFilesPointGrafanaAtPrometheusAndTheDashboards() throws Exception {
    String datasource =
        Files.readString(Jvm.ROOT.resolve("dashboards/provisioning/datasources/xcm.yml"));
    String provider =
        Files.readString(Jvm.ROOT.resolve("dashboards/provisioning/dashboards/xcm.yml"));

    assertThat(datasource).contains("apiVersion: 1").contains("type: prometheus");
    assertThat(provider).contains("apiVersion: 1").contains("type: file").contains("path: ");
  }
}
