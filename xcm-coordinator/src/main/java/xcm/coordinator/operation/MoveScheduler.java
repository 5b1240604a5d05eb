package xcm.coordinator.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;

/**
 * Hands an operation's moves to the {@link MigrationQueue} as they may run. Moves of one plan are
 * planned one after the other: a move onto host X may count on the memory an earlier move off X
 * frees, so it waits for that move, and is not started at all when that move did not succeed (the
 * memory was never freed). Everything else goes to the queue at once, within its limits.
 *
 * <p>Thread-safe.
 */
final class MoveScheduler {
  private final MigrationQueue queue;
  private final MoveOutcomes outcomes;

  /** Moves of running operations not yet handed to the queue, by operation id. */
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  MoveScheduler(MigrationQueue queue, MoveOutcomes outcomes) {
    this.queue = queue;
    this.outcomes = outcomes;
  }

  /** Which moves of one operation were handed on, and how those that ended did. */
  private static final class Waiting {
    final List<MoveRequest> moves;
    final boolean[] submitted;
    final MoveResult.Outcome[] ended;

    Waiting(List<MoveRequest> moves) {
      this.moves = moves;
      this.submitted = new boolean[moves.size()];
      this.ended = new MoveResult.Outcome[moves.size()];
    }

    /** True while a move that frees memory on move {@code i}'s destination has not ended. */
    boolean blocked(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (frees(j, i) && ended[j] == null) {
          return true;
        }
      }
      return false;
    }

    /** How the move that move {@code i} waited for ended other than SUCCEEDED, or null. */
    MoveResult.Outcome blockerFailed(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (frees(j, i) && ended[j] != null && ended[j] != MoveResult.Outcome.SUCCEEDED) {
          return ended[j];
        }
      }
      return null;
    }

    private boolean frees(int j, int i) {
      return moves.get(j).from().equals(moves.get(i).to());
    }
  }

  /** Starts handing on the moves of a new operation; it is forgotten when it ends. */
  void schedule(Operation operation) {
    waiting.put(operation.id(), new Waiting(operation.requests()));
    operation.onEnd(o -> waiting.remove(o.id()));
    submitReady(operation);
  }

  /**
   * Stops handing on the operation's moves: those queued or not yet handed on end CANCELLED; moves
   * in flight finish.
   *
   * @return how many queued moves were dropped
   */
  int cancel(Operation operation) {
    operation.cancel();
    int dropped = queue.cancel(operation.id());
    dropUnsubmitted(operation);
    return dropped;
  }

  private void submitReady(Operation operation) {
    Waiting w = waiting.get(operation.id());
    if (w == null) {
      return;
    }
    List<Integer> ready = new ArrayList<>();
    List<Integer> skipped = new ArrayList<>();
    synchronized (w) {
      for (int i = 0; i < w.moves.size(); i++) {
        if (w.submitted[i] || operation.cancelled()) {
          continue;
        }
        if (w.blockerFailed(i) != null) {
          w.submitted[i] = true;
          skipped.add(i);
        } else if (!w.blocked(i)) {
          w.submitted[i] = true;
          ready.add(i);
        }
      }
    }
    for (int i : skipped) {
      MoveResult.Outcome blocker;
      synchronized (w) {
        blocker = w.blockerFailed(i);
      }
      finished(
          operation,
          w,
          i,
          new MoveResult(
              MoveResult.Outcome.FAILED,
              0,
              "not started: the move that was to free memory on "
                  + w.moves.get(i).to()
                  + " ended "
                  + blocker
                  + (blocker == MoveResult.Outcome.UNSETTLED
                      ? " (not known yet where it runs)"
                      : ""),
              -1,
              -1));
    }
    for (int i : ready) {
      queue.submit(
          w.moves.get(i), () -> operation.started(i), result -> finished(operation, w, i, result));
    }
    if (operation.cancelled()) {
      dropUnsubmitted(operation);
    }
  }

  private void finished(Operation operation, Waiting w, int i, MoveResult result) {
    synchronized (w) {
      w.ended[i] = result.outcome();
    }
    outcomes.ended(operation, i, result);
    submitReady(operation);
  }

  private void dropUnsubmitted(Operation operation) {
    Waiting w = waiting.get(operation.id());
    if (w == null) {
      return;
    }
    List<Integer> dropped = new ArrayList<>();
    synchronized (w) {
      for (int i = 0; i < w.moves.size(); i++) {
        if (!w.submitted[i]) {
          w.submitted[i] = true;
          dropped.add(i);
        }
      }
    }
    for (int i : dropped) {
      finished(
          operation, w, i, new MoveResult(MoveResult.Outcome.CANCELLED, 0, "cancelled", -1, -1));
    }
  }
}
