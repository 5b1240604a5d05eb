package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static xcm.coordinator.migration.FakeAgent.Plan.succeed;
import static xcm.mbeans.DomainState.RUNNING;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.LocalPostgres;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.FakeAgent;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;

/**
 * A coordinator whose journal is on PostgreSQL ({@link LocalPostgres}), with two agents ({@link
 * FakeAgent}, Jolokia over HTTP): the database restarts in the middle of a drain, and the drain
 * ends as it would have, journaled, with no coordinator restart.
 */
class CoordinatorOnPostgresIT {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  @TempDir Path dir;
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private LocalPostgres postgres;
  private String url;
  private FakeAgent dmz01;
  private FakeAgent dmz02;
  private MBeanServer server;
  private Coordinator coordinator;

  @BeforeEach
  void start() throws Exception {
    postgres = LocalPostgres.start();
    url = postgres.createDatabase("xcm");
    StateDirectory.prepare(dir.resolve("state"));
    EnrolmentDesk desk = EnrolmentDesk.open(dir.resolve("state"), Clock.systemUTC());
    dmz01 = FakeAgent.startEnrolled("dmz01", network, desk);
    dmz02 = FakeAgent.startEnrolled("dmz02", network, desk);
    Map<String, String> values = TestSettings.of(dir.resolve("state"));
    values.put("xcm.coordinator.journal.url", url);
    values.put("xcm.coordinator.journal.user", "xcm");
    values.put("xcm.coordinator.collect-interval", "500ms");
    values.put("xcm.coordinator.cooldown", "0s");
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(
            CoordinatorConfig.load(values), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    if (coordinator != null) {
      coordinator.close();
    }
    MBeanServerFactory.releaseMBeanServer(server);
    dmz01.close();
    dmz02.close();
    postgres.close();
  }

  @Test
  void aDrainEndsInMaintenanceThroughARestartOfItsDatabase() throws Exception {
    for (String vm : new String[] {"web01", "web02", "web03", "db01"}) {
      dmz01.domain(vm, RUNNING);
    }
    // Each migration runs for a few status reads, so that the restart falls among the moves.
    dmz01.plan(
        succeed().running(4), succeed().running(4), succeed().running(4), succeed().running(4));
    await().atMost(20, TimeUnit.SECONDS).until(() -> heard("dmz01") && heard("dmz02"));

    String id = coordinator.operations().drain("dmz01", false, OPERATOR);
    await().atMost(20, TimeUnit.SECONDS).until(() -> dmz01.migrateCalls() >= 1);
    postgres.restart();

    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> coordinator.operations().registry().get(id).state() != OperationState.RUNNING);
    Operation op = coordinator.operations().registry().get(id);
    assertThat(op.state()).as(String.join("; ", op.errors())).isEqualTo(OperationState.SUCCEEDED);
    assertThat(dmz02.states()).containsOnlyKeys("web01", "web02", "web03", "db01");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                coordinator.inventory().snapshot().host("dmz01").state() == HostState.MAINTENANCE);
    coordinator.close();
    coordinator = null;
    try (Journal journal = Journal.open(url, "xcm", "", Clock.systemUTC())) {
      assertThat(journal.unfinished()).as("no operation left running").isEmpty();
      assertThat(journal.moves(id))
          .extracting(JournaledMove::phase)
          .containsOnly(MovePhase.SUCCEEDED)
          .hasSize(4);
      assertThat(journal.hostModes()).containsExactly(Map.entry("dmz01", HostState.MAINTENANCE));
    }
  }

  private boolean heard(String host) {
    var record = coordinator.inventory().snapshot().host(host);
    return record != null && record.data() != null;
  }
}
