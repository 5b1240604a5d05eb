package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.schedule.ClusterScheduler;

/** The coordinator's schedule prunes the audit log by itself. */
class AuditPruningTest {

  @Test
  void theScheduledJobKeepsTheAuditLogToItsRows() throws Exception {
    FakeCluster cluster = new FakeCluster().host("a", 32).join();
    ExecutorService http = Executors.newSingleThreadExecutor();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      for (int i = 0; i < 20; i++) {
        service.audit().record(new Requester("jolokia", "xcm"), "drain h" + i, "done");
        Thread.sleep(2);
      }
      JolokiaClient agents =
          Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(1), http);
      ClusterScheduler scheduler =
          ClusterScheduler.create(
              new ClusterScheduler.Jobs(
                  service,
                  new UnsettledMoves(
                      Journal.inMemory(Clock.systemUTC()),
                      new MoveResolver(agents, () -> 1L, Duration.ZERO, Duration.ofMillis(10)),
                      cluster.inventory,
                      service),
                  Duration.ofHours(1),
                  "",
                  "weighted",
                  new AuditRetention(Duration.ofDays(90), 5, Duration.ofMillis(100)),
                  ContinuousBalancingTest.off(service),
                  Duration.ofHours(1)),
              () -> true,
              Optional.empty());
      scheduler.start();
      try {
        await().atMost(10, TimeUnit.SECONDS).until(() -> service.audit().entries().size() == 5);

        assertThat(service.audit().entries())
            .extracting(AuditLog.Entry::action)
            .containsExactly("drain h19", "drain h18", "drain h17", "drain h16", "drain h15");
        assertThat(cluster.journal.auditSize()).isEqualTo(5);
      } finally {
        scheduler.close();
      }
    } finally {
      http.shutdownNow();
    }
  }
}
