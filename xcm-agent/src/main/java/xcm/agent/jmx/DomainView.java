package xcm.agent.jmx;

import xcm.agent.libvirt.DomainStats;
import xcm.agent.sample.DomainSample;
import xcm.mbeans.DomainMXBean;

/**
 * {@code xcm:type=Domain,name=...}: one domain's latest sample, swapped in by {@link
 * MBeanPublisher} after every sample so that reads never search the host sample.
 */
final class DomainView implements DomainMXBean {
  private final String host;
  private volatile DomainSample sample;

  DomainView(String host, DomainSample sample) {
    this.host = host;
    this.sample = sample;
  }

  void update(DomainSample sample) {
    this.sample = sample;
  }

  private DomainStats stats() {
    return sample.stats();
  }

  @Override
  public String getName() {
    return stats().name();
  }

  @Override
  public String getUuid() {
    return stats().uuid();
  }

  @Override
  public String getHost() {
    return host;
  }

  @Override
  public String getState() {
    return stats().state().name();
  }

  @Override
  public int getStateCode() {
    return stats().state().code();
  }

  @Override
  public int getId() {
    return stats().id();
  }

  @Override
  public boolean isPersistent() {
    return stats().persistent();
  }

  @Override
  public long getMemoryBytes() {
    return stats().memoryBytes();
  }

  @Override
  public long getMaxMemoryBytes() {
    return stats().maxMemoryBytes();
  }

  @Override
  public int getVcpus() {
    return stats().vcpus();
  }

  @Override
  public double getCpuTimeSeconds() {
    return stats().cpuTimeNanos() / 1e9;
  }

  @Override
  public double getCpuUtilisation() {
    return sample.cpuUtilisation();
  }

  @Override
  public long getBlockReadBytes() {
    return stats().blockReadBytes();
  }

  @Override
  public long getBlockWriteBytes() {
    return stats().blockWriteBytes();
  }

  @Override
  public long getBlockReadRequests() {
    return stats().blockReadRequests();
  }

  @Override
  public long getBlockWriteRequests() {
    return stats().blockWriteRequests();
  }

  @Override
  public long getNetworkReceiveBytes() {
    return stats().networkReceiveBytes();
  }

  @Override
  public long getNetworkTransmitBytes() {
    return stats().networkTransmitBytes();
  }

  @Override
  public long getNetworkReceivePackets() {
    return stats().networkReceivePackets();
  }

  @Override
  public long getNetworkTransmitPackets() {
    return stats().networkTransmitPackets();
  }

  @Override
  public long getSampleEpochMillis() {
    return sample.epochMillis();
  }
}
