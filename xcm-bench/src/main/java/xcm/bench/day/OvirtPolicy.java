package xcm.bench.day;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * oVirt's {@code evenly_distributed} cluster policy, balancer {@code OptimalForEvenDistribution}
 * (ovirt-engine 4.5, {@code EvenDistributionBalancePolicyUnit}, {@code FindVmAndDestinations},
 * {@code SchedulingManager}), with its defaults: every minute, at most one migration per cluster.
 *
 * <ul>
 *   <li>a host is over-utilised when its CPU has been at or above HighUtilization (80%) in every
 *       sample for CpuOverCommitDurationMinutes (2); sources are taken most loaded first (CPU ×
 *       cores);
 *   <li>destination candidates are under min(80% of HighUtilization, HighUtilization − 10) = 64%
 *       and not over-utilised; hosts with a migration running are left out;
 *   <li>the source's VMs are tried lightest first (CPU × vCPUs); a candidate is valid if its CPU
 *       with the VM stays at or under HighUtilization and the VM's memory fits;
 *   <li>among the valid hosts and the source, the scheduler ranks by CPU after the move (weight 2)
 *       and free memory after it (weight 1); if the source ranks best, the next VM is tried.
 * </ul>
 *
 * <p>Memory balancing is off in that policy unless its memory limits are set; they are not here.
 */
final class OvirtPolicy implements DayPolicy {
  private static final double HIGH = 0.80;
  private static final int DURATION = 2;
  private static final double LOW = Math.min(0.8 * HIGH, HIGH - 0.10);

  private int[] overSince;

  @Override
  public String name() {
    return "oVirt OptimalForEvenDistribution (80%, 2 min, every 1 min)";
  }

  @Override
  public int intervalMinutes() {
    return 1;
  }

  @Override
  public void observe(SimCluster cluster) {
    if (overSince == null) {
      overSince = new int[cluster.hostCount()];
      Arrays.fill(overSince, -1);
    }
    for (int h = 0; h < cluster.hostCount(); h++) {
      if (cluster.utilisation(h) >= HIGH) {
        if (overSince[h] < 0) {
          overSince[h] = cluster.minute();
        }
      } else {
        overSince[h] = -1;
      }
    }
  }

  @Override
  public void round(SimCluster cluster) {
    int now = cluster.minute();
    List<Integer> sources = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    for (int h = 0; h < cluster.hostCount(); h++) {
      if (cluster.power(h) != SimCluster.Power.ACTIVE || cluster.inFlight(h) > 0) {
        continue;
      }
      double u = cluster.utilisation(h);
      boolean lasting = overSince[h] >= 0 && now - overSince[h] >= DURATION;
      if (u >= HIGH && lasting && cluster.vmsOn(h) > 0) {
        sources.add(h);
      } else if (u < LOW && (overSince[h] < 0 || lasting)) {
        candidates.add(h);
      }
    }
    sources.sort(Comparator.comparingDouble((Integer h) -> -load(cluster, h)));
    for (int source : sources) {
      List<Integer> vms = new ArrayList<>();
      for (int v = 0; v < cluster.vmCount(); v++) {
        if (cluster.hostOf(v) == source && !cluster.migrating(v)) {
          vms.add(v);
        }
      }
      vms.sort(Comparator.comparingDouble(cluster::demand));
      for (int v : vms) {
        List<Integer> valid = new ArrayList<>();
        for (int h : candidates) {
          if (cluster.utilisation(h) + cluster.demand(v) / cpus(cluster, h) <= HIGH
              && cluster.usedMib(h) + cluster.memoryMib(v) <= cluster.capacityMib(h)) {
            valid.add(h);
          }
        }
        if (valid.isEmpty()) {
          continue;
        }
        valid.add(source);
        int chosen = rankSelect(cluster, valid, v, source);
        if (chosen != source) {
          cluster.migrate(v, chosen);
          return;
        }
      }
    }
  }

  /** The scheduler's rank selector: per weight, hosts ranked by how many do as well or worse. */
  private static int rankSelect(SimCluster cluster, List<Integer> hosts, int v, int source) {
    int n = hosts.size();
    double[] cpu = new double[n];
    double[] memory = new double[n];
    for (int i = 0; i < n; i++) {
      int h = hosts.get(i);
      double added = h == source ? 0 : cluster.demand(v);
      cpu[i] = (cluster.utilisation(h) * cpus(cluster, h) + added) / cpus(cluster, h);
      long mem = h == source ? 0 : cluster.memoryMib(v);
      memory[i] = -(cluster.capacityMib(h) - cluster.usedMib(h) - mem);
    }
    int best = 0;
    double bestScore = -1;
    for (int i = 0; i < n; i++) {
      double score = 2 * rank(cpu, i) + rank(memory, i);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return hosts.get(best);
  }

  /** How many hosts weigh the same or more (worse): lower weight, higher rank. */
  private static int rank(double[] weights, int i) {
    int r = 0;
    for (double w : weights) {
      r += w >= weights[i] ? 1 : 0;
    }
    return r;
  }

  private static double load(SimCluster cluster, int h) {
    return cluster.utilisation(h) * cpus(cluster, h);
  }

  private static int cpus(SimCluster cluster, int h) {
    return cluster.trace().hosts().get(h).cpus();
  }
}
