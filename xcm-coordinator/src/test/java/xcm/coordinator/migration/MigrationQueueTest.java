package xcm.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MigrationQueueTest {

  /** A runner that takes a little time and records how many moves ran at once, per host too. */
  static final class CountingRunner implements MoveRunner {
    final Map<String, AtomicInteger> perHost = new ConcurrentHashMap<>();
    final AtomicInteger cluster = new AtomicInteger();
    final AtomicInteger maxCluster = new AtomicInteger();
    final AtomicInteger maxPerHost = new AtomicInteger();

    @Override
    public MoveResult run(MoveRequest move) {
      int c = cluster.incrementAndGet();
      maxCluster.accumulateAndGet(c, Math::max);
      for (String host : List.of(move.from(), move.to())) {
        int h = perHost.computeIfAbsent(host, k -> new AtomicInteger()).incrementAndGet();
        maxPerHost.accumulateAndGet(h, Math::max);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      perHost.get(move.from()).decrementAndGet();
      perHost.get(move.to()).decrementAndGet();
      cluster.decrementAndGet();
      return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", 5, 1);
    }
  }

  private static MoveRequest move(String op, int i, String from, String to) {
    return new MoveRequest(op, i, "vm" + i, "u" + i, from, "http://" + from, to, "http://" + to);
  }

  @Test
  void neverRunsMoreThanTheLimitsPerHostAndInTheCluster() throws Exception {
    CountingRunner runner = new CountingRunner();
    try (MigrationQueue queue = new MigrationQueue(runner, 2, 8)) {
      CountDownLatch done = new CountDownLatch(400);
      for (int i = 0; i < 400; i++) {
        queue.submit(
            move("op", i, "h" + (i % 20), "h" + ((i * 7 + 3) % 20)), r -> done.countDown());
      }
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

      assertThat(runner.maxPerHost.get()).isLessThanOrEqualTo(2);
      assertThat(runner.maxCluster.get()).isLessThanOrEqualTo(8);
      assertThat(runner.maxCluster.get())
          .as("the limits are used, not just respected")
          .isGreaterThan(4);
      assertThat(queue.peaks()).containsExactly(runner.maxCluster.get(), runner.maxPerHost.get());
    }
  }

  @Test
  void aMoveBetweenBusyHostsDoesNotHoldUpMovesBetweenOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> started = new ArrayList<>();
    MoveRunner blocking =
        move -> {
          synchronized (started) {
            started.add(move.domain());
          }
          if (move.from().equals("a")) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", 0, 0);
        };
    try (MigrationQueue queue = new MigrationQueue(blocking, 1, 8)) {
      CountDownLatch otherDone = new CountDownLatch(1);
      queue.submit(move("op", 1, "a", "b"), r -> {});
      queue.submit(move("op", 2, "a", "c"), r -> {});
      queue.submit(move("op", 3, "d", "e"), r -> otherDone.countDown());

      // vm3 (d -> e) ends while vm1 holds host a and vm2 waits for it.
      assertThat(otherDone.await(5, TimeUnit.SECONDS)).isTrue();
      org.awaitility.Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(
              () -> {
                synchronized (started) {
                  return started.contains("vm1");
                }
              });
      synchronized (started) {
        assertThat(started).containsExactlyInAnyOrder("vm1", "vm3");
      }
      release.countDown();
    }
  }

  @Test
  void cancelDropsTheOperationsWaitingMovesOnly() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MoveRunner blocking =
        move -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", 0, 0);
        };
    Map<String, MoveResult.Outcome> results = new HashMap<>();
    try (MigrationQueue queue = new MigrationQueue(blocking, 1, 1)) {
      CountDownLatch all = new CountDownLatch(3);
      for (MoveRequest m :
          List.of(move("op1", 1, "a", "b"), move("op1", 2, "a", "b"), move("op2", 3, "a", "b"))) {
        queue.submit(
            m,
            r -> {
              synchronized (results) {
                results.put(m.domain(), r.outcome());
              }
              all.countDown();
            });
      }

      assertThat(queue.cancel("op1")).isEqualTo(1);
      release.countDown();
      assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(results)
        .containsEntry("vm1", MoveResult.Outcome.SUCCEEDED)
        .containsEntry("vm2", MoveResult.Outcome.CANCELLED)
        .containsEntry("vm3", MoveResult.Outcome.SUCCEEDED);
  }
}
