package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.MoveStatus;
import xcm.mbeans.PlanView;

/**
 * One operation (migrate, balance or drain) from request to end: its plan, each move's state, the
 * errors. Moves report their results here from queue workers; when the last one is in, the
 * operation ends and its end listeners run once.
 *
 * <p>Thread-safe.
 */
public final class Operation {
  /** What an operation does. */
  public enum Kind {
    MIGRATE,
    BALANCE,
    DRAIN
  }

  /** Where an operation stands. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }

  private final String id;
  private final Kind kind;
  private final String summary;
  private final Requester requester;
  private final boolean dryRun;
  private final PlanView plan;
  private final Clock clock;
  private final Instant started;
  private final List<MoveRequest> requests;
  private final MoveStatus[] moves;
  private final List<String> errors = new ArrayList<>();
  private final List<Consumer<Operation>> onEnd = new CopyOnWriteArrayList<>();
  private State state = State.RUNNING;
  private boolean cancelled;
  private int running;
  private int peakRunning;
  private int done;
  private int failed;
  private int unsettled;
  private Instant finished;

  Operation(
      String id,
      Kind kind,
      String summary,
      Requester requester,
      boolean dryRun,
      PlanView plan,
      List<MoveRequest> requests,
      Clock clock) {
    this.id = id;
    this.kind = kind;
    this.summary = summary;
    this.requester = requester;
    this.dryRun = dryRun;
    this.plan = plan;
    this.requests = List.copyOf(requests);
    this.clock = clock;
    this.started = clock.instant();
    this.moves = new MoveStatus[requests.size()];
    for (int i = 0; i < moves.length; i++) {
      MoveRequest r = requests.get(i);
      moves[i] = new MoveStatus(r.domain(), r.from(), r.to(), "PENDING", 0, "", -1, -1, -1, -1);
    }
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public String summary() {
    return summary;
  }

  public Requester requester() {
    return requester;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public PlanView plan() {
    return plan;
  }

  public List<MoveRequest> requests() {
    return requests;
  }

  public Instant started() {
    return started;
  }

  public synchronized Instant finished() {
    return finished;
  }

  public synchronized State state() {
    return state;
  }

  public synchronized boolean cancelled() {
    return cancelled;
  }

  public synchronized int done() {
    return done;
  }

  public synchronized int failed() {
    return failed;
  }

  /** Moves whose end nobody could tell yet: neither done nor failed until they are settled. */
  public synchronized int unsettled() {
    return unsettled;
  }

  public synchronized int running() {
    return running;
  }

  /** The most moves of this operation that ran at once. */
  public synchronized int peakRunning() {
    return peakRunning;
  }

  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  public synchronized List<MoveStatus> moves() {
    return List.of(moves);
  }

  /** UUIDs of the domains whose moves are waiting or running. */
  public synchronized Set<String> movesUnderWay() {
    Set<String> uuids = new HashSet<>();
    for (int i = 0; i < moves.length; i++) {
      if (moves[i].state().equals("PENDING") || moves[i].state().equals("RUNNING")) {
        uuids.add(requests.get(i).uuid());
      }
    }
    return uuids;
  }

  /** Runs {@code listener} once when the operation ends (at once if it already has). */
  public void onEnd(Consumer<Operation> listener) {
    boolean ended;
    synchronized (this) {
      ended = state != State.RUNNING;
      if (!ended) {
        onEnd.add(listener);
      }
    }
    if (ended) {
      listener.accept(this);
    }
  }

  synchronized void started(int index) {
    MoveStatus m = moves[index];
    moves[index] = new MoveStatus(m.domain(), m.from(), m.to(), "RUNNING", 0, "", -1, -1, -1, -1);
    running++;
    peakRunning = Math.max(peakRunning, running);
  }

  /** A move's result; the operation ends with its last move. */
  void finished(int index, MoveResult result) {
    synchronized (this) {
      MoveStatus m = moves[index];
      String moveState =
          switch (result.outcome()) {
            case SUCCEEDED -> "SUCCEEDED";
            case CANCELLED -> "CANCELLED";
            case UNSETTLED -> "UNSETTLED";
            default -> "FAILED";
          };
      if (!m.state().equals("PENDING")) {
        running--;
      }
      moves[index] =
          new MoveStatus(
              m.domain(),
              m.from(),
              m.to(),
              moveState,
              result.attempts(),
              result.error(),
              result.durationMillis(),
              result.downtimeMillis(),
              result.migrationMillis(),
              result.dataTransferredBytes());
      switch (result.outcome()) {
        case SUCCEEDED -> done++;
        case CANCELLED -> {}
        case UNSETTLED -> {
          unsettled++;
          errors.add(moveError(m, result.error()));
        }
        default -> {
          failed++;
          errors.add(moveError(m, result.error()));
        }
      }
    }
    endIfComplete();
  }

  /**
   * An UNSETTLED move's real end, found later: the move's row, the counts, the errors and, if the
   * operation ended, its state follow it. Returns true if the operation had ended (its end is to be
   * journaled again).
   */
  synchronized boolean settled(int index, MoveResult result) {
    MoveStatus m = moves[index];
    if (!m.state().equals("UNSETTLED")) {
      return false;
    }
    moves[index] =
        new MoveStatus(
            m.domain(),
            m.from(),
            m.to(),
            result.outcome().name(),
            m.attempts(),
            result.error(),
            m.durationMillis(),
            m.downtimeMillis(),
            m.migrationMillis(),
            m.dataTransferredBytes());
    unsettled--;
    errors.remove(moveError(m, m.error()));
    errors.removeIf(e -> e.endsWith(UNSETTLED_NOTE));
    if (result.outcome() == MoveResult.Outcome.SUCCEEDED) {
      done++;
    } else {
      failed++;
      errors.add(moveError(m, result.error()));
    }
    if (state == State.RUNNING) {
      return false;
    }
    noteUnsettled();
    state = endState();
    return true;
  }

  private static final String UNSETTLED_NOTE =
      " unsettled: the coordinator asks their agents again and records where they ended";

  private static String moveError(MoveStatus m, String error) {
    return m.domain() + " " + m.from() + " -> " + m.to() + ": " + error;
  }

  /** An operation that ends with unsettled moves says so first among its errors. */
  private void noteUnsettled() {
    if (unsettled > 0) {
      errors.add(0, unsettled + (unsettled == 1 ? " move" : " moves") + UNSETTLED_NOTE);
    }
  }

  private State endState() {
    return failed > 0 || unsettled > 0
        ? State.FAILED
        : cancelled ? State.CANCELLED : State.SUCCEEDED;
  }

  /** Marks the operation cancelled: moves not yet started will come back CANCELLED. */
  synchronized void cancel() {
    cancelled = true;
  }

  /** Ends an operation that has nothing (left) to run: a dry run, or a plan without moves. */
  void endIfComplete() {
    List<Consumer<Operation>> listeners;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      for (MoveStatus m : moves) {
        if (m.state().equals("PENDING") && !dryRun || m.state().equals("RUNNING")) {
          return;
        }
      }
      noteUnsettled();
      state = endState();
      finished = clock.instant();
      listeners = List.copyOf(onEnd);
      onEnd.clear();
    }
    listeners.forEach(l -> l.accept(this));
  }
}
