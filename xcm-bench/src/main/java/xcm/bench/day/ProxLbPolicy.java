package xcm.bench.day;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ProxLB's balancing as its code reads (credativ/ProxLB {@code proxlb/models/calculations.py} at
 * commit 04929921, the 2.0 line, with the 2.x change that picks the least used node again before
 * each guest), with method {@code cpu} and mode {@code used}:
 *
 * <ul>
 *   <li>a node's use is its CPUs busy now over its CPUs; balancing starts when the most used node
 *       is more than {@code balanciness} (default 10) percentage points above the least used;
 *   <li>guests are taken smallest memory first, over the whole cluster; before each, the spread is
 *       checked again and the run stops once it is within balanciness; a guest moves (on paper)
 *       only if it is on the node now most used, to the node now least used, if its memory fits
 *       there;
 *   <li>a guest's CPU is its mean over the last hour. ProxLB adds Proxmox's busy fraction to the
 *       node's count of busy cores as is; here it is multiplied by the guest's vCPUs, which is what
 *       the code means and kinder to ProxLB;
 *   <li>no cap on moves; every guest planned to move is migrated after planning.
 * </ul>
 *
 * <p>ProxLB's daemon waits 12 hours between runs by default; here it runs every {@code interval}
 * minutes.
 */
final class ProxLbPolicy implements DayPolicy {
  private final int interval;
  private final double balanciness;
  private float[][] hour;
  private int filled;

  ProxLbPolicy(int interval, double balanciness) {
    this.interval = interval;
    this.balanciness = balanciness;
  }

  @Override
  public String name() {
    return "ProxLB (cpu, used, balanciness " + (int) balanciness + ", every " + interval + " min)";
  }

  @Override
  public int intervalMinutes() {
    return interval;
  }

  @Override
  public void observe(SimCluster cluster) {
    if (hour == null) {
      hour = new float[60][cluster.vmCount()];
    }
    float[] row = hour[cluster.minute() % 60];
    for (int v = 0; v < row.length; v++) {
      row[v] = (float) cluster.demand(v);
    }
    filled = Math.min(60, filled + 1);
  }

  @Override
  public void round(SimCluster cluster) {
    int hosts = cluster.hostCount();
    double[] used = new double[hosts];
    double[] memFree = new double[hosts];
    boolean[] node = new boolean[hosts];
    for (int h = 0; h < hosts; h++) {
      node[h] = cluster.power(h) == SimCluster.Power.ACTIVE;
      used[h] = cluster.utilisation(h) * cpus(cluster, h);
      memFree[h] = cluster.capacityMib(h) - cluster.usedMib(h);
    }
    int[] at = new int[cluster.vmCount()];
    List<Integer> guests = new ArrayList<>();
    for (int v = 0; v < cluster.vmCount(); v++) {
      at[v] = cluster.hostOf(v);
      if (!cluster.migrating(v) && node[at[v]]) {
        guests.add(v);
      }
    }
    guests.sort(Comparator.comparingLong(cluster::memoryMib));
    for (int v : guests) {
      int most = extreme(cluster, used, node, true);
      int least = extreme(cluster, used, node, false);
      if (most < 0 || percent(cluster, used, most) - percent(cluster, used, least) <= balanciness) {
        break;
      }
      if (at[v] != most || cluster.memoryMib(v) >= memFree[least]) {
        continue;
      }
      double load = hourMean(v);
      used[most] -= load;
      used[least] += load;
      memFree[most] += cluster.memoryMib(v);
      memFree[least] -= cluster.memoryMib(v);
      at[v] = least;
    }
    for (int v : guests) {
      if (at[v] != cluster.hostOf(v)) {
        cluster.migrate(v, at[v]);
      }
    }
  }

  private double hourMean(int v) {
    double sum = 0;
    for (int i = 0; i < filled; i++) {
      sum += hour[i][v];
    }
    return filled == 0 ? 0 : sum / filled;
  }

  private static int extreme(SimCluster cluster, double[] used, boolean[] node, boolean most) {
    int best = -1;
    for (int h = 0; h < used.length; h++) {
      if (node[h]) {
        double p = percent(cluster, used, h);
        if (best < 0
            || (most ? p > percent(cluster, used, best) : p < percent(cluster, used, best))) {
          best = h;
        }
      }
    }
    return best;
  }

  private static double percent(SimCluster cluster, double[] used, int h) {
    return 100 * used[h] / cpus(cluster, h);
  }

  private static int cpus(SimCluster cluster, int h) {
    return cluster.trace().hosts().get(h).cpus();
  }
}
