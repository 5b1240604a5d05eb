package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StaggeredTest {

  @Test
  void startsNoMoreThanItsLimitAndTheNextAsOneEnds() {
    List<CompletableFuture<Integer>> started = new ArrayList<>();
    Map<Integer, Supplier<CompletableFuture<Integer>>> reads = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      reads.put(
          i,
          () -> {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            started.add(read);
            return read;
          });
    }

    Map<Integer, CompletableFuture<Integer>> results = new Staggered(2).start(reads);

    assertThat(started).hasSize(2);
    started.get(1).complete(1);
    assertThat(started).hasSize(3);
    assertThat(results.get(1)).isCompletedWithValue(1);
    assertThat(results.get(0)).isNotDone();
    started.get(0).completeExceptionally(new IllegalStateException("agent gone"));
    started.get(2).complete(2);
    assertThat(started).hasSize(5);
    assertThat(results.get(0)).isCompletedExceptionally();
    started.get(3).complete(3);
    started.get(4).complete(4);
    assertThat(results.values()).allMatch(CompletableFuture::isDone);
  }

  @Test
  void readsThatEndAtOnceOrThrowDoNotNestOrStopTheRest() {
    Map<Integer, Supplier<CompletableFuture<Integer>>> reads = new LinkedHashMap<>();
    for (int i = 0; i < 100_000; i++) {
      int n = i;
      reads.put(
          i,
          () -> {
            if (n % 3 == 0) {
              throw new IllegalStateException("client closed");
            }
            return CompletableFuture.completedFuture(n);
          });
    }

    Map<Integer, CompletableFuture<Integer>> results = new Staggered(4).start(reads);

    assertThat(results.values()).allMatch(CompletableFuture::isDone);
    assertThat(results.get(3)).isCompletedExceptionally();
    assertThat(results.get(4)).isCompletedWithValue(4);
  }

  @Test
  void endsEveryReadWhenTheyEndOnManyThreads() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      Map<Integer, Supplier<CompletableFuture<Integer>>> reads = new LinkedHashMap<>();
      for (int i = 0; i < 20_000; i++) {
        int n = i;
        reads.put(
            i,
            () -> {
              most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              return CompletableFuture.supplyAsync(
                  () -> {
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                      Thread.yield();
                    }
                    inFlight.decrementAndGet();
                    return n;
                  },
                  threads);
            });
      }

      Map<Integer, CompletableFuture<Integer>> results = new Staggered(16).start(reads);

      CompletableFuture.allOf(results.values().toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
      assertThat(most.get()).isLessThanOrEqualTo(16);
      assertThat(results.get(19_999)).isCompletedWithValue(19_999);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new Staggered(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
