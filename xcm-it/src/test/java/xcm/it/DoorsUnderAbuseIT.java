package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.serve.http.SlowClients;

/**
 * The attack on main, against real processes with their default settings: 50 slow connections (one
 * header byte a second, from five loopback addresses other than the client's, 10 each, under the
 * cap per address) held open to an agent's Jolokia and to a coordinator's webhook, while a client
 * with credentials asks; and a megabyte of nested {@code [} to an agent, which cost it an
 * OutOfMemoryError.
 */
class DoorsUnderAbuseIT {
  private static final String PASSWORD = "doors-s3cret";
  private static final String TOKEN = "doors-webhook-token-0123456789";
  private static final List<String> ATTACKERS =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @TempDir static Path dir;
  private static Jvm agent;
  private static Jvm coordinator;

  @BeforeAll
  static void start() throws Exception {
    Path password = secret("password", PASSWORD);
    agent =
        Jvm.agent("doors-dmz01", Jvm.testNode("dmz01"))
            .with("--jolokia-password-file", password)
            .start();
    coordinator =
        Jvm.coordinator("doors-coordinator", "5s")
            .with("--state-dir", dir.resolve("coordinator"))
            .with("--jolokia-password-file", password)
            .with("--webhook-port", 0)
            .with("--webhook-token-file", secret("webhook.token", TOKEN))
            .start();
  }

  private static Path secret(String name, String value) throws Exception {
    Path file = Files.writeString(dir.resolve(name), value);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  private static HttpResponse<String> post(String url, String authorization, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder().encodeToString(("xcm:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** Five requests, each answered 200 within 1 s; what the last one answered. */
  private static String answeredWithin1s(String url, String authorization, String body)
      throws Exception {
    String last = null;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = post(url, authorization, body);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(took).as("request %d", i + 1).isLessThan(Duration.ofSeconds(1));
      last = response.body();
    }
    return last;
  }

  @Test
  void anAgentAnswersWithin1sWhile50SlowConnectionsAreHeldOpen() throws Exception {
    try (SlowClients slow =
        SlowClients.open(
            port(agent.jolokiaUrl), 50, ATTACKERS, "POST /jolokia/ HTTP/1.1\r\nHost: x\r\n")) {
      Thread.sleep(2000);
      assertThat(slow.open()).isEqualTo(50);

      String answer =
          answeredWithin1s(
              agent.jolokiaUrl, basic(), "{\"type\":\"read\",\"mbean\":\"xcm:type=Host\"}");

      assertThat(answer).contains("\"status\":200").contains("\"Name\":\"dmz01\"");
    }
  }

  @Test
  void theWebhookAnswersWithin1sWhile50SlowConnectionsAreHeldOpen() throws Exception {
    try (SlowClients slow =
        SlowClients.open(
            port(coordinator.webhookUrl),
            50,
            ATTACKERS,
            "POST /api/v1/alertmanager HTTP/1.1\r\nHost: x\r\n")) {
      Thread.sleep(2000);
      assertThat(slow.open()).isEqualTo(50);

      String answer =
          answeredWithin1s(
              coordinator.webhookUrl,
              "Bearer " + TOKEN,
              "{\"version\":\"4\",\"receiver\":\"xcm\",\"status\":\"firing\",\"alerts\":[]}");

      assertThat(answer).isEqualTo("{\"receiver\":\"xcm\",\"results\":[]}");
    }
  }

  @Test
  void aMegabyteOfNestedBracketsGets400AndTheAgentStillAnswers() throws Exception {
    HttpResponse<String> nested = post(agent.jolokiaUrl, basic(), "[".repeat(1 << 20));

    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("JSON nested deeper than 20 levels");
    assertThat(agent.process.isAlive()).isTrue();
    assertThat(
            post(agent.jolokiaUrl, basic(), "{\"type\":\"read\",\"mbean\":\"xcm:type=Host\"}")
                .body())
        .contains("\"status\":200");
    assertThat(Files.readString(agent.log)).doesNotContain("OutOfMemoryError");
  }
}
