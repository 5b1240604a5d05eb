package xcm.coordinator.operation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
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

  /** Refuses {@code what} while a move of the domain that {@code domain} matches is UNSETTLED. */
  static void refuse(List<JournaledMove> unsettled, Predicate<MoveRequest> domain, String what) {
    for (JournaledMove m : unsettled) {
      if (domain.test(m.request())) {
        throw new IllegalArgumentException(what + ": " + of(m.request()));
      }
    }
  }

  /** Refuses to drain a host that is the source or the destination of an UNSETTLED move. */
  static void refuseDrain(List<MoveRequest> unsettled, String host) {
    List<String> reasons = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (MoveRequest m : unsettled) {
      // The journal and the operations may both hold a move: it is named once.
      if ((m.from().equals(host) || m.to().equals(host))
          && seen.add(m.operationId() + "/" + m.index())) {
        reasons.add(of(m));
      }
    }
    if (!reasons.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot drain host " + host + ": " + String.join("; ", reasons));
    }
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
