package xcm.coordinator.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.SnapshotException;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.HostLabels;

/**
 * The planners' view of the live cluster: every host that answered at least once with its state,
 * capacity, reserve and labels, and every domain with its placement rules and the time it last
 * migrated (for the cooldown). A domain whose rules cannot be read is planned as having none.
 */
public final class PlanningInput {
  private PlanningInput() {}

  /**
   * @param reservedMemoryBytes memory each host keeps for its hypervisor
   * @param lastMoved when each domain (by UUID) last migrated through this coordinator
   * @param moving domains (by UUID) that operations are moving now, each with the host it moves
   *     from; pinned, so that no plan moves them a second time. While it moves a domain shows on
   *     both hosts (the copy coming in is paused); the planners see it once, on its source
   * @throws IllegalStateException when the cluster cannot be planned on, e.g. a domain name used on
   *     two hosts
   */
  public static ClusterSnapshot of(
      xcm.coordinator.inventory.ClusterSnapshot cluster,
      long reservedMemoryBytes,
      Map<String, Instant> lastMoved,
      Map<String, String> moving,
      Instant now) {
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    Set<String> onSource = new HashSet<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        for (DomainData d : host.data().domains()) {
          if (host.name().equals(moving.get(d.uuid()))) {
            onSource.add(d.uuid());
          }
        }
      }
    }
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() == null || host.state() == HostState.REMOVED) {
        continue;
      }
      long memory = host.data().memoryBytes();
      HostState state = host.state();
      if (state == HostState.ACTIVE && (memory <= reservedMemoryBytes || host.data().cpus() == 0)) {
        // A host too small for its reserve takes nothing, like one in maintenance.
        state = HostState.MAINTENANCE;
      }
      hosts.add(
          new ClusterSnapshot.Host(
              host.name(),
              state,
              memory,
              Math.min(reservedMemoryBytes, memory),
              host.data().cpus(),
              labels(host)));
      for (DomainData d : host.data().domains()) {
        if (onSource.contains(d.uuid()) && !host.name().equals(moving.get(d.uuid()))) {
          continue;
        }
        Instant moved = lastMoved.get(d.uuid());
        domains.add(
            new ClusterSnapshot.Domain(
                d.name(),
                host.name(),
                d.state(),
                d.memoryBytes(),
                d.vcpus(),
                d.cpuUtilisation(),
                d.rules().rules(),
                // A silent host cannot send its domains anywhere: no plan moves them.
                moving.containsKey(d.uuid()) || !host.reachable() || host.state().failing(),
                moved == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(Math.max(0, Duration.between(moved, now).toSeconds()))));
      }
    }
    try {
      return new ClusterSnapshot(hosts, domains);
    } catch (SnapshotException e) {
      throw new IllegalStateException("the cluster cannot be planned on: " + e.getMessage());
    }
  }

  /** The host's labels; ones an agent of another version reports unreadably count as none. */
  private static HostLabels labels(HostRecord host) {
    try {
      return new HostLabels(host.data().labels());
    } catch (IllegalArgumentException e) {
      return HostLabels.NONE;
    }
  }
}
