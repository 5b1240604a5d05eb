package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.migration.MigrationQueue;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

class AdmissionTest {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  private MigrationQueue queue;

  @AfterEach
  void stop() {
    queue.close();
  }

  private OperationService start(FakeCluster cluster) {
    cluster.join();
    queue = new MigrationQueue(cluster, 2, 8);
    return cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
  }

  @Test
  void aBalancePlannedWhileAMigrationStartedIsRefusedNamingItAndStartsNothing() {
    FakeCluster cluster = new FakeCluster().host("a", 64, 2, 2, 2, 2, 2, 2).host("b", 64);
    cluster.host("c", 64);
    cluster.moveMillis = 50;
    OperationService service = start(cluster);
    AtomicReference<String> migration = new AtomicReference<>();
    cluster.duringCollect =
        () -> {
          if (migration.get() == null) {
            migration.set(service.migrate("a-vm5", "c", OPERATOR));
          }
        };

    assertThatThrownBy(() -> service.balance("weighted", false, OPERATOR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the cluster changed while the plan was made: operation "
                + migration.get()
                + " (migrate a-vm5 to c) started; nothing was done, ask again");

    assertThat(service.registry().all())
        .extracting(o -> o.kind().type())
        .containsExactly(OperationType.MIGRATE);
    assertThat(service.audit().entries())
        .filteredOn(e -> e.action().equals("balance weighted"))
        .extracting(AuditLog.Entry::result)
        .singleElement()
        .asString()
        .startsWith("refused: the cluster changed while the plan was made");
  }

  @Test
  void requestsAreNotHeldUpWhileADrainCollects() throws Exception {
    FakeCluster cluster = new FakeCluster().host("a", 64, 2, 2, 2).host("b", 64, 2).host("c", 64);
    cluster.moveMillis = 2000;
    OperationService service = start(cluster);
    String slow = service.migrate("b-vm0", "c", OPERATOR);
    await().atMost(5, TimeUnit.SECONDS).until(() -> service.registry().get(slow).running() == 1);
    CountDownLatch collecting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    cluster.duringCollect =
        () -> {
          collecting.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    CompletableFuture<String> drain =
        CompletableFuture.supplyAsync(() -> service.drain("a", false, OPERATOR));
    assertThat(collecting.await(10, TimeUnit.SECONDS)).isTrue();

    long started = System.nanoTime();
    service.cancel(slow, OPERATOR);
    service.activate("c", OPERATOR);
    assertThat(service.registry().running()).extracting(Operation::id).contains(slow);
    assertThat(service.unsettledMoves()).isEmpty();
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(millis).as("requests answered while the drain collects").isLessThan(1000);
    assertThat(drain).isNotDone();
    release.countDown();
    Operation drained = service.registry().get(drain.get(10, TimeUnit.SECONDS));
    assertThat(drained.state()).isIn(OperationState.RUNNING, OperationState.SUCCEEDED);
    assertThat(cluster.inventory.snapshot().host("a").state())
        .isIn(HostState.DRAINING, HostState.MAINTENANCE);
  }
}
