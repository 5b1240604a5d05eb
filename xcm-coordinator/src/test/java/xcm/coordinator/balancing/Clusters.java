package xcm.coordinator.balancing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.HostState;

/** Seeded clusters on smoothed demand for the balancing tests, and moves applied to them. */
final class Clusters {
  static final long GIB = 1L << 30;

  private Clusters() {}

  static Planner planner() {
    return new Planner(BalancePolicies.installed(Clusters.class.getClassLoader()));
  }

  /**
   * Hosts of 16 to 64 CPUs and 128 to 512 GiB, domains of 1 to 8 vCPUs and 2 to 16 GiB busy 0 to
   * 90%, piled on the first hosts more than the last; a fifth of the hosts in {@code otherState}
   * when it is given.
   */
  static ClusterSnapshot random(
      SplittableRandom random, int hosts, int domains, HostState otherState) {
    List<ClusterSnapshot.Host> hostList = new ArrayList<>();
    long[] free = new long[hosts];
    for (int h = 0; h < hosts; h++) {
      int size = 1 << random.nextInt(3);
      HostState state =
          otherState != null && h > 0 && random.nextInt(5) == 0 ? otherState : HostState.ACTIVE;
      hostList.add(new ClusterSnapshot.Host("h" + h, state, size * 128 * GIB, 4 * GIB, size * 16));
      free[h] = state == HostState.ACTIVE ? size * 124 * GIB : 0;
    }
    List<ClusterSnapshot.Domain> domainList = new ArrayList<>();
    for (int d = 0; d < domains; d++) {
      long memory = (2L << random.nextInt(4)) * GIB;
      int host = Math.min(hosts - 1, (int) (hosts * Math.pow(random.nextDouble(), 2)));
      for (int tried = 0; free[host] < memory && tried < hosts; tried++) {
        host = (host + 1) % hosts;
      }
      if (free[host] < memory) {
        continue;
      }
      free[host] -= memory;
      domainList.add(
          ClusterSnapshot.Domain.running(
              "vm" + d, "h" + host, memory, 1 << random.nextInt(4), 0.9 * random.nextDouble()));
    }
    return new ClusterSnapshot(hostList, domainList);
  }

  /** The snapshot once the moves ran. */
  static ClusterSnapshot after(ClusterSnapshot snapshot, List<Move> moves) {
    return snapshot.withMoves(moves);
  }
}
