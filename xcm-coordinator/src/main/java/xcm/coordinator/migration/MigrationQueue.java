package xcm.coordinator.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.StandbyException;
import xcm.serve.LogText;

/**
 * The migration dispatch queue: moves from every operation wait here in order and run under limits,
 * at most {@code perHost} in flight per host (as source or destination) and {@code cluster} in the
 * whole cluster — the seed paper's "Domain Migration Thread", made concurrent and bounded. A move
 * whose hosts are busy waits without holding up moves between other hosts.
 *
 * <pre>{@code
 * MigrationQueue queue = new MigrationQueue(new AgentMoveRunner(...), 2, 8);
 * queue.submit(move, result -> operation.finished(move, result));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MigrationQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MigrationQueue.class);

  private final MoveRunner runner;
  private final int perHost;
  private final int cluster;
  private final ExecutorService workers;
  private final LinkedList<Entry> pending = new LinkedList<>();
  private final Map<String, Integer> busy = new HashMap<>();
  private int inFlight;
  private int maxInFlight;
  private int maxPerHost;

  private record Entry(MoveRequest move, Runnable started, Consumer<MoveResult> done) {}

  public MigrationQueue(MoveRunner runner, int perHost, int cluster) {
    if (perHost < 1 || cluster < 1) {
      throw new IllegalArgumentException(
          "migration limits must be at least 1, found per host "
              + perHost
              + ", cluster "
              + cluster);
    }
    this.runner = runner;
    this.perHost = perHost;
    this.cluster = cluster;
    this.workers =
        Executors.newFixedThreadPool(
            cluster,
            r -> {
              Thread t = new Thread(r, "xcm-migration");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues a move; {@code done} is called once with its result, on a worker thread. */
  public void submit(MoveRequest move, Consumer<MoveResult> done) {
    submit(move, () -> {}, done);
  }

  /**
   * Queues a move; {@code started} runs when it leaves the queue to run, {@code done} once with its
   * result (not after {@code started} if it is cancelled first), both on a worker thread.
   */
  public void submit(MoveRequest move, Runnable started, Consumer<MoveResult> done) {
    synchronized (this) {
      pending.add(new Entry(move, started, done));
    }
    dispatch();
  }

  /**
   * Drops the operation's moves that have not started; each gets a CANCELLED result. Moves in
   * flight finish.
   *
   * @return how many were dropped
   */
  public int cancel(String operationId) {
    List<Entry> dropped = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Entry> it = pending.iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (entry.move().operationId().equals(operationId)) {
          dropped.add(entry);
          it.remove();
        }
      }
    }
    dropped.forEach(entry -> entry.done().accept(MoveResult.cancelled()));
    return dropped.size();
  }

  /** Moves waiting and running now. */
  public synchronized int size() {
    return pending.size() + inFlight;
  }

  /** The most moves that ever ran at once in the cluster, and on one host. */
  public synchronized int[] peaks() {
    return new int[] {maxInFlight, maxPerHost};
  }

  private void dispatch() {
    List<Entry> start = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Entry> it = pending.iterator(); it.hasNext() && inFlight < cluster; ) {
        Entry entry = it.next();
        MoveRequest move = entry.move();
        if (load(source(move)) < perHost && load(move.to()) < perHost) {
          it.remove();
          if (!source(move).isEmpty()) {
            busy.merge(source(move), 1, Integer::sum);
          }
          busy.merge(move.to(), 1, Integer::sum);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          maxPerHost = Math.max(maxPerHost, Math.max(load(source(move)), load(move.to())));
          start.add(entry);
        }
      }
    }
    for (Entry entry : start) {
      workers.execute(() -> run(entry));
    }
  }

  private void run(Entry entry) {
    MoveResult result;
    try {
      entry.started().run();
      result = runner.run(entry.move());
    } catch (StandbyException e) {
      // This coordinator stopped acting mid-move (its lease lapsed, or another took over): where
      // the domain runs is for the active coordinator to settle with the agents.
      log.warn("move {} stopped: {}", LogText.escape(entry.move()), e.getMessage());
      result =
          new MoveResult(
              MoveResult.Outcome.UNSETTLED, 1, AgentMoveRunner.UNSETTLED + e.getMessage(), -1, -1);
    } catch (RuntimeException e) {
      log.error("move {} failed unexpectedly", LogText.escape(entry.move()), e);
      result = new MoveResult(MoveResult.Outcome.FAILED, 1, "unexpected: " + e, -1, -1);
    }
    // The move counts as running until its operation has heard of its end: freeing its slots first
    // would let the next move start while the operation still counts this one.
    try {
      entry.done().accept(result);
    } finally {
      synchronized (this) {
        release(source(entry.move()));
        release(entry.move().to());
        inFlight--;
      }
      dispatch();
    }
  }

  /** The source a move keeps busy: none for a restart, whose source was fenced. */
  private static String source(MoveRequest move) {
    return move.method() == MoveRequest.Method.RESTART ? "" : move.from();
  }

  private int load(String host) {
    if (host.isEmpty()) {
      return 0;
    }
    return busy.getOrDefault(host, 0);
  }

  private void release(String host) {
    if (host.isEmpty()) {
      return;
    }
    busy.computeIfPresent(host, (h, n) -> n > 1 ? n - 1 : null);
  }

  /** Stops taking moves; moves in flight get 30 s to finish. */
  @Override
  public void close() {
    synchronized (this) {
      pending.clear();
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
