package xcm.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import xcm.mbeans.HostMXBean;

/**
 * One simulated hypervisor host as its agent's {@code xcm:type=Host} MBean shows it (the agent's
 * own {@link HostMXBean}), with its domains: 64 CPUs, 1 TiB, running {@code domains} guests. It
 * samples, as the agent samples libvirt, once per sample interval, when it is read; the hosts of a
 * fleet sample at different moments (each its own phase in the interval), as agents started at
 * different times do, so that a fleet's samples do not all fall into one collection round.
 *
 * <p>Not thread-safe: one fleet thread serves a host.
 */
final class SimulatedHost implements HostMXBean {
  static final int CPUS = 64;
  static final long MEMORY_BYTES = 1L << 40;

  private final String name;
  private final String hostUuid;
  private final Map<String, String> labels;
  private final List<SimulatedDomain> domains;
  private final long sampleIntervalMillis;
  private final long phaseMillis;
  private long sampled;
  private long nextSample;
  private long epoch;

  /**
   * @param index the host's number in the fleet, from 1: keeps its domains' UUIDs apart from other
   *     hosts'
   */
  SimulatedHost(String name, String hostUuid, int index, int domains, long sampleIntervalMillis) {
    this.name = name;
    this.hostUuid = hostUuid;
    this.labels = Map.of("rack", "r" + (index / 40 + 1), "zone", index % 2 == 0 ? "a" : "b");
    this.sampleIntervalMillis = sampleIntervalMillis;
    this.phaseMillis = (index * 7919L) % Math.max(1, sampleIntervalMillis);
    List<SimulatedDomain> list = new ArrayList<>(domains);
    for (int i = 1; i <= domains; i++) {
      list.add(new SimulatedDomain(name, index, i));
    }
    this.domains = List.copyOf(list);
  }

  /**
   * Samples when a sample is due, as the agent's sampler would have by now.
   *
   * @return whether it sampled: what it shows changed
   */
  boolean sampleIfDue(long nowMillis) {
    if (nowMillis < nextSample) {
      return false;
    }
    double seconds = sampled == 0 ? 0 : (nowMillis - sampled) / 1000.0;
    for (SimulatedDomain d : domains) {
      d.sample(nowMillis, seconds);
    }
    // The first sample is followed by the next after the host's phase, then every interval.
    nextSample = nowMillis + (sampled == 0 ? phaseMillis + 1 : sampleIntervalMillis);
    sampled = nowMillis;
    return true;
  }

  List<SimulatedDomain> domains() {
    return domains;
  }

  /** The domain called {@code domain}, or null. */
  SimulatedDomain domain(String domain) {
    for (SimulatedDomain d : domains) {
      if (d.getName().equals(domain)) {
        return d;
      }
    }
    return null;
  }

  /** {@code HostOperations.announceEpoch}: the newest epoch seen. */
  long announceEpoch(long announced) {
    epoch = Math.max(epoch, announced);
    return epoch;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getHostUuid() {
    return hostUuid;
  }

  @Override
  public Map<String, String> getLabels() {
    return labels;
  }

  @Override
  public String getLibvirtUri() {
    return "qemu:///system";
  }

  @Override
  public String getMigrationUri() {
    return "qemu+tls://" + name + "/system";
  }

  @Override
  public String getMigrationAddress() {
    return "";
  }

  @Override
  public String getAgentVersion() {
    return "simulated";
  }

  @Override
  public boolean isLibvirtConnected() {
    return true;
  }

  @Override
  public boolean isStale() {
    return false;
  }

  @Override
  public int getCpus() {
    return CPUS;
  }

  @Override
  public long getMemoryBytes() {
    return MEMORY_BYTES;
  }

  @Override
  public long getMemoryFreeBytes() {
    return MEMORY_BYTES - getDomainMemoryBytes();
  }

  @Override
  public long getDomainMemoryBytes() {
    return domains.size() * SimulatedDomain.MEMORY_BYTES;
  }

  @Override
  public int getDomainCount() {
    return domains.size();
  }

  @Override
  public int getActiveDomainCount() {
    return domains.size();
  }

  @Override
  public int getActiveVcpus() {
    return domains.size() * SimulatedDomain.VCPUS;
  }

  @Override
  public double getCpuUtilisation() {
    double used = 0;
    for (SimulatedDomain d : domains) {
      used += d.getCpuUtilisation() * d.getVcpus();
    }
    return used / CPUS;
  }

  @Override
  public long getLastSampleEpochMillis() {
    return sampled;
  }

  @Override
  public double getLastSampleDurationSeconds() {
    return 0.004;
  }

  @Override
  public double getSampleIntervalSeconds() {
    return sampleIntervalMillis / 1000.0;
  }

  @Override
  public long getSampleErrors() {
    return 0;
  }
}
