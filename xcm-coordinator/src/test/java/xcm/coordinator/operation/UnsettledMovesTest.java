package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.OperationType;

/**
 * A move left UNSETTLED whose source was then fenced: the source will never tell, so the
 * destination alone settles it. (Moves whose two hosts answer are settled by the resolver, which
 * AgentRestartIT and the fault bench exercise across processes.)
 */
class UnsettledMovesTest {
  private MigrationQueue queue;

  @AfterEach
  void stop() {
    if (queue != null) {
      queue.close();
    }
  }

  private String unsettledMove(FakeCluster cluster, String domain, String from, String to) {
    MoveRequest move =
        new MoveRequest(
            "op-1",
            0,
            domain,
            "uuid-" + domain,
            from,
            "http://" + from + "/jolokia/",
            to,
            "http://" + to + "/jolokia/");
    cluster.journal.operationStarted(
        "op-1",
        new JournaledOperation.Kind(OperationType.MIGRATE, domain, to, null, false),
        "migrate " + domain + " to " + to,
        "jmx:ops",
        List.of(move));
    cluster.journal.moveEnded(move, MoveResult.Outcome.UNSETTLED, 1, "the migration timed out");
    return move.uuid();
  }

  private OperationService start(FakeCluster cluster) {
    queue = new MigrationQueue(cluster, 2, 8);
    return cluster.join().operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
  }

  private void fence(FakeCluster cluster, String host) {
    cluster.inventory.applyRound(
        new RoundOutcome(
            Map.of("h2", cluster.data("h2")), Map.of(host, "connection refused"), 0.01));
    cluster.inventory.updateFailure(
        host, r -> r.fenced(HostFailure.fenced(java.time.Instant.now(), "fenced by test")));
  }

  @Test
  void aMoveWhoseFencedSourceNeverFinishedEndsFailedForTheRestartToTake() throws Exception {
    FakeCluster cluster = new FakeCluster().host("h1", 32, 2).host("h2", 32);
    OperationService operations = start(cluster);
    unsettledMove(cluster, "h1-vm0", "h1", "h2");
    fence(cluster, "h1");

    int settled =
        new UnsettledMoves(
                cluster.journal,
                new MoveResolver(null, () -> 1L, Duration.ZERO, Duration.ZERO),
                cluster.inventory,
                operations)
            .settle();

    assertThat(settled).isEqualTo(1);
    JournaledMove move = cluster.journal.moves("op-1").get(0);
    assertThat(move.phase()).isEqualTo(MovePhase.FAILED);
    assertThat(move.error()).contains("h1 was fenced during the move", "the restart takes it");
  }
}
