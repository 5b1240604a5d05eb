package xcm.coordinator.balancing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.plan.ClusterSnapshot;

/**
 * The coordinator's side of {@link DemandTracker}: fed with every collection round, it hands the
 * planners a snapshot whose CPU figures are smoothed demand, with each domain's deviation.
 *
 * <p>Thread-safe: the collector feeds it while rounds read it.
 */
final class SmoothedDemand {
  /** A snapshot on smoothed demand, and each domain's deviation in CPUs by name. */
  record Smoothed(ClusterSnapshot snapshot, Map<String, Double> deviations) {}

  private final DemandTracker tracker;
  // Where each domain's last sample came from.
  private final Map<String, String> sampledOn = new HashMap<>();

  SmoothedDemand(Duration window) {
    tracker = new DemandTracker(window);
  }

  /**
   * Takes a round's samples: each running domain's CPU demand, at its host's sample time. A
   * domain's first sample on a host it moved to is left out: an agent's first look at a domain has
   * no earlier CPU time to measure from and reads 0% busy.
   */
  synchronized void observe(xcm.coordinator.inventory.ClusterSnapshot cluster) {
    Set<String> seen = new HashSet<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() == null || host.data().agentStale()) {
        continue;
      }
      long at = host.data().sampleEpochMillis();
      for (DomainData d : host.data().domains()) {
        if (d.state().isActive()
            && Double.isFinite(d.cpuUtilisation())
            && d.cpuUtilisation() >= 0) {
          seen.add(d.name());
          String before = sampledOn.put(d.name(), host.name());
          if (before == null || before.equals(host.name())) {
            tracker.observe(d.name(), d.cpuUtilisation() * d.vcpus(), at);
          }
        }
      }
    }
    tracker.retain(seen);
    sampledOn.keySet().retainAll(seen);
  }

  /** The snapshot with each domain's CPU utilisation its smoothed demand over its vCPUs. */
  synchronized Smoothed smooth(ClusterSnapshot snapshot) {
    Map<String, Double> deviations = new HashMap<>();
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      DemandTracker.Demand demand = tracker.estimate(d.name(), d.cpuUtilisation() * d.vcpus());
      deviations.put(d.name(), demand.deviation());
      domains.add(
          d.vcpus() == 0
              ? d
              : new ClusterSnapshot.Domain(
                  d.name(),
                  d.host(),
                  d.state(),
                  d.memoryBytes(),
                  d.vcpus(),
                  demand.mean() / d.vcpus(),
                  d.rules(),
                  d.pinned(),
                  d.lastMovedSecondsAgo()));
    }
    return new Smoothed(new ClusterSnapshot(snapshot.hosts(), domains), deviations);
  }
}
