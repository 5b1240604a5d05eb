package xcm.coordinator.jmx;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.DomainDetail;

/** {@code xcm:type=Cluster,host=...}: one host's detailed view over the current snapshot. */
final class ClusterHostView implements ClusterHostMXBean {
  private final String name;
  private final Supplier<ClusterSnapshot> snapshot;

  ClusterHostView(String name, Supplier<ClusterSnapshot> snapshot) {
    this.name = name;
    this.snapshot = snapshot;
  }

  /** The host's record; a view outlives its host by at most one listener call. */
  private HostRecord host() {
    HostRecord host = snapshot.get().host(name);
    if (host == null) {
      throw new IllegalStateException("host " + name + " has left the cluster");
    }
    return host;
  }

  private HostData data() {
    HostData data = host().data();
    return data != null ? data : new HostData(name, 0, 0, 0, 0, true, 0, List.of());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getUrl() {
    return host().url();
  }

  @Override
  public Map<String, String> getLabels() {
    return data().labels();
  }

  @Override
  public String getState() {
    return host().state().name();
  }

  @Override
  public String getStateReason() {
    HostRecord record = host();
    return record.failure() == null ? "" : record.failure().reason();
  }

  @Override
  public int getMissedRounds() {
    return host().missedRounds();
  }

  @Override
  public String getLastError() {
    String error = host().lastError();
    return error == null ? "" : error;
  }

  @Override
  public long getLastSampleEpochMillis() {
    return data().sampleEpochMillis();
  }

  @Override
  public boolean isAgentStale() {
    return data().agentStale();
  }

  @Override
  public int getCpus() {
    return data().cpus();
  }

  @Override
  public long getMemoryBytes() {
    return data().memoryBytes();
  }

  @Override
  public long getMemoryFreeBytes() {
    return data().memoryFreeBytes();
  }

  @Override
  public long getMemoryUsedBytes() {
    return data().memoryUsedBytes();
  }

  @Override
  public int getDomainCount() {
    return data().domains().size();
  }

  @Override
  public int getActiveDomainCount() {
    return data().activeDomains();
  }

  @Override
  public double getCpuUtilisation() {
    return data().cpuUtilisation();
  }

  @Override
  public List<DomainDetail> getDomains() {
    return data().domains().stream().map(ClusterHostView::detail).toList();
  }

  private static DomainDetail detail(DomainData d) {
    return new DomainDetail(
        d.name(),
        d.uuid(),
        d.state().name(),
        d.memoryBytes(),
        d.maxMemoryBytes(),
        d.vcpus(),
        d.cpuUtilisation(),
        d.cpuTimeSeconds(),
        d.blockReadBytes(),
        d.blockWriteBytes(),
        d.networkReceiveBytes(),
        d.networkTransmitBytes(),
        d.rules().rules().toString(),
        d.rules().error());
  }
}
