package xcm.mbeans;

import java.util.Map;

/** {@code xcm:type=Host} on an agent. */
@Description("One hypervisor host as its XCM agent sees it through libvirt")
public interface HostMXBean {
  @Description("Host name the cluster knows this host by (label 'host' on every metric)")
  String getName();

  @Description(
      "libvirt's UUID of this host (its capabilities' host UUID, or the one the agent was given"
          + " where libvirt reports none); empty when unknown. An enrolled host's certificate names"
          + " it, and the coordinator checks it every round")
  String getHostUuid();

  @Description(
      "What an operator says this host is (from the agent's xcm.agent.labels), e.g. rack=r1,"
          + " ssd=true: the labels placement rules match")
  Map<String, String> getLabels();

  @Description("libvirt connection URI the agent samples")
  String getLibvirtUri();

  @Description(
      "libvirt URI other hosts' libvirtd connect to when they live-migrate a domain here (peer to"
          + " peer); empty when this host's hypervisor cannot take live migrations")
  String getMigrationUri();

  @Description(
      "Where the migration data is sent, e.g. tcp://10.0.0.6 (libvirt picks the port); empty to let"
          + " libvirt choose (the host's name)")
  String getMigrationAddress();

  @Description("Version of the XCM agent")
  String getAgentVersion();

  @Description("True while the agent's libvirt connection works")
  boolean isLibvirtConnected();

  @Description(
      "True when the values shown come from an older sample because libvirt could not be read")
  boolean isStale();

  @Description("Physical CPUs (threads) of the host")
  int getCpus();

  @Description("Physical memory of the host, bytes")
  long getMemoryBytes();

  @Description(
      "Free memory of the host, bytes; where the driver cannot tell, total minus the memory of"
          + " active domains")
  long getMemoryFreeBytes();

  @Description("Memory currently given to active domains, bytes")
  long getDomainMemoryBytes();

  @Description("Domains defined on the host, active or not")
  int getDomainCount();

  @Description("Domains running (or paused) on the host")
  int getActiveDomainCount();

  @Description("Virtual CPUs of active domains")
  int getActiveVcpus();

  @Description(
      "CPU used by all domains over the last sample interval, as a fraction of the host's CPUs"
          + " (0..1)")
  double getCpuUtilisation();

  @Description("Time of the last successful sample, milliseconds since the epoch")
  long getLastSampleEpochMillis();

  @Description("How long the last sample took, seconds")
  double getLastSampleDurationSeconds();

  @Description("Sample interval, seconds")
  double getSampleIntervalSeconds();

  @Description("libvirt reads that failed since the agent started")
  long getSampleErrors();
}
