package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.serve.LogText;

/**
 * The one place a move's end takes effect, however it was learnt — from the migration queue, a
 * cancel, recovery after a restart, or an UNSETTLED move settled later: where the domain runs now
 * (inventory, cooldown), the journal, the metrics, and the move's operation.
 *
 * <p>Thread-safe.
 */
final class MoveOutcomes {
  private static final Logger log = LoggerFactory.getLogger(MoveOutcomes.class);

  private final Inventory inventory;
  private final Journal journal;
  private final OperationRegistry registry;
  private final Clock clock;
  private final Map<String, Instant> lastMoved = new ConcurrentHashMap<>();
  private final List<BiConsumer<MoveRequest, MoveResult>> listeners = new CopyOnWriteArrayList<>();

  MoveOutcomes(Inventory inventory, Journal journal, OperationRegistry registry, Clock clock) {
    this.inventory = inventory;
    this.journal = journal;
    this.registry = registry;
    this.clock = clock;
  }

  /** When each domain (by UUID) last moved through this coordinator: the planners' cooldown. */
  Map<String, Instant> lastMoved() {
    return lastMoved;
  }

  /** Called with every move's end, UNSETTLED ones too (metrics). */
  void addListener(BiConsumer<MoveRequest, MoveResult> listener) {
    listeners.add(listener);
  }

  /** A move of a running operation ended now. */
  void ended(Operation operation, int index, MoveResult result) {
    MoveRequest move = operation.requests().get(index);
    place(move, result.outcome());
    try {
      journal.moveEnded(move, result.outcome(), result.attempts(), result.error());
    } catch (JournalException e) {
      log.error(
          "the end of move {} is not in the journal: {}",
          LogText.escape(move),
          LogText.escape(e.getMessage()));
    }
    listeners.forEach(l -> l.accept(move, result));
    operation.finished(index, result);
  }

  /**
   * A move of an operation restored after a restart; {@code settledNow} when recovery found its end
   * just now (recovery journals it), not when the journal already held it.
   */
  void recovered(Operation operation, int index, MoveResult result, boolean settledNow) {
    MoveRequest move = operation.requests().get(index);
    place(move, result.outcome());
    if (settledNow) {
      listeners.forEach(l -> l.accept(move, result));
    }
    operation.finished(index, result);
  }

  /**
   * An UNSETTLED move's real end, found later: the inventory, the journal and, while the registry
   * still shows it, its operation follow.
   */
  void settled(JournaledMove unsettled, MoveResult result) {
    MoveRequest move = unsettled.request();
    // Where the domain runs is known before the journal lets requests move it again.
    place(move, result.outcome());
    journal.moveEnded(move, result.outcome(), -1, result.error());
    listeners.forEach(l -> l.accept(move, result));
    Operation operation = registry.get(move.operationId());
    if (operation != null) {
      operation.settled(move.index(), result);
    }
  }

  private void place(MoveRequest move, MoveResult.Outcome outcome) {
    if (outcome.placed()) {
      lastMoved.put(move.uuid(), clock.instant());
      inventory.relocate(move.uuid(), move.from(), move.to());
    }
  }
}
