package xcm.coordinator.operation;

import java.util.Optional;
import xcm.coordinator.migration.MoveResult;

/**
 * Why part of an operation did not go as planned: a value the views render, never text the
 * coordinator reads back.
 *
 * @param subject what it is about, e.g. a move {@code web01 dmz01 -> dmz02}
 * @param message the reason, as the agents or the coordinator gave it
 */
public record OperationError(Kind kind, String subject, String message) {

  /** What went wrong. */
  public enum Kind {
    /** A move failed: the domain runs on its source, as before. */
    MOVE_FAILED,
    /** A move left a paused copy on its source: the domain runs on the destination. */
    MOVE_INCOMPLETE,
    /** Nobody can tell yet where a move's domain runs: it is settled later. */
    MOVE_UNSETTLED
  }

  /** The kind of error a move that ended so is, or none for a move that succeeded or never ran. */
  static Optional<Kind> kindOf(MoveResult.Outcome outcome) {
    return switch (outcome) {
      case FAILED -> Optional.of(Kind.MOVE_FAILED);
      case INCOMPLETE -> Optional.of(Kind.MOVE_INCOMPLETE);
      case UNSETTLED -> Optional.of(Kind.MOVE_UNSETTLED);
      case SUCCEEDED, CANCELLED -> Optional.empty();
    };
  }

  /** As the operation's errors list it: {@code subject: message}. */
  public String render() {
    return subject + ": " + message;
  }
}
