package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.metrics.OperationMetrics;
import xcm.coordinator.migration.MigrationQueue;
import xcm.mbeans.MoveState;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationMXBean;
import xcm.mbeans.OperationState;

class MoveOutcomesTest {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  private MigrationQueue queue;

  @AfterEach
  void stop() {
    queue.close();
  }

  @Test
  void anIncompleteMoveIsIncompleteInTheViewTheMetricsAndTheJournal() {
    FakeCluster cluster = new FakeCluster().host("a", 32, 2, 2).host("b", 32).join();
    cluster.incomplete.add("a-vm0");
    queue = new MigrationQueue(cluster, 2, 8);
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    OperationService service = cluster.operations(queue, server, Clock.systemUTC());
    PrometheusRegistry registry = new PrometheusRegistry();
    service.addMoveListener(OperationMetrics.register(registry, service.registry())::moved);

    String id = service.migrate("a-vm0", "b", OPERATOR);
    Operation operation = service.registry().get(id);
    await().atMost(10, TimeUnit.SECONDS).until(() -> operation.state() != OperationState.RUNNING);

    OperationMXBean view =
        JMX.newMXBeanProxy(server, ObjectNames.operation(id), OperationMXBean.class);
    assertThat(view.getMoves()).extracting(m -> m.state()).containsExactly(MoveState.INCOMPLETE);
    assertThat(view.getMovesIncomplete()).isEqualTo(1);
    assertThat(view.getMovesFailed()).isZero();
    assertThat(view.getMovesDone()).isZero();
    assertThat(view.getState()).isEqualTo(OperationState.FAILED);
    assertThat(view.getErrors())
        .containsExactly("a-vm0 a -> b: the paused copy on a could not be removed");
    assertThat(operation.problems())
        .extracting(OperationError::kind)
        .containsExactly(OperationError.Kind.MOVE_INCOMPLETE);
    assertThat(cluster.journal.moves(id))
        .extracting(m -> m.phase())
        .containsExactly(MovePhase.INCOMPLETE);
    assertThat(cluster.inventory.snapshot().host("b").data().domains())
        .as("the inventory has the domain where it runs")
        .extracting(d -> d.name())
        .containsExactly("a-vm0");
    assertThat(migrationsByResult(registry))
        .containsEntry("incomplete", 1.0)
        .containsEntry("failed", 0.0)
        .containsEntry("succeeded", 0.0);
  }

  /** {@code xcm_migrations_total} by its {@code result} label. */
  private static Map<String, Double> migrationsByResult(PrometheusRegistry registry) {
    Map<String, Double> counts = new TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals("xcm_migrations")) {
        for (CounterSnapshot.CounterDataPointSnapshot point :
            ((CounterSnapshot) snapshot).getDataPoints()) {
          counts.put(point.getLabels().get("result"), point.getValue());
        }
      }
    }
    return counts;
  }
}
