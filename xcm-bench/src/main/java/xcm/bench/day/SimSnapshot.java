package xcm.bench.day;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntToDoubleFunction;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.PlacementRules;

/**
 * The simulated cluster as the planners see a real one: hosts in their states (a host booting is
 * not placed on yet, as MAINTENANCE), VMs with the demand a policy chooses, migrating ones held,
 * and when each last moved.
 */
final class SimSnapshot {
  private SimSnapshot() {}

  /**
   * @param demand each VM's CPU demand in CPUs, by index
   */
  static ClusterSnapshot of(SimCluster cluster, IntToDoubleFunction demand) {
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    for (int h = 0; h < cluster.hostCount(); h++) {
      DayTrace.Host host = cluster.trace().hosts().get(h);
      HostState state =
          switch (cluster.power(h)) {
            case ACTIVE -> HostState.ACTIVE;
            case DRAINING -> HostState.DRAINING;
            case STANDBY -> HostState.STANDBY;
            case BOOTING -> HostState.MAINTENANCE;
          };
      hosts.add(
          new ClusterSnapshot.Host(
              host.name(),
              state,
              host.memoryMib() << 20,
              SimCluster.RESERVE_MIB << 20,
              host.cpus()));
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    int minute = cluster.minute();
    for (int v = 0; v < cluster.vmCount(); v++) {
      DayTrace.Vm vm = cluster.trace().vms().get(v);
      int arrived = cluster.lastArrival(v);
      domains.add(
          new ClusterSnapshot.Domain(
              vm.name(),
              cluster.trace().hosts().get(cluster.hostOf(v)).name(),
              DomainState.RUNNING,
              cluster.memoryMib(v) << 20,
              vm.vcpus(),
              Math.max(0, demand.applyAsDouble(v)) / vm.vcpus(),
              PlacementRules.NONE,
              cluster.migrating(v),
              arrived == Integer.MIN_VALUE
                  ? OptionalLong.empty()
                  : OptionalLong.of((minute - arrived) * 60L)));
    }
    return new ClusterSnapshot(hosts, domains);
  }
}
