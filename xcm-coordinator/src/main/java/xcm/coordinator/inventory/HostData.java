package xcm.coordinator.inventory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one agent reported in one collection: its host's capacity and domains.
 *
 * @param agentStale the agent could not read libvirt and serves an older sample
 * @param sampleEpochMillis when the agent took the sample
 * @param hostUuid libvirt's UUID of the host, lower case; empty when the agent knows none
 * @param labels what an operator says the host is ({@code rack=r1}), from its agent
 */
public record HostData(
    String name,
    int cpus,
    long memoryBytes,
    long memoryFreeBytes,
    double cpuUtilisation,
    boolean agentStale,
    long sampleEpochMillis,
    List<DomainData> domains,
    String hostUuid,
    Map<String, String> labels) {

  public HostData {
    domains = List.copyOf(domains);
    hostUuid = hostUuid == null ? "" : hostUuid;
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** A host whose libvirt host UUID is not known. */
  public HostData(
      String name,
      int cpus,
      long memoryBytes,
      long memoryFreeBytes,
      double cpuUtilisation,
      boolean agentStale,
      long sampleEpochMillis,
      List<DomainData> domains) {
    this(
        name,
        cpus,
        memoryBytes,
        memoryFreeBytes,
        cpuUtilisation,
        agentStale,
        sampleEpochMillis,
        domains,
        "",
        Map.of());
  }

  /** The same host running nothing: what a fenced host runs. */
  public HostData withoutDomains() {
    return new HostData(
        name,
        cpus,
        memoryBytes,
        memoryBytes,
        0,
        agentStale,
        sampleEpochMillis,
        List.of(),
        hostUuid,
        labels);
  }

  /** The same host running {@code running} instead: a migration recorded before the next round. */
  public HostData withDomains(List<DomainData> running) {
    return new HostData(
        name,
        cpus,
        memoryBytes,
        memoryFreeBytes,
        cpuUtilisation,
        agentStale,
        sampleEpochMillis,
        running,
        hostUuid,
        labels);
  }

  public int activeDomains() {
    return (int) domains.stream().filter(DomainData::active).count();
  }

  public long memoryUsedBytes() {
    return domains.stream().filter(DomainData::active).mapToLong(DomainData::memoryBytes).sum();
  }
}
