package xcm.agent.register;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;
import xcm.serve.LogText;

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
  private final JolokiaClient client;
  private final ScheduledExecutorService executor;
  private volatile boolean registered;
  private String lastFailure;
  private Duration backoff = Duration.ofSeconds(1);

  private Registration(RegistrationConfig coordinator, String agentUrl, String host) {
    this.coordinator = coordinator;
    this.agentUrl = agentUrl;
    this.host = host;
    this.client =
        JolokiaClient.builder()
            .credentials(Credentials.basic(coordinator.user(), coordinator.password()))
            .callee("coordinator")
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (failure == null) {
      registered = true;
      log.info(
          "{}: registered with the coordinator at {} as {}",
          host,
          LogText.escape(coordinator.url()),
          LogText.escape(agentUrl));
      return;
    }
    if (!Objects.equals(failure, lastFailure)) {
      log.warn(
          "{}: cannot register yet, retrying with back-off: {}", host, LogText.escape(failure));
      lastFailure = failure;
    }
    executor.schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
    backoff =
        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  /** Returns null on success, else why not. */
  private String register() throws InterruptedException {
    try {
      client.send(coordinator.url(), Request.exec(ObjectNames.operations(), "addHost", agentUrl));
      return null;
    } catch (JolokiaException e) {
      return e.refusal() != null && e.refusal().byOperation()
          ? "the coordinator refused: " + e.getMessage()
          : e.getMessage();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
