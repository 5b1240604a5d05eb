package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.RestartPriority;

/**
 * How many host failures the cluster absorbs with every VM that restarts ({@code restart} other
 * than {@code never}) started again on the hosts left, by {@link RestartPlanner}: memory, CPU and
 * hard rules — Ganeti's N+1 check, vSphere HA's admission control. Pure.
 *
 * <p>One failure is checked exactly, every host in turn, up to {@value #EXACT_HOSTS} hosts (beyond,
 * the {@value #EXACT_HOSTS} holding the most memory of VMs that restart). Two and more failures are
 * checked for the hosts holding the most such memory failing together, one after the other, each
 * restart placed before the next host fails: the worst case by memory, not every combination, which
 * grows too fast to enumerate.
 *
 * <p>Every trial runs on a copy of one {@link Placement} built once from the snapshot, with every
 * VM released from pins and cooldowns (they only hold the VM itself, and only a failed host's VMs
 * move in a trial): a placement built per trial hashed every VM's name and rules again, dozens of
 * times a round, a quarter of the coordinator's CPU at 1,000 hosts. The answers are the ones a
 * snapshot and a placement per failed host give, which {@code FailoverCapacityEquivalenceTest}
 * checks.
 */
public final class FailoverCapacity {
  /** Hosts checked one by one for a single failure. */
  static final int EXACT_HOSTS = 64;

  private FailoverCapacity() {}

  /**
   * @param upTo the most failures worth checking (the configured level and one more, say)
   * @param cpuPercent the restart CPU limit, as {@link RestartPlanner#place} takes it
   * @return failures absorbed, 0..{@code upTo}
   */
  public static int tolerated(ClusterSnapshot snapshot, int upTo, int cpuPercent) {
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
    Placement base =
        new Placement(RestartPlanner.released(snapshot, d -> true), new PlanOptions(0));
    for (String host : candidates.subList(0, Math.min(EXACT_HOSTS, candidates.size()))) {
      if (!absorbs(base, List.of(host), cpuPercent)) {
        return 0;
      }
    }
    int tolerated = 1;
    while (tolerated < upTo
        && tolerated + 1 < candidates.size()
        && absorbs(base, candidates.subList(0, tolerated + 1), cpuPercent)) {
      tolerated++;
    }
    return tolerated;
  }

  /**
   * True when the VMs of {@code failing}, failing one after the other, all restart somewhere: tried
   * on a copy of {@code base}, which stays as it is.
   */
  static boolean absorbs(Placement base, List<String> failing, int cpuPercent) {
    Placement trial = new Placement(base);
    int[] down = new int[failing.size()];
    for (int i = 0; i < down.length; i++) {
      down[i] = trial.hostIndex(failing.get(i));
      trial.stopAccepting(down[i]);
    }
    List<ClusterSnapshot.Domain> domains = trial.snapshot().domains();
    for (int h : down) {
      // A VM that stays down takes nothing when its host fails, nor joins a group that restarts.
      for (int d : trial.domainsOnHost(h)) {
        if (!restarts(domains.get(d))) {
          trial.drop(d);
        }
      }
    }
    for (int h : down) {
      if (!RestartPlanner.place(trial, h, cpuPercent).left().isEmpty()) {
        return false;
      }
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
