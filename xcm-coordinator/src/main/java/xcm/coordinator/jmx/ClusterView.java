package xcm.coordinator.jmx;

import java.util.List;
import java.util.function.Supplier;
import xcm.coordinator.failure.Availability;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.ClusterMXBean;
import xcm.mbeans.HostState;
import xcm.mbeans.HostSummary;

/** {@code xcm:type=Cluster}: the summary view over the inventory's current snapshot. */
final class ClusterView implements ClusterMXBean {
  private final Supplier<ClusterSnapshot> snapshot;

  private final Availability availability;

  ClusterView(Supplier<ClusterSnapshot> snapshot, Availability availability) {
    this.availability = availability;
    this.snapshot = snapshot;
  }

  /** Hosts whose figures count in the totals: reachable members that answered at least once. */
  private List<HostData> counted() {
    return snapshot.get().hosts().values().stream()
        .filter(h -> h.data() != null && h.removedAt() == null && h.reachable())
        .map(HostRecord::data)
        .toList();
  }

  @Override
  public List<HostSummary> getHosts() {
    ClusterSnapshot s = snapshot.get();
    return s.hosts().values().stream().map(h -> summary(h, s)).toList();
  }

  static HostSummary summary(HostRecord host, ClusterSnapshot snapshot) {
    HostData data = host.data();
    double age =
        data == null || snapshot.collectedAt() == null
            ? -1
            : Math.max(
                0, (snapshot.collectedAt().toEpochMilli() - data.sampleEpochMillis()) / 1000.0);
    return new HostSummary(
        host.name(),
        host.state().name(),
        host.url(),
        data == null ? 0 : data.domains().size(),
        data == null ? 0 : data.activeDomains(),
        data == null ? 0 : data.cpus(),
        data == null ? 0 : data.memoryBytes(),
        data == null ? 0 : data.memoryUsedBytes(),
        data == null ? 0 : data.cpuUtilisation(),
        age,
        host.missedRounds(),
        data == null ? "" : HostLabelsText.of(data.labels()));
  }

  @Override
  public int getHostCount() {
    return (int)
        snapshot.get().hosts().values().stream().filter(h -> h.removedAt() == null).count();
  }

  @Override
  public int getActiveHostCount() {
    return (int) snapshot.get().count(HostState.ACTIVE);
  }

  @Override
  public int getUnreachableHostCount() {
    return (int) snapshot.get().count(HostState.UNREACHABLE);
  }

  @Override
  public int getStandbyHostCount() {
    return (int) snapshot.get().count(HostState.STANDBY);
  }

  @Override
  public int getFailoverHostsTolerated() {
    return availability.failover().tolerated();
  }

  @Override
  public int getFailoverLevel() {
    return availability.failover().level();
  }

  @Override
  public int getDefinitionsKept() {
    return availability.definitionsKept().getAsInt();
  }

  @Override
  public int getFailingHostCount() {
    return (int) snapshot.get().hosts().values().stream().filter(h -> h.state().failing()).count();
  }

  @Override
  public int getDomainCount() {
    return snapshot.get().domainCount();
  }

  @Override
  public int getActiveDomainCount() {
    return counted().stream().mapToInt(HostData::activeDomains).sum();
  }

  @Override
  public long getMemoryBytes() {
    return counted().stream().mapToLong(HostData::memoryBytes).sum();
  }

  @Override
  public long getMemoryUsedBytes() {
    return counted().stream().mapToLong(HostData::memoryUsedBytes).sum();
  }

  @Override
  public double getCpuUtilisation() {
    List<HostData> hosts = counted();
    double cpus = hosts.stream().mapToInt(HostData::cpus).sum();
    return cpus == 0
        ? 0
        : hosts.stream().mapToDouble(h -> h.cpuUtilisation() * h.cpus()).sum() / cpus;
  }

  @Override
  public List<String> getPendingAgents() {
    return snapshot.get().pending().entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .toList();
  }

  @Override
  public long getCollectRounds() {
    return snapshot.get().round();
  }

  @Override
  public long getLastCollectEpochMillis() {
    ClusterSnapshot s = snapshot.get();
    return s.collectedAt() == null ? 0 : s.collectedAt().toEpochMilli();
  }

  @Override
  public double getLastCollectDurationSeconds() {
    return snapshot.get().collectSeconds();
  }
}
