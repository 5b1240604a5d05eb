package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.MoveState;
import xcm.mbeans.MoveStatus;
import xcm.mbeans.OperationState;
import xcm.mbeans.PlanView;

/**
 * One operation from request to end: what it does, its plan, each move's state, the errors. Moves
 * report their results here from queue workers; when the last one is in, the operation ends and its
 * end listeners run.
 *
 * <p>Thread-safe.
 */
public final class Operation {
  private final String id;
  private final OperationKind kind;
  private final Requester requester;
  private final PlanView plan;
  private final Clock clock;
  private final Instant started;
  private final List<MoveRequest> requests;
  private final MoveStatus[] moves;

  /** Errors of moves by index, in the order they happened. */
  private final Map<Integer, OperationError> errors = new LinkedHashMap<>();

  private final List<Consumer<Operation>> onEnd = new CopyOnWriteArrayList<>();
  private final List<Consumer<Operation>> onEveryEnd = new CopyOnWriteArrayList<>();
  private OperationState state = OperationState.RUNNING;
  private boolean cancelled;
  private int peakRunning;
  private Instant finished;

  Operation(
      String id,
      OperationKind kind,
      Requester requester,
      PlanView plan,
      List<MoveRequest> requests,
      Clock clock) {
    this.id = id;
    this.kind = kind;
    this.requester = requester;
    this.plan = plan;
    this.requests = List.copyOf(requests);
    this.clock = clock;
    this.started = clock.instant();
    this.moves = new MoveStatus[requests.size()];
    for (int i = 0; i < moves.length; i++) {
      MoveRequest r = requests.get(i);
      moves[i] =
          new MoveStatus(r.domain(), r.from(), r.to(), MoveState.PENDING, 0, "", -1, -1, -1, -1);
    }
  }

  public String id() {
    return id;
  }

  public OperationKind kind() {
    return kind;
  }

  public String summary() {
    return kind.summary();
  }

  public Requester requester() {
    return requester;
  }

  public boolean dryRun() {
    return kind.dryRun();
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

  public synchronized OperationState state() {
    return state;
  }

  public synchronized boolean cancelled() {
    return cancelled;
  }

  /** Moves in {@code state} now. */
  public synchronized int count(MoveState state) {
    int n = 0;
    for (MoveStatus m : moves) {
      if (m.state() == state) {
        n++;
      }
    }
    return n;
  }

  /** Moves that succeeded. */
  public int done() {
    return count(MoveState.SUCCEEDED);
  }

  /** Moves that failed: their domains run on their sources. */
  public int failed() {
    return count(MoveState.FAILED);
  }

  /** Moves whose end nobody could tell yet: neither done nor failed until they are settled. */
  public int unsettled() {
    return count(MoveState.UNSETTLED);
  }

  public int running() {
    return count(MoveState.RUNNING);
  }

  /** The most moves of this operation that ran at once. */
  public synchronized int peakRunning() {
    return peakRunning;
  }

  /**
   * Why moves did not end as planned, as values, in the order it happened. While the operation runs
   * an UNSETTLED move is listed like a failed one.
   */
  public synchronized List<OperationError> problems() {
    return List.copyOf(errors.values());
  }

  /**
   * The errors rendered for people: an operation that ended with unsettled moves says so first,
   * then one line per move.
   */
  public synchronized List<String> errors() {
    List<String> lines = new ArrayList<>();
    int unsettled = count(MoveState.UNSETTLED);
    if (state != OperationState.RUNNING && unsettled > 0) {
      lines.add(
          unsettled
              + (unsettled == 1 ? " move" : " moves")
              + " unsettled: the coordinator asks their agents again and records where they ended");
    }
    errors.values().forEach(e -> lines.add(e.render()));
    return lines;
  }

  public synchronized List<MoveStatus> moves() {
    return List.of(moves);
  }

  /**
   * The domains this operation holds, by UUID, each with the host it moves from: moves waiting,
   * running, or UNSETTLED (where such a domain runs is not known yet). No other request may move
   * them.
   */
  public synchronized Map<String, String> domainsHeld() {
    Map<String, String> held = new HashMap<>();
    for (int i = 0; i < moves.length; i++) {
      MoveState s = moves[i].state();
      if (s == MoveState.PENDING && !kind.dryRun()
          || s == MoveState.RUNNING
          || s == MoveState.UNSETTLED) {
        held.put(requests.get(i).uuid(), requests.get(i).from());
      }
    }
    return held;
  }

  /** The moves waiting or running now. */
  List<MoveRequest> movesUnderWay() {
    return kind.dryRun() ? List.of() : movesIn(s -> !s.ended());
  }

  /** The moves left UNSETTLED. */
  List<MoveRequest> unsettledMoves() {
    return movesIn(s -> s == MoveState.UNSETTLED);
  }

  private synchronized List<MoveRequest> movesIn(Predicate<MoveState> states) {
    List<MoveRequest> in = new ArrayList<>();
    for (int i = 0; i < moves.length; i++) {
      if (states.test(moves[i].state())) {
        in.add(requests.get(i));
      }
    }
    return in;
  }

  /** Runs {@code listener} once when the operation ends (at once if it already has). */
  public void onEnd(Consumer<Operation> listener) {
    add(onEnd, listener, false);
  }

  /**
   * Runs {@code listener} when the operation ends, and again each time a move settled later changes
   * how it ended: what must always follow its end (the journal, the drained host's mode).
   */
  public void onEveryEnd(Consumer<Operation> listener) {
    add(onEveryEnd, listener, true);
  }

  /**
   * Adds a listener, and runs it at once if the operation has ended; {@code keptAfterEnd} keeps it
   * for the ends a settled move brings later.
   */
  private void add(
      List<Consumer<Operation>> listeners, Consumer<Operation> listener, boolean keptAfterEnd) {
    boolean ended;
    synchronized (this) {
      ended = state != OperationState.RUNNING;
      if (!ended || keptAfterEnd) {
        listeners.add(listener);
      }
    }
    if (ended) {
      listener.accept(this);
    }
  }

  synchronized void started(int index) {
    moves[index] = with(moves[index], MoveState.RUNNING, null);
    peakRunning = Math.max(peakRunning, count(MoveState.RUNNING));
  }

  /** A move's result; the operation ends with its last move. */
  void finished(int index, MoveResult result) {
    synchronized (this) {
      moves[index] = with(moves[index], result.outcome().state(), result);
      recordError(index, result);
    }
    endIfComplete();
  }

  /**
   * An UNSETTLED move's real end, found later: the move's row, the counts and the errors follow it;
   * if the operation had ended, its end is decided again and the every-end listeners run.
   */
  void settled(int index, MoveResult result) {
    synchronized (this) {
      MoveStatus m = moves[index];
      if (m.state() != MoveState.UNSETTLED) {
        return;
      }
      moves[index] =
          new MoveStatus(
              m.domain(),
              m.from(),
              m.to(),
              result.outcome().state(),
              m.attempts(),
              result.error(),
              m.durationMillis(),
              m.downtimeMillis(),
              m.migrationMillis(),
              m.dataTransferredBytes());
      errors.remove(index);
      recordError(index, result);
      if (state == OperationState.RUNNING) {
        return;
      }
      state = endState();
    }
    onEveryEnd.forEach(l -> l.accept(this));
  }

  private void recordError(int index, MoveResult result) {
    OperationError.kindOf(result.outcome())
        .ifPresent(
            kind ->
                errors.put(
                    index,
                    new OperationError(kind, requests.get(index).toString(), result.error())));
  }

  private static MoveStatus with(MoveStatus m, MoveState state, MoveResult result) {
    return result == null
        ? new MoveStatus(m.domain(), m.from(), m.to(), state, 0, "", -1, -1, -1, -1)
        : new MoveStatus(
            m.domain(),
            m.from(),
            m.to(),
            state,
            result.attempts(),
            result.error(),
            result.durationMillis(),
            result.downtimeMillis(),
            result.migrationMillis(),
            result.dataTransferredBytes());
  }

  private OperationState endState() {
    if (count(MoveState.FAILED) > 0
        || count(MoveState.INCOMPLETE) > 0
        || count(MoveState.UNSETTLED) > 0) {
      return OperationState.FAILED;
    }
    return cancelled ? OperationState.CANCELLED : OperationState.SUCCEEDED;
  }

  /** Marks the operation cancelled: moves not yet started will come back CANCELLED. */
  synchronized void cancel() {
    cancelled = true;
  }

  /** Ends an operation that has nothing (left) to run: a dry run, or a plan without moves. */
  void endIfComplete() {
    List<Consumer<Operation>> listeners = new ArrayList<>();
    synchronized (this) {
      if (state != OperationState.RUNNING) {
        return;
      }
      for (MoveStatus m : moves) {
        if (m.state() == MoveState.RUNNING || m.state() == MoveState.PENDING && !kind.dryRun()) {
          return;
        }
      }
      state = endState();
      finished = clock.instant();
      listeners.addAll(onEveryEnd);
      listeners.addAll(onEnd);
      onEnd.clear();
    }
    listeners.forEach(l -> l.accept(this));
  }
}
