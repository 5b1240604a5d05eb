package xcm.agent.jmx;

import java.util.Map;
import java.util.function.Supplier;
import xcm.agent.sample.HostSample;
import xcm.mbeans.HostMXBean;

/** {@code xcm:type=Host}: reads the sampler's latest {@link HostSample}. */
final class HostView implements HostMXBean {
  private final Supplier<HostSample> latest;
  private final String agentVersion;
  private final double intervalSeconds;
  private final String migrationUri;
  private final String migrationAddress;
  private final String hostUuid;
  private final Map<String, String> labels;

  HostView(
      Supplier<HostSample> latest,
      String agentVersion,
      double intervalSeconds,
      String migrationUri,
      String migrationAddress,
      String hostUuid,
      Map<String, String> labels) {
    this.latest = latest;
    this.agentVersion = agentVersion;
    this.intervalSeconds = intervalSeconds;
    this.migrationUri = migrationUri;
    this.migrationAddress = migrationAddress;
    this.hostUuid = hostUuid;
    this.labels = labels;
  }

  @Override
  public Map<String, String> getLabels() {
    return labels;
  }

  @Override
  public String getHostUuid() {
    return hostUuid;
  }

  @Override
  public String getMigrationUri() {
    return migrationUri;
  }

  @Override
  public String getMigrationAddress() {
    return migrationAddress;
  }

  @Override
  public String getName() {
    return latest.get().host();
  }

  @Override
  public String getLibvirtUri() {
    return latest.get().libvirtUri();
  }

  @Override
  public String getAgentVersion() {
    return agentVersion;
  }

  @Override
  public boolean isLibvirtConnected() {
    return latest.get().connected();
  }

  @Override
  public boolean isStale() {
    return latest.get().stale();
  }

  @Override
  public int getCpus() {
    return latest.get().capacity().cpus();
  }

  @Override
  public long getMemoryBytes() {
    return latest.get().capacity().memoryBytes();
  }

  @Override
  public long getMemoryFreeBytes() {
    return latest.get().memoryFreeBytes();
  }

  @Override
  public long getDomainMemoryBytes() {
    return latest.get().domainMemoryBytes();
  }

  @Override
  public int getDomainCount() {
    return latest.get().domains().size();
  }

  @Override
  public int getActiveDomainCount() {
    return latest.get().activeDomains();
  }

  @Override
  public int getActiveVcpus() {
    return latest.get().activeVcpus();
  }

  @Override
  public double getCpuUtilisation() {
    return latest.get().cpuUtilisation();
  }

  @Override
  public long getLastSampleEpochMillis() {
    return latest.get().epochMillis();
  }

  @Override
  public double getLastSampleDurationSeconds() {
    return latest.get().durationSeconds();
  }

  @Override
  public double getSampleIntervalSeconds() {
    return intervalSeconds;
  }

  @Override
  public long getSampleErrors() {
    return latest.get().errorsTotal();
  }
}
