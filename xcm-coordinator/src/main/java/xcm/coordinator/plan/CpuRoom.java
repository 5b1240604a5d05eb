package xcm.coordinator.plan;

import java.util.Locale;

/**
 * The CPU side of a restart's room: each host's CPU load (Σ busy fraction × vCPUs of the VMs that
 * hold resources there) against its CPUs times a limit, and its CPU count against a VM's vCPUs.
 * Kept beside a {@link Placement}, whose own checks are memory and rules; the caller tells it of
 * every unit it places.
 *
 * <p>Not thread-safe: one planner owns it.
 */
final class CpuRoom {
  private final Placement placement;
  private final double[] load;
  private final double[] limit;
  private final int percent;

  CpuRoom(Placement placement, int percent) {
    this.placement = placement;
    this.percent = percent;
    int hosts = placement.hostCount();
    load = new double[hosts];
    limit = new double[hosts];
    for (int h = 0; h < hosts; h++) {
      limit[h] = placement.snapshot().hosts().get(h).cpus() * (percent / 100.0);
    }
    // Summed in domain order, whatever order a host's list is in after moves: a placement built
    // from a snapshot and a copy that had domains moved and dropped then add the same loads in the
    // same order, to the last bit, so FailoverCapacity's trials choose as RestartPlanner would.
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.holdsResources(d)) {
        load[placement.hostOf(d)] += demand(d);
      }
    }
  }

  /** The CPUs the unit keeps busy. */
  double demand(int[] unit) {
    double sum = 0;
    for (int d : unit) {
      sum += demand(d);
    }
    return sum;
  }

  private double demand(int d) {
    ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
    return domain.cpuUtilisation() * domain.vcpus();
  }

  /** Null if the unit's CPUs fit on the host, else the shortfall. */
  String refusal(int[] unit, int h) {
    ClusterSnapshot.Host host = placement.snapshot().hosts().get(h);
    for (int d : unit) {
      int vcpus = placement.snapshot().domains().get(d).vcpus();
      if (vcpus > host.cpus()) {
        return placement.domainName(d)
            + " has "
            + vcpus
            + " vCPUs and host "
            + host.name()
            + " has "
            + host.cpus()
            + " CPUs";
      }
    }
    double needed = demand(unit);
    // A hair of tolerance, so that loads that add up to the limit exactly fit.
    if (needed > 0 && load[h] + needed > limit[h] + 1e-9) {
      return String.format(
          Locale.ROOT,
          "%s keep %.2f CPUs busy and host %s has %.2f of its %d CPUs free under the %d%% restart"
              + " limit",
          unit.length == 1 ? "it would" : "together they would",
          needed,
          host.name(),
          Math.max(0, limit[h] - load[h]),
          host.cpus(),
          percent);
    }
    return null;
  }

  /** The share of the host's CPU limit left once the unit is on it. */
  double headroom(int[] unit, int h) {
    return (limit[h] - load[h] - demand(unit)) / limit[h];
  }

  /** The unit has been placed on the host. */
  void add(int[] unit, int h) {
    load[h] += demand(unit);
  }
}
