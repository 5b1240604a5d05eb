package xcm.agent.sample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xcm.agent.libvirt.NodeCapacity;

/**
 * Everything an agent knows about its host at one moment: immutable, replaced as a whole after
 * every sample, read by the MBeans and the metrics without touching libvirt.
 *
 * @param epochMillis time of the last successful sample (0 before the first)
 * @param durationSeconds how long the last sample attempt took
 * @param connected whether the libvirt connection worked at the last attempt
 * @param stale true when the last attempt failed and these figures are older
 * @param samplesTotal successful samples since start
 * @param errorsTotal libvirt reads that failed since start
 */
public record HostSample(
    String host,
    String libvirtUri,
    NodeCapacity capacity,
    List<DomainSample> domains,
    double cpuUtilisation,
    long epochMillis,
    double durationSeconds,
    boolean connected,
    boolean stale,
    long samplesTotal,
    long errorsTotal) {

  public HostSample {
    domains = List.copyOf(domains);
  }

  /** The sample of a host whose libvirt was never read. */
  static HostSample empty(String host, String libvirtUri) {
    return new HostSample(
        host, libvirtUri, new NodeCapacity(0, 0, -1), List.of(), 0, 0, 0, false, true, 0, 0);
  }

  /** The same figures, marked as old after a failed attempt. */
  HostSample failed(boolean stillConnected, double attemptSeconds, long errors) {
    return new HostSample(
        host,
        libvirtUri,
        capacity,
        domains,
        cpuUtilisation,
        epochMillis,
        attemptSeconds,
        stillConnected,
        true,
        samplesTotal,
        errors);
  }

  /** Domains by name, in name order. */
  public Map<String, DomainSample> domainsByName() {
    Map<String, DomainSample> byName = new LinkedHashMap<>();
    for (DomainSample domain : domains) {
      byName.put(domain.name(), domain);
    }
    return Collections.unmodifiableMap(byName);
  }

  public long domainMemoryBytes() {
    return domains.stream()
        .filter(d -> d.stats().active())
        .mapToLong(d -> d.stats().memoryBytes())
        .sum();
  }

  public int activeDomains() {
    return (int) domains.stream().filter(d -> d.stats().active()).count();
  }

  public int activeVcpus() {
    return domains.stream().filter(d -> d.stats().active()).mapToInt(d -> d.stats().vcpus()).sum();
  }

  /** libvirt's free memory, or total minus active domains' memory where libvirt cannot tell. */
  public long memoryFreeBytes() {
    if (capacity.freeMemoryBytes() >= 0) {
      return capacity.freeMemoryBytes();
    }
    return Math.max(0, capacity.memoryBytes() - domainMemoryBytes());
  }
}
