package xcm.coordinator.operation;

import java.util.List;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;

/**
 * What requests say about UNSETTLED moves: while a move is unsettled its domain may show on either
 * host, or on none, and a second move could make two copies of it or lose it; so it moves no
 * further, and neither of its hosts is drained, until the coordinator has settled it.
 */
final class UnsettledReasons {
  private UnsettledReasons() {}

  /** Why the move's domain (and its hosts) must wait. */
  static String of(MoveRequest move) {
    return "domain "
        + move.domain()
        + " has an UNSETTLED move "
        + move.from()
        + " -> "
        + move.to()
        + " (operation "
        + move.operationId()
        + "): it is not known yet on which of the two it runs; it can move again once the"
        + " coordinator has settled that move";
  }

  /** One line per UNSETTLED move: what an operator (or a check) waits for. */
  static List<String> lines(List<JournaledMove> unsettled) {
    return unsettled.stream()
        .map(m -> m.request() + " (operation " + m.request().operationId() + "): " + m.error())
        .toList();
  }

  /** What a balance plan notes about the domains it leaves where they are because of them. */
  static List<String> notes(List<JournaledMove> unsettled) {
    return unsettled.stream()
        .map(m -> m.request().domain() + " stays: " + of(m.request()))
        .toList();
  }
}
