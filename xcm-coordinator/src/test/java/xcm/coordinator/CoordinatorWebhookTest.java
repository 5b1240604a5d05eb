package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.webhook.WebhookConfig;
import xcm.mbeans.config.ConfigException;
import xcm.serve.StartException;

/** The webhook's configuration keys and its place in a running coordinator. */
class CoordinatorWebhookTest {
  private static final String TOKEN = "webhook-token-0123456789";

  @TempDir Path dir;

  private Map<String, String> keys(String... pairs) {
    Map<String, String> values = new HashMap<>();
    values.put("xcm.coordinator.enrol.port", "0");
    values.put("xcm.coordinator.jolokia.password", "coordinator");
    values.put("xcm.coordinator.jolokia.port", "0");
    values.put("xcm.coordinator.metrics.port", "0");
    values.put("xcm.coordinator.nightly-balance.cron", "");
    values.put("xcm.coordinator.state-dir", dir.resolve("state").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      values.put("xcm.coordinator." + pairs[i], pairs[i + 1]);
    }
    return values;
  }

  @Test
  void webhookIsOffWithoutAToken() {
    assertThat(CoordinatorConfig.load(keys()).webhook()).isEmpty();
  }

  @Test
  void webhookPortWithoutATokenFailsStartUp() {
    assertThatThrownBy(() -> CoordinatorConfig.load(keys("webhook.port", "9290")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.webhook.token")
        .hasMessageContaining(
            "required (or xcm.coordinator.webhook.token-file) when xcm.coordinator.webhook.port is"
                + " set: the webhook never runs without a bearer token");
  }

  @Test
  void shortTokenFailsStartUpWithoutShowingIt() {
    assertThatThrownBy(() -> CoordinatorConfig.load(keys("webhook.token", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.webhook.token")
        .hasMessageContaining("must be at least 16 characters without spaces")
        .hasMessageNotContaining("short");
  }

  @Test
  void tokenFileTurnsTheWebhookOnWithItsDefaults() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));

    WebhookConfig webhook =
        CoordinatorConfig.load(keys("webhook.token-file", token.toString()))
            .webhook()
            .orElseThrow();

    assertThat(webhook.token()).isEqualTo(TOKEN);
    assertThat(webhook.address()).isEqualTo("127.0.0.1");
    assertThat(webhook.port()).isEqualTo(9290);
    assertThat(webhook.maxBodyBytes()).isEqualTo(1 << 20);
    assertThat(webhook.remember()).isEqualTo(Duration.ofHours(24));
    assertThat(webhook.balancePolicy()).isEqualTo("weighted");
    assertThat(webhook.toString()).doesNotContain(TOKEN).contains("token=***");
  }

  @Test
  void unknownWebhookKeyFailsStartUp() {
    assertThatThrownBy(
            () -> CoordinatorConfig.load(keys("webhook.token", TOKEN, "webhook.tokn", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("xcm.coordinator.webhook.tokn")
        .hasMessageContaining("unknown key");
  }

  @Test
  void runningCoordinatorServesTheWebhookWhichRefusesRequestsWithoutTheToken() throws Exception {
    CoordinatorConfig config =
        CoordinatorConfig.load(keys("webhook.token", TOKEN, "webhook.port", "0"));
    try (Coordinator coordinator =
        Coordinator.start(
            config,
            MBeanServerFactory.newMBeanServer(),
            new PrometheusRegistry(),
            Clock.systemUTC())) {
      String url = coordinator.webhookUrl().orElseThrow();

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\":[]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/api/v1/alertmanager");
      assertThat(response.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void busyWebhookPortFailsStartUpNamingTheAddressAndPort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CoordinatorConfig config =
          CoordinatorConfig.load(
              keys("webhook.token", TOKEN, "webhook.port", String.valueOf(busy.getLocalPort())));

      assertThatThrownBy(
              () ->
                  Coordinator.start(
                      config,
                      MBeanServerFactory.newMBeanServer(),
                      new PrometheusRegistry(),
                      Clock.systemUTC()))
          .isInstanceOf(StartException.class)
          .hasMessageStartingWith(
              "cannot start the Alertmanager webhook on 127.0.0.1:" + busy.getLocalPort() + ": ");
    }
  }
}
