package xcm.coordinator.collect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Starts a round's reads a few at a time: at most {@code atOnce} in flight, the next started as one
 * ends. Thousands of bulk reads started together hold thousands of answers (TLS buffers, response
 * bodies) in memory at once, and the last of them queue behind the first on the client's few
 * threads until they run past the agent timeout; a few hundred at a time keep the heap and the
 * round's tail short (./xcm bench collect). Reads of agents that did not answer last round are not
 * staggered by the caller: each would hold a place until its timeout.
 *
 * <pre>{@code
 * Map<String, CompletableFuture<HostData>> reads =
 *     new Staggered(256).start(Map.of("h1", () -> Agents.host(client, url1)));
 * }</pre>
 */
final class Staggered {
  /** Reads of answering agents in flight at once. */
  static final int READS_AT_ONCE = 256;

  private final int atOnce;

  Staggered(int atOnce) {
    if (atOnce < 1) {
      throw new IllegalArgumentException("reads at once must be at least 1, not " + atOnce);
    }
    this.atOnce = atOnce;
  }

  /**
   * Starts the reads in the map's order, at most {@code atOnce} at a time, and returns at once with
   * a future per key that ends as its read does (a read that throws ends its future with that).
   */
  <K, T> Map<K, CompletableFuture<T>> start(Map<K, Supplier<CompletableFuture<T>>> reads) {
    Round<T> round = new Round<>(atOnce);
    Map<K, CompletableFuture<T>> results = new LinkedHashMap<>();
    reads.forEach(
        (key, read) -> {
          CompletableFuture<T> result = new CompletableFuture<>();
          results.put(key, result);
          round.waiting.add(new Pending<>(read, result));
        });
    round.pump();
    return results;
  }

  private record Pending<T>(Supplier<CompletableFuture<T>> read, CompletableFuture<T> result) {}

  private static final class Round<T> {
    private final int atOnce;
    private final Queue<Pending<T>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    // Whoever finds the pump idle runs it, until no call came in meanwhile: calls from reads that
    // end on other threads are not lost, and a read that ends at once (a refused connection, a
    // closed client), inside start() below, does not nest a pump thousands of frames deep.
    private final AtomicInteger pumpCalls = new AtomicInteger();

    Round(int atOnce) {
      this.atOnce = atOnce;
    }

    void pump() {
      if (pumpCalls.getAndIncrement() != 0) {
        return;
      }
      do {
        while (inFlight.get() < atOnce) {
          Pending<T> next = waiting.poll();
          if (next == null) {
            break;
          }
          inFlight.incrementAndGet();
          start(next);
        }
      } while (pumpCalls.decrementAndGet() != 0);
    }

    private void start(Pending<T> pending) {
      CompletableFuture<T> read;
      try {
        read = pending.read().get();
      } catch (RuntimeException e) {
        read = CompletableFuture.failedFuture(e);
      }
      read.whenComplete(
          (value, error) -> {
            inFlight.decrementAndGet();
            if (error != null) {
              pending.result().completeExceptionally(error);
            } else {
              pending.result().complete(value);
            }
            pump();
          });
    }
  }
}
