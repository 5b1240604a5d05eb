package xcm.coordinator.operation;

import java.util.ArrayList;
import java.util.List;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.PlanView;

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

  /** A balance plan that also says which domains stay because their move is UNSETTLED. */
  static PlanView withNotes(PlanView plan, List<JournaledMove> unsettled) {
    if (unsettled.isEmpty()) {
      return plan;
    }
    List<String> notes = new ArrayList<>(plan.notes());
    for (JournaledMove m : unsettled) {
      notes.add(m.request().domain() + " stays: " + of(m.request()));
    }
    return new PlanView(
        plan.policy(),
        plan.scoreName(),
        plan.initialScore(),
        plan.finalScore(),
        plan.lowerBound(),
        plan.targetReached(),
        plan.moves(),
        notes);
  }
}
