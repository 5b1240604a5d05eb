package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.client.Credentials;
import xcm.client.Endpoint;
import xcm.client.JolokiaClient;
import xcm.client.Request;
import xcm.coordinator.cli.Cli;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.migration.FakeAgent;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;

/**
 * While a drain collects from an agent that takes 5 s to answer (and then plans), the requests
 * operators make every minute — cancel another operation, {@code ./xcm ops}, a read of {@code
 * xcm:type=Operations} — answer at once: no lock they need is held across the network or the plan.
 * A real coordinator, its Jolokia and the CLI on loopback; the agents are {@link FakeAgent}s over
 * HTTP.
 */
class RequestLatencyTest {
  private static final String PASSWORD = "operator-secret";
  private static final long LIMIT_MILLIS = 200;

  @TempDir Path dir;
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private MBeanServer server;
  private Coordinator coordinator;

  @AfterEach
  void stop() {
    network.values().forEach(FakeAgent::endMigrations);
    if (coordinator != null) {
      coordinator.close();
    }
    MBeanServerFactory.releaseMBeanServer(server);
    network.values().forEach(FakeAgent::close);
  }

  @Test
  void cancelOpsAndOperationsReadsAnswerWhileADrainCollectsFromASlowAgent() throws Exception {
    StateDirectory.prepare(dir.resolve("state"));
    EnrolmentDesk desk = EnrolmentDesk.open(dir.resolve("state"), Clock.systemUTC());
    FakeAgent dmz01 =
        FakeAgent.startEnrolled("dmz01", network, desk)
            .domain("web01", DomainState.RUNNING)
            .domain("db01", DomainState.RUNNING);
    FakeAgent.startEnrolled("dmz02", network, desk);
    FakeAgent dmz03 =
        FakeAgent.startEnrolled("dmz03", network, desk).domain("app01", DomainState.RUNNING);
    FakeAgent dmz04 =
        FakeAgent.startEnrolled("dmz04", network, desk).domain("app02", DomainState.RUNNING);
    Map<String, String> values = new HashMap<>();
    values.put("xcm.coordinator.enrol.port", "0");
    values.put("xcm.coordinator.jolokia.password", PASSWORD);
    values.put("xcm.coordinator.jolokia.port", "0");
    values.put("xcm.coordinator.metrics.port", "0");
    values.put("xcm.coordinator.nightly-balance.cron", "");
    values.put("xcm.coordinator.state-dir", dir.resolve("state").toString());
    values.put("xcm.coordinator.collect-interval", "10s");
    values.put("xcm.coordinator.agent-timeout", "8s");
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(
            CoordinatorConfig.load(values), server, new PrometheusRegistry(), Clock.systemUTC());
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> coordinator.inventory().snapshot().domainCount() == 4);
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
    String[] ops = {
      "ops",
      "--url",
      coordinator.endpoints().jolokiaUrl(),
      "--password-file",
      passwordFile.toString()
    };
    // A move that runs until the test ends: an operation to cancel. Meanwhile its domain shows on
    // both hosts, as a real migration's does.
    dmz04.plan(FakeAgent.Plan.succeed().hanging());
    String migration = exec("migrate", "app02", "dmz02").asText();
    // Each request once before the clock runs: the first of each loads its classes.
    assertThat(Cli.run(ops)).isZero();
    read(ObjectNames.operations());

    dmz03.answerAfter(Duration.ofSeconds(5));
    long drainStarted = System.nanoTime();
    CompletableFuture<JsonNode> drain =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return exec("drain", "dmz01", false);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    Thread.sleep(500);

    long cancel = millis(() -> exec("cancel", migration));
    long opsCommand = millis(() -> assertThat(Cli.run(ops)).isZero());
    long operations =
        millis(
            () -> assertThat(read(ObjectNames.operations()).path("AuditLog").isArray()).isTrue());
    boolean drainStillCollecting = !drain.isDone();
    JsonNode drained = drain.get(30, TimeUnit.SECONDS);
    long drainMillis = (System.nanoTime() - drainStarted) / 1_000_000;
    System.out.printf(
        "while a drain collected and planned for %d ms: cancel %d ms, ./xcm ops %d ms, read of"
            + " xcm:type=Operations %d ms%n",
        drainMillis, cancel, opsCommand, operations);

    assertThat(drainStillCollecting).as("measured while the drain was collecting").isTrue();
    assertThat(drainMillis).as("the drain waited for the slow agent").isGreaterThan(4500);
    assertThat(drained.asText()).as("the drain's operation id").isNotEmpty();
    assertThat(cancel).as("cancel").isLessThan(LIMIT_MILLIS);
    assertThat(opsCommand).as("./xcm ops").isLessThan(LIMIT_MILLIS);
    assertThat(operations).as("read of xcm:type=Operations").isLessThan(LIMIT_MILLIS);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static long millis(Call call) throws Exception {
    long started = System.nanoTime();
    call.run();
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** An exec of {@code xcm:type=Operations} through the coordinator's Jolokia, as an operator. */
  private JsonNode exec(String operation, Object... arguments) throws Exception {
    return operator().send(Request.exec(ObjectNames.operations(), operation, arguments));
  }

  private JsonNode read(ObjectName mbean) throws Exception {
    return operator().send(Request.read(mbean));
  }

  private Endpoint operator() {
    return JolokiaClient.builder()
        .credentials(Credentials.basic("xcm", PASSWORD, "the operator's credentials"))
        .callee("coordinator")
        .build()
        .at(coordinator.endpoints().jolokiaUrl());
  }
}
