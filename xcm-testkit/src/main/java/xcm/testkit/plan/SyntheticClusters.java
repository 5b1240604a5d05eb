package xcm.testkit.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.PlanOptions;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RestartPriority;
import xcm.mbeans.placement.Strength;

/**
 * Seeded, skewed clusters for benchmarks and tests: three host sizes, domains of one to eight vCPUs
 * with two or four GiB per vCPU, placed with a Zipf-like preference for some hosts so that a few
 * are crowded and many are light. About 2% of the domains are pinned, 5% moved recently and 10%
 * belong to anti-affinity groups of three; all of these are placed legally.
 *
 * <pre>{@code
 * ClusterSnapshot cluster = SyntheticClusters.skewed(50, 1_000, 42);
 * }</pre>
 *
 * <p>The same arguments give the same cluster. Stateless and thread-safe.
 */
public final class SyntheticClusters {
  private static final long GIB = 1L << 30;
  private static final int[] CPUS = {16, 32, 64};
  private static final long[] MEMORY = {128 * GIB, 256 * GIB, 512 * GIB};
  private static final double[] SIZE_SHARE = {0.3, 0.5, 0.2};
  private static final int[] VCPUS = {1, 2, 4, 8};
  private static final double[] VCPU_SHARE = {0.3, 0.35, 0.25, 0.1};

  private SyntheticClusters() {}

  /** A cluster of ACTIVE hosts of three sizes named h0001… and running domains vm000001…. */
  public static ClusterSnapshot skewed(int hostCount, int domainCount, long seed) {
    return skewed(hostCount, domainCount, seed, true);
  }

  /**
   * As {@link #skewed(int, int, long)}; with {@code mixedSizes} false every host has 32 CPUs and
   * 256 GiB, where "balanced" means the same whether loads are compared as fractions of the host
   * (XCM) or as absolute amounts (hbal's dynamic load).
   */
  public static ClusterSnapshot skewed(
      int hostCount, int domainCount, long seed, boolean mixedSizes) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ClusterSnapshot.Host> hosts = new ArrayList<>(hostCount);
    long[] free = new long[hostCount];
    int digits = Math.max(4, Integer.toString(hostCount).length());
    for (int h = 0; h < hostCount; h++) {
      int size = mixedSizes ? pick(random, SIZE_SHARE) : 1;
      long reserve = 4 * GIB;
      hosts.add(
          ClusterSnapshot.Host.active(
              String.format("h%0" + digits + "d", h + 1), MEMORY[size], reserve, CPUS[size]));
      free[h] = MEMORY[size] - reserve;
    }
    // Zipf-like popularity over a shuffled host order, mixed with a uniform share.
    double[] weight = new double[hostCount];
    int[] rank = shuffled(random, hostCount);
    double total = 0;
    for (int h = 0; h < hostCount; h++) {
      weight[h] = 0.25 / hostCount + 1.0 / Math.pow(rank[h] + 1, 0.7);
      total += weight[h];
    }
    double[] cumulative = new double[hostCount];
    double running = 0;
    for (int h = 0; h < hostCount; h++) {
      running += weight[h] / total;
      cumulative[h] = running;
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>(domainCount);
    int groupSize = 3;
    int groupCount = domainCount / 10 / groupSize;
    int grouped = groupCount * groupSize;
    int domainDigits = Math.max(6, Integer.toString(domainCount).length());
    List<Integer> groupHosts = new ArrayList<>();
    for (int d = 0; d < domainCount; d++) {
      int vcpus = VCPUS[pick(random, VCPU_SHARE)];
      long memory = vcpus * (random.nextBoolean() ? 2 : 4) * GIB;
      double utilisation =
          Math.round((0.02 + 0.9 * Math.pow(random.nextDouble(), 2)) * 1000) / 1000.0;
      if (d % groupSize == 0) {
        groupHosts.clear();
      }
      boolean inGroup = d < grouped;
      int h = choose(random, cumulative, free, memory, inGroup ? groupHosts : List.of());
      if (inGroup) {
        groupHosts.add(h);
      }
      free[h] -= memory;
      double roll = random.nextDouble();
      domains.add(
          new ClusterSnapshot.Domain(
              String.format("vm%0" + domainDigits + "d", d + 1),
              hosts.get(h).name(),
              DomainState.RUNNING,
              memory,
              vcpus,
              utilisation,
              inGroup ? apart("g" + (d / groupSize + 1)) : PlacementRules.NONE,
              roll < 0.02,
              roll >= 0.02 && roll < 0.07
                  ? OptionalLong.of(random.nextLong(PlanOptions.DEFAULT_COOLDOWN_SECONDS))
                  : OptionalLong.empty()));
    }
    return new ClusterSnapshot(hosts, domains);
  }

  private static PlacementRules apart(String group) {
    return new PlacementRules(
        List.of(new GroupRule(group, Strength.HARD)),
        List.of(),
        List.of(),
        false,
        RestartPriority.MEDIUM);
  }

  private static int choose(
      SplittableRandom random, double[] cumulative, long[] free, long memory, List<Integer> avoid) {
    for (int attempt = 0; attempt < 50; attempt++) {
      double u = random.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      if (free[lo] >= memory && !avoid.contains(lo)) {
        return lo;
      }
    }
    int roomiest = -1;
    for (int h = 0; h < free.length; h++) {
      if (!avoid.contains(h) && (roomiest < 0 || free[h] > free[roomiest])) {
        roomiest = h;
      }
    }
    if (roomiest < 0 || free[roomiest] < memory) {
      throw new IllegalArgumentException(
          "too many domains for " + free.length + " hosts: the cluster's memory is full");
    }
    return roomiest;
  }

  private static int pick(SplittableRandom random, double[] shares) {
    double u = random.nextDouble();
    for (int i = 0; i < shares.length - 1; i++) {
      u -= shares[i];
      if (u < 0) {
        return i;
      }
    }
    return shares.length - 1;
  }

  private static int[] shuffled(SplittableRandom random, int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
