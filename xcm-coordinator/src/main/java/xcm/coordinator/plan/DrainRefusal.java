package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a drain is refused: each domain that cannot leave the host, with its {@link Unplaced.Cause}
 * and, when memory is the reason, its shortfall on the roomiest allowed host. The message names
 * them all, so an operator sees in one line what to free, unpin or wait for.
 *
 * <p>Stateless and thread-safe.
 */
final class DrainRefusal {
  private DrainRefusal() {}

  /**
   * The domains of {@code order} that cannot leave whatever the placement: pinned or cooling down,
   * or every one when there is no other ACTIVE host.
   */
  static List<Unplaced> blocked(Placement initial, Integer[] order, int destinations) {
    List<Unplaced> blocked = new ArrayList<>();
    for (int d : order) {
      if (!initial.movable(d)) {
        blocked.add(
            new Unplaced(
                initial.domainName(d),
                initial.memoryBytes(d),
                0,
                Unplaced.Cause.FIXED,
                whyFixed(initial, d)));
      } else if (destinations == 0) {
        blocked.add(
            new Unplaced(
                initial.domainName(d),
                initial.memoryBytes(d),
                0,
                Unplaced.Cause.NO_HOST,
                "there is no other ACTIVE host"));
      }
    }
    return blocked;
  }

  /**
   * The refusal of a drain of {@code total} domains: the blocked ones, then those of {@code order}
   * that even the {@code best} attempt left out, each with why it fits nowhere alone or, if it
   * would, why no room is left once the others are placed. {@code order} holds the domains the
   * attempts tried, which are never blocked ones: each domain is named once.
   */
  static PlacementException refusal(
      String host,
      Placement initial,
      int total,
      Integer[] order,
      DrainAttempt best,
      List<Unplaced> blocked,
      boolean[] destination) {
    List<Unplaced> unplaced = new ArrayList<>(blocked);
    for (int d : order) {
      if (best.placed()[d]) {
        continue;
      }
      Unplaced alone = shortfall(initial, d, destination, "it fits on no other ACTIVE host");
      unplaced.add(
          alone.cause() != Unplaced.Cause.CROWDED
              ? alone
              : shortfall(
                  best.state(), d, destination, "no room is left once the others are placed"));
    }
    return new PlacementException(
        message(host, unplaced.size(), total, unplaced, Unplaced::domain), unplaced);
  }

  /**
   * {@code cannot drain host "h1": 2 of its 5 domains cannot be placed; vm1 (1024.0 MiB): ...}:
   * {@code count} of {@code total} VMs, each of {@code entries} named by {@code name}.
   */
  static String message(
      String host,
      int count,
      int total,
      List<Unplaced> entries,
      java.util.function.Function<Unplaced, String> name) {
    StringBuilder message =
        new StringBuilder("cannot drain host \"")
            .append(host)
            .append("\": ")
            .append(count)
            .append(" of its ")
            .append(total)
            .append(" domains cannot be placed");
    for (Unplaced u : entries) {
      message
          .append("; ")
          .append(name.apply(u))
          .append(" (")
          .append(mib(u.memoryBytes()))
          .append("): ")
          .append(u.reason());
    }
    return message.toString();
  }

  /** Why the domain cannot go anywhere in this state, with its shortfall on the roomiest host. */
  private static Unplaced shortfall(Placement state, int d, boolean[] destination, String lead) {
    long need = state.memoryBytes(d);
    int roomiest = -1;
    List<String> ruled = new ArrayList<>();
    for (int h = 0; h < destination.length; h++) {
      if (!destination[h]) {
        continue;
      }
      if (state.rules().allows(d, h)) {
        if (roomiest < 0 || state.freeBytes(h) > state.freeBytes(roomiest)) {
          roomiest = h;
        }
      } else if (ruled.size() < 3) {
        ruled.add(state.rules().refusal(d, h, state, false));
      }
    }
    String name = state.domainName(d);
    if (roomiest < 0) {
      return new Unplaced(
          name,
          need,
          0,
          Unplaced.Cause.RULES,
          lead
              + ": its hard rules exclude every other ACTIVE host ("
              + String.join("; ", ruled)
              + (ruled.size() < 3 ? "" : "; ...")
              + ")");
    }
    long free = state.freeBytes(roomiest);
    if (free >= need) {
      return new Unplaced(name, need, 0, Unplaced.Cause.CROWDED, lead);
    }
    return new Unplaced(
        name,
        need,
        need - free,
        Unplaced.Cause.MEMORY,
        lead
            + ": short by "
            + mib(need - free)
            + ", the roomiest allowed host "
            + state.hostName(roomiest)
            + " has "
            + mib(Math.max(0, free))
            + " free");
  }

  private static String whyFixed(Placement placement, int d) {
    ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
    if (domain.pinned()) {
      return "it is pinned";
    }
    if (domain.rules().pinned()) {
      return "its rules pin it (rule 'pinned'); an operator may drain it anyway with force";
    }
    return "it moved "
        + domain.lastMovedSecondsAgo().getAsLong()
        + " s ago, within the "
        + placement.options().cooldownSeconds()
        + " s cooldown";
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
