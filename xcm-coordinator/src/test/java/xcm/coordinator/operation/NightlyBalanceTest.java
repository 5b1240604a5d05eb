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
import xcm.mbeans.OperationType;

class NightlyBalanceTest {

  @Test
  void nightlyBalanceRunsOnItsCronScheduleThroughTheScheduleDoor() throws Exception {
    FakeCluster cluster = new FakeCluster().host("a", 32, 1, 1, 1, 1).host("b", 32).join();
    ExecutorService http = Executors.newSingleThreadExecutor();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      JolokiaClient agents =
          Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(1), http);
      // Every second instead of every night; the agents here are the fake cluster.
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
                  "* * * * * ?",
                  "domain-count,target=strict",
                  AuditRetention.DEFAULT,
                  ContinuousBalancingTest.off(service),
                  Duration.ofHours(1)),
              () -> true,
              Optional.empty());
      scheduler.start();
      try {
        await()
            .atMost(10, TimeUnit.SECONDS)
            .until(
                () ->
                    service.registry().all().stream()
                        .anyMatch(o -> o.kind().type() == OperationType.BALANCE));

        Operation balance =
            service.registry().all().stream()
                .filter(o -> o.kind().type() == OperationType.BALANCE)
                .findFirst()
                .orElseThrow();
        assertThat(balance.requester()).isEqualTo(Requester.schedule("nightly-balance"));
        assertThat(balance.summary()).isEqualTo("balance domain-count,target=strict");
        await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.names("b").size() == 2);
      } finally {
        scheduler.close();
      }
    } finally {
      http.shutdownNow();
    }
  }
}
