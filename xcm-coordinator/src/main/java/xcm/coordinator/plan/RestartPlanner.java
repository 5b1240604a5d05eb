package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RestartPriority;

/**
 * Where the VMs of a failed host start again: by restart priority ({@code high}, then {@code
 * medium}, then {@code low}; {@code never} stays down for an operator), the largest first within a
 * priority, each on an ACTIVE host that has room for it — given what was placed before it — and
 * among those the one left with the most headroom in its scarcer resource, memory or CPU.
 *
 * <p>Room is memory, CPU and the hard placement rules. Memory: the VM's memory fits the host's free
 * memory. CPU: the host has at least as many CPUs as the VM has vCPUs, and its VMs' CPU load (busy
 * fraction × vCPUs, summed, the restarted VMs at the load the snapshot gives them) stays within
 * {@code cpuPercent} of its CPUs — a restart that saturates a host slows every VM on it, the
 * high-priority ones included.
 *
 * <p>A hard together group starts on one host, at its most urgent member's priority. Pins and
 * cooldowns do not hold a VM whose host died. What fits nowhere is left out, named with the
 * shortfall. Pure: snapshot in, placements out.
 *
 * <pre>{@code
 * RestartPlanner.Result r = RestartPlanner.place(snapshot, "h3", 100);   // h3 not ACTIVE
 * r.restarts();   // [Restart[domain=db1, host=h1, priority=HIGH], ...]
 * }</pre>
 */
public final class RestartPlanner {
  private RestartPlanner() {}

  /** One VM to start on a host. */
  public record Restart(String domain, String host, RestartPriority priority) {}

  /**
   * @param restarts in the order to start them
   * @param left VMs that fit nowhere, each with why
   * @param staying VMs whose rules say {@code restart never}
   */
  public record Result(List<Restart> restarts, List<String> left, List<String> staying) {
    public Result {
      restarts = List.copyOf(restarts);
      left = List.copyOf(left);
      staying = List.copyOf(staying);
    }
  }

  /**
   * The restarts of the running VMs of {@code failedHost}, which must not be ACTIVE.
   *
   * @param cpuPercent how much of a host's CPUs its VMs' CPU load may take after the restarts
   * @throws PlanRequestException when the host is not listed or is ACTIVE
   */
  public static Result place(ClusterSnapshot snapshot, String failedHost, int cpuPercent) {
    ClusterSnapshot.Host failed =
        snapshot
            .host(failedHost)
            .orElseThrow(
                () ->
                    new PlanRequestException(
                        "host \"" + failedHost + "\" is not listed in the snapshot"));
    if (failed.state() == HostState.ACTIVE) {
      throw new PlanRequestException(
          "host \"" + failedHost + "\" is ACTIVE: only a failed host's VMs are restarted");
    }
    if (cpuPercent <= 0) {
      throw new PlanRequestException("the restart CPU limit must be above 0%, found " + cpuPercent);
    }
    Placement placement = new Placement(released(snapshot, failedHost), new PlanOptions(0));
    return place(placement, placement.hostIndex(failedHost), cpuPercent);
  }

  /**
   * As {@link #place(ClusterSnapshot, String, int)}, on {@code placement}, which it changes: the
   * restarted VMs are moved there. The failed host must not accept domains, and its VMs must be
   * free to go (no pin or cooldown: see {@link #released}); what stays down must hold nothing.
   * {@link FailoverCapacity} tries failures on copies of one placement this way.
   */
  static Result place(Placement placement, int from, int cpuPercent) {
    CpuRoom cpu = new CpuRoom(placement, cpuPercent);
    List<String> staying = new ArrayList<>();
    List<int[]> units = new ArrayList<>();
    boolean[] seen = new boolean[placement.domainCount()];
    for (int d : placement.domainsOnHost(from)) {
      if (seen[d]) {
        continue;
      }
      int[] companions = placement.rules().companions(d, placement);
      int[] unit = Arrays.copyOf(companions, companions.length + 1);
      unit[companions.length] = d;
      Arrays.sort(unit);
      for (int m : unit) {
        seen[m] = true;
      }
      if (priority(placement, unit) == RestartPriority.NEVER) {
        for (int m : unit) {
          staying.add(placement.domainName(m));
        }
      } else {
        units.add(unit);
      }
    }
    units.sort(
        Comparator.<int[], RestartPriority>comparing(u -> priority(placement, u))
            .thenComparingLong(u -> -memory(placement, u))
            .thenComparing(u -> -cpu.demand(u))
            .thenComparing(u -> placement.domainName(u[0])));
    List<Restart> restarts = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (int[] unit : units) {
      RestartPriority priority = priority(placement, unit);
      int best = -1;
      double bestHeadroom = 0;
      String why = "there is no ACTIVE host";
      for (int h = 0; h < placement.hostCount(); h++) {
        if (!placement.accepting(h)) {
          continue;
        }
        String refusal =
            unit.length == 1 ? placement.refusal(unit[0], h) : placement.groupRefusal(unit, h);
        if (refusal == null) {
          refusal = cpu.refusal(unit, h);
        }
        if (refusal == null) {
          double headroom = headroom(placement, cpu, unit, h);
          if (best < 0 || headroom > bestHeadroom) {
            best = h;
            bestHeadroom = headroom;
          }
        } else if (best < 0) {
          why = refusal;
        }
      }
      if (best < 0) {
        for (int m : unit) {
          left.add(
              placement.domainName(m)
                  + " ("
                  + priority.word()
                  + "): fits on no ACTIVE host, e.g. "
                  + why);
        }
        continue;
      }
      for (int m : unit) {
        placement.move(m, best);
        restarts.add(new Restart(placement.domainName(m), placement.hostName(best), priority));
      }
      cpu.add(unit, best);
    }
    return new Result(restarts, left, staying);
  }

  /** What the host has left of its scarcer resource, as a share, once the unit is on it. */
  private static double headroom(Placement placement, CpuRoom cpu, int[] unit, int h) {
    double memory =
        (placement.freeBytes(h) - memory(placement, unit)) / (double) placement.capacityBytes(h);
    return Math.min(memory, cpu.headroom(unit, h));
  }

  /** The snapshot with the failed host's VMs free to go: no pin or cooldown holds them. */
  private static ClusterSnapshot released(ClusterSnapshot snapshot, String failedHost) {
    return released(snapshot, d -> d.host().equals(failedHost));
  }

  /**
   * The snapshot with the VMs {@code which} picks free to go. Releasing VMs that do not move
   * changes no restart: a pin or a cooldown only holds the VM itself.
   */
  static ClusterSnapshot released(
      ClusterSnapshot snapshot, java.util.function.Predicate<ClusterSnapshot.Domain> which) {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (which.test(d)) {
        PlacementRules r = d.rules();
        d =
            new ClusterSnapshot.Domain(
                d.name(),
                d.host(),
                d.state(),
                d.memoryBytes(),
                d.vcpus(),
                d.cpuUtilisation(),
                new PlacementRules(r.apart(), r.together(), r.hosts(), false, r.restart()),
                false,
                java.util.OptionalLong.empty());
      }
      domains.add(d);
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }

  /** The most urgent priority among the members. */
  private static RestartPriority priority(Placement placement, int[] unit) {
    RestartPriority most = RestartPriority.NEVER;
    for (int d : unit) {
      RestartPriority p = placement.snapshot().domains().get(d).rules().restart();
      if (p.compareTo(most) < 0) {
        most = p;
      }
    }
    return most;
  }

  private static long memory(Placement placement, int[] unit) {
    long sum = 0;
    for (int d : unit) {
      sum += placement.memoryBytes(d);
    }
    return sum;
  }
}
