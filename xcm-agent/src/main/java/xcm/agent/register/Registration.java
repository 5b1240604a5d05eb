package xcm.agent.register;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent joining its coordinator, as the seed paper's daemons connected to the monitoring
 * station: it calls {@code addHost(<its Jolokia URL>)} on the coordinator's {@code
 * xcm:type=Operations} until that succeeds, backing off from 1 s to 1 min while the coordinator is
 * down or refuses. Each new reason for failing is logged once.
 *
 * <p>Thread-safe; runs on its own daemon thread.
 */
public final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final RegistrationConfig coordinator;
  private final String agentUrl;
  private final String host;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService executor;
  private volatile boolean registered;
  private String lastFailure;
  private Duration backoff = Duration.ofSeconds(1);

  private Registration(RegistrationConfig coordinator, String agentUrl, String host) {
    this.coordinator = coordinator;
    this.agentUrl = agentUrl;
    this.host = host;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xcm-register-" + host);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts registering {@code agentUrl} with the coordinator, at once and in the background. */
  public static Registration start(RegistrationConfig coordinator, String agentUrl, String host) {
    Registration registration = new Registration(coordinator, agentUrl, host);
    registration.executor.execute(registration::attempt);
    return registration;
  }

  /** True once the coordinator accepted this agent. */
  public boolean registered() {
    return registered;
  }

  private void attempt() {
    String failure;
    try {
      failure = register();
    } catch (IOException e) {
      failure = "coordinator at " + coordinator.url() + " does not answer: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (failure == null) {
      registered = true;
      log.info(
          "{}: registered with the coordinator at {} as {}", host, coordinator.url(), agentUrl);
      return;
    }
    if (!Objects.equals(failure, lastFailure)) {
      log.warn("{}: cannot register yet, retrying with back-off: {}", host, failure);
      lastFailure = failure;
    }
    executor.schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
    backoff =
        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  /** Returns null on success, else why not. */
  private String register() throws IOException, InterruptedException {
    String body =
        "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\"addHost\","
            + "\"arguments\":["
            + json.writeValueAsString(agentUrl)
            + "]}";
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (coordinator.user() + ":" + coordinator.password())
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(coordinator.url()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 401) {
      return "the coordinator at " + coordinator.url() + " refused the credentials (HTTP 401)";
    }
    if (response.statusCode() != 200) {
      return "the coordinator at " + coordinator.url() + " answered HTTP " + response.statusCode();
    }
    JsonNode reply = json.readTree(response.body());
    if (reply.path("status").asInt() != 200) {
      return "the coordinator refused: " + reply.path("error").asText(response.body());
    }
    return null;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
