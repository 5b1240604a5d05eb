package xcm.coordinator.operation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.FailoverCapacity;
import xcm.coordinator.plan.FailoverTarget;
import xcm.coordinator.plan.Move;
import xcm.mbeans.HostState;

/**
 * Keeps XCM's own balances and migrations from taking the cluster below its failover level: moves
 * after which fewer host failures could be absorbed with every VM restarted than the level asks —
 * and fewer than now — are refused, with the figures. A cluster already below its level may still
 * be balanced and migrated within, as long as no move makes it worse. Drains are not held: taking a
 * host out of service lowers the capacity by design, and the alert says so.
 *
 * <p>Thread-safe; it plans, so it runs before a request is admitted, never under admission's lock.
 */
final class FailoverGuard {
  private final Inventory inventory;
  private final long reservedMemoryBytes;
  private final Clock clock;
  private final FailoverTarget target;

  /**
   * @param target the host failures the cluster must absorb (0 checks nothing), and restarts' CPU
   *     limit
   */
  FailoverGuard(Inventory inventory, long reservedMemoryBytes, Clock clock, FailoverTarget target) {
    this.inventory = inventory;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.clock = clock;
    this.target = target;
  }

  /**
   * @throws IllegalArgumentException naming the figures when {@code moves} take the cluster below
   *     its level
   */
  void check(List<Move> moves, String what, String hint) {
    int level = target.level();
    if (level == 0 || moves.isEmpty()) {
      return;
    }
    ClusterSnapshot before;
    try {
      before =
          PlanningInput.of(
              inventory.snapshot(), reservedMemoryBytes, Map.of(), Map.of(), clock.instant());
    } catch (IllegalStateException e) {
      // A cluster that cannot be planned on is refused by the request's own checks.
      return;
    }
    ClusterSnapshot moved = moved(before, moves);
    if (moved == null) {
      return;
    }
    int now = FailoverCapacity.tolerated(before, level, target.cpuPercent());
    int after = FailoverCapacity.tolerated(moved, level, target.cpuPercent());
    if (after < level && after < now) {
      throw new IllegalArgumentException(
          "cannot "
              + what
              + ": afterwards the cluster would absorb "
              + after
              + " host failures with every VM restarted, fewer than its failover level "
              + level
              + " (now "
              + now
              + ")"
              + hint);
    }
  }

  /**
   * The cluster after the moves; null when they do not fit it (an unknown domain, a destination
   * that is not ACTIVE or lacks the memory): the request's own checks refuse those, by name.
   */
  private static ClusterSnapshot moved(ClusterSnapshot snapshot, List<Move> moves) {
    Map<String, String> to = new HashMap<>();
    moves.forEach(m -> to.put(m.domain(), m.to()));
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    Map<String, Long> used = new HashMap<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      String where = to.remove(d.name());
      ClusterSnapshot.Domain after = where == null ? d : d.withHost(where);
      domains.add(after);
      if (after.holdsResources()) {
        used.merge(after.host(), after.memoryBytes(), Long::sum);
      }
    }
    if (!to.isEmpty()) {
      return null;
    }
    for (Move m : moves) {
      ClusterSnapshot.Host host = snapshot.host(m.to()).orElse(null);
      if (host == null
          || host.state() != HostState.ACTIVE
          || used.getOrDefault(host.name(), 0L) > host.capacityBytes()) {
        return null;
      }
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }
}
