package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.RestartPriority;

/**
 * FailoverCapacity as it was before it tried every failure on copies of one placement: each trial
 * built a snapshot and a placement of its own per failed host. Kept for {@code
 * FailoverCapacityEquivalenceTest} only, as the reference the faster form must agree with.
 *
 * <p>How many host failures the cluster absorbs with every VM that restarts ({@code restart} other
 * than {@code never}) started again on the hosts left, by {@link RestartPlanner}: memory, CPU and
 * hard rules — Ganeti's N+1 check, vSphere HA's admission control. Pure.
 *
 * <p>One failure is checked exactly, every host in turn, up to {@value
 * FailoverCapacity#EXACT_HOSTS} hosts (beyond, the {@value FailoverCapacity#EXACT_HOSTS} holding
 * the most memory of VMs that restart). Two and more failures are checked for the hosts holding the
 * most such memory failing together, one after the other, each restart placed before the next host
 * fails: the worst case by memory, not every combination, which grows too fast to enumerate.
 */
final class FailoverCapacityReference {
  private FailoverCapacityReference() {}

  /**
   * @param upTo the most failures worth checking (the configured level and one more, say)
   * @param cpuPercent the restart CPU limit, as {@link RestartPlanner#place} takes it
   * @return failures absorbed, 0..{@code upTo}
   */
  static int tolerated(ClusterSnapshot snapshot, int upTo, int cpuPercent) {
    Map<String, Long> load = restartingMemory(snapshot);
    List<String> candidates = new ArrayList<>();
    for (ClusterSnapshot.Host h : snapshot.hosts()) {
      if (h.state() == HostState.ACTIVE || h.state() == HostState.DRAINING) {
        candidates.add(h.name());
      }
    }
    candidates.sort(
        Comparator.<String>comparingLong(h -> -load.getOrDefault(h, 0L))
            .thenComparing(Comparator.naturalOrder()));
    if (upTo < 1 || candidates.isEmpty()) {
      return 0;
    }
    for (String host :
        candidates.subList(0, Math.min(FailoverCapacity.EXACT_HOSTS, candidates.size()))) {
      if (!absorbs(snapshot, List.of(host), cpuPercent)) {
        return 0;
      }
    }
    int tolerated = 1;
    while (tolerated < upTo
        && tolerated + 1 < candidates.size()
        && absorbs(snapshot, candidates.subList(0, tolerated + 1), cpuPercent)) {
      tolerated++;
    }
    return tolerated;
  }

  /** True when the VMs of {@code failing}, failing one after the other, all restart somewhere. */
  static boolean absorbs(ClusterSnapshot snapshot, List<String> failing, int cpuPercent) {
    Set<String> down = new HashSet<>(failing);
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    for (ClusterSnapshot.Host h : snapshot.hosts()) {
      hosts.add(down.contains(h.name()) ? h.withState(HostState.FAILED) : h);
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      // A VM that stays down, or is not running, takes nothing when its host fails.
      if (!down.contains(d.host()) || restarts(d)) {
        domains.add(d);
      }
    }
    ClusterSnapshot current = new ClusterSnapshot(hosts, domains);
    for (String host : failing) {
      RestartPlanner.Result result = RestartPlanner.place(current, host, cpuPercent);
      if (!result.left().isEmpty()) {
        return false;
      }
      Map<String, String> to = new HashMap<>();
      result.restarts().forEach(r -> to.put(r.domain(), r.host()));
      List<ClusterSnapshot.Domain> next = new ArrayList<>();
      for (ClusterSnapshot.Domain d : current.domains()) {
        if (d.host().equals(host)) {
          String where = to.get(d.name());
          if (where != null) {
            next.add(d.withHost(where));
          }
        } else {
          next.add(d);
        }
      }
      current = new ClusterSnapshot(current.hosts(), next);
    }
    return true;
  }

  private static boolean restarts(ClusterSnapshot.Domain d) {
    return d.holdsResources() && d.rules().restart() != RestartPriority.NEVER;
  }

  private static Map<String, Long> restartingMemory(ClusterSnapshot snapshot) {
    Map<String, Long> load = new HashMap<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (restarts(d)) {
        load.merge(d.host(), d.memoryBytes(), Long::sum);
      }
    }
    return load;
  }
}
