package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * What a stranger can do to a real coordinator's doors, over real HTTP, and what the coordinator
 * keeps of it: rejected requests leave the journal small and the operators' audit entries in view,
 * a label cannot forge a log line, and the coordinator's files are its owner's only.
 */
class RejectedRequestsIT {
  private static final String TOKEN = "flood-webhook-token-0123456789";
  private static final String PASSWORD = "flood-operator-secret";
  private static final int FLOOD = 100_000;
  private static final int THREADS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Jvm coordinator(String name) throws Exception {
    return Jvm.coordinator(name, "1s")
        .with("--webhook-port", 0)
        .with("--webhook-token-file", Secrets.write(dir.resolve("webhook.token"), TOKEN))
        .with("--state-dir", dir.resolve("state"))
        .with("--jolokia-password-file", Secrets.write(dir.resolve("password"), PASSWORD))
        .start();
  }

  @Test
  void aHundredThousandRejectedWebhookRequestsLeaveTheJournalSmallAndTheOperatorsEntryInView()
      throws Exception {
    try (Jvm coordinator = coordinator("flood-coordinator")) {
      Jolokia operator = new Jolokia(coordinator.jolokiaUrl, "xcm", PASSWORD);
      // An operator's request that the operation refuses: audited, as before.
      JsonNode refused = operator.exec("xcm:type=Operations", "drain", "nosuch", "false");
      assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(400);
      Path journal = dir.resolve("state/journal.mv.db");
      long before = Files.size(journal);

      // One pooled client: its connections are kept alive and shared by the sending threads.
      ExecutorService httpThreads = Executors.newFixedThreadPool(THREADS);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(httpThreads)
              .build();
      HttpRequest wrongToken =
          HttpRequest.newBuilder(URI.create(coordinator.webhookUrl))
              .header("Authorization", "Bearer not-the-token-at-all")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"4\",\"alerts\":[]}"))
              .build();
      HttpRequest badJson =
          HttpRequest.newBuilder(URI.create(coordinator.webhookUrl))
              .header("Authorization", "Bearer " + TOKEN)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"4\",\"alerts\":[{"))
              .build();
      AtomicInteger unauthorized = new AtomicInteger();
      AtomicInteger malformed = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      AtomicInteger resent = new AtomicInteger();
      long started = System.nanoTime();
      ExecutorService senders = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(
              senders.submit(
                  () -> {
                    for (int i = thread; i < FLOOD; i += THREADS) {
                      HttpResponse<Void> response =
                          send(http, i % 2 == 0 ? wrongToken : badJson, resent);
                      (switch (response.statusCode()) {
                            case 401 -> unauthorized;
                            case 400 -> malformed;
                            default -> other;
                          })
                          .incrementAndGet();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        senders.shutdownNow();
      }
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

      assertThat(other.get()).isZero();
      assertThat(resent.get()).as("requests sent again on a new connection").isLessThan(100);
      assertThat(unauthorized.get()).isEqualTo(FLOOD / 2);
      assertThat(malformed.get()).isEqualTo(FLOOD / 2);
      assertThat(Files.size(journal) - before)
          .as("journal growth in bytes after %d rejected requests", FLOOD)
          .isLessThan(1 << 20);
      JsonNode audit = operator.read("xcm:type=Operations").path("value").path("AuditLog");
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).path("action").asText()).isEqualTo("drain nosuch");
      assertThat(audit.get(0).path("door").asText()).isEqualTo("jolokia");
      assertThat(audit.get(0).path("result").asText()).startsWith("refused: unknown host");
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(coordinator.metricsUrl)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("xcm_rejected_requests_total{door=\"webhook\",reason=\"unauthorized\"} 50000.0")
          .contains("xcm_rejected_requests_total{door=\"webhook\",reason=\"malformed\"} 50000.0");
      // At most one line per reason and minute: two reasons.
      long logged =
          Files.readAllLines(coordinator.log).stream()
              .filter(l -> l.contains("WARN xcm.rejected - webhook: rejected a request"))
              .count();
      assertThat(logged).isBetween(2L, 2 * (seconds / 60 + 2));
      httpThreads.shutdownNow();
    }
  }

  @Test
  void aLineBreakInAWebhookLabelCannotForgeALogLine() throws Exception {
    String forged = "[xcm-webhook-http] INFO xcm.audit - jolokia:admin drain dmz02: started";
    try (Jvm coordinator = coordinator("forge-coordinator")) {
      ObjectNode payload =
          JSON.createObjectNode().put("version", "4").put("status", "firing").put("receiver", "x");
      ObjectNode alert = payload.putArray("alerts").addObject().put("status", "firing");
      alert
          .putObject("labels")
          .put("alertname", "XcmHostTooHot\n" + forged)
          .put("xcm_action", "drain")
          .put("host", "nosuch\r\n" + forged);
      alert.put("startsAt", "2025-01-01T10:00:00Z").put("fingerprint", "f00d");
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(coordinator.webhookUrl))
                      .header("Authorization", "Bearer " + TOKEN)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String escaped = "XcmHostTooHot\\n" + forged;
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(coordinator.log).contains(escaped));

      List<String> lines = Files.readAllLines(coordinator.log);
      assertThat(lines).noneMatch(line -> line.startsWith(forged));
      assertThat(lines.stream().filter(line -> line.contains(forged)))
          .isNotEmpty()
          .allMatch(line -> line.contains(" xcm.audit - webhook:" + escaped))
          .anyMatch(line -> line.contains("drain nosuch\\r\\n" + forged));
    }
  }

  @Test
  void theStateDirectoryAndTheJournalAreTheOwnersOnly() throws Exception {
    try (Jvm coordinator = coordinator("files-coordinator")) {
      assertThat(coordinator.process.isAlive()).isTrue();
      assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("state/journal.mv.db"))).isEqualTo("rw-------");
    }
  }

  @Test
  void aSecretFileOthersCanReadOrAWiderStateDirectoryStopsTheStart() throws Exception {
    Path token = Secrets.write(dir.resolve("webhook.token"), TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Path password = Secrets.write(dir.resolve("password"), PASSWORD);
    List<String> options =
        List.of(
            "--jolokia-port",
            "0",
            "--metrics-port",
            "0",
            "--webhook-port",
            "0",
            "--enrol-port",
            "0",
            "--jolokia-password-file",
            password.toString(),
            "--webhook-token-file",
            token.toString(),
            "--state-dir",
            dir.resolve("state").toString());

    Tools.Result secret = run(options);

    assertThat(secret.exitCode()).as(secret.output()).isEqualTo(2);
    assertThat(secret.output())
        .contains(
            "xcm.coordinator.webhook.token-file: "
                + token
                + " holds a secret but has mode 0644 (rw-r--r--), which lets group or others read"
                + " or write it")
        .doesNotContain(TOKEN);

    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Path state = Files.createDirectory(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-x---"));

    Tools.Result wide = run(options);

    assertThat(wide.exitCode()).as(wide.output()).isNotZero();
    assertThat(wide.output())
        .contains("the state directory " + state + " has mode 0750 (rwxr-x---)")
        .contains("chmod 700 " + state);
  }

  /**
   * Sends a request, again on a fresh connection when the server had closed the pooled one just as
   * it was reused (the JDK's client does not resend a POST by itself).
   */
  private static HttpResponse<Void> send(HttpClient http, HttpRequest request, AtomicInteger resent)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (java.io.IOException e) {
        if (attempt == 3) {
          throw e;
        }
        resent.incrementAndGet();
      }
    }
  }

  private static Tools.Result run(List<String> options) throws Exception {
    return Tools.run(
        Duration.ofSeconds(60),
        Jvm.COMMANDS.command(Program.COORDINATOR, options).toArray(String[]::new));
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
