package xcm.mbeans;

/** {@code xcm:type=Domain,name="<domain>"} on an agent. */
@Description("One libvirt domain (virtual machine) on this host, as of the agent's last sample")
public interface DomainMXBean {
  @Description("Domain name, unique on its host")
  String getName();

  @Description("Domain UUID, unique in the cluster")
  String getUuid();

  @Description("Host the domain is defined on")
  String getHost();

  @Description(
      "Run state: RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED or NOSTATE")
  String getState();

  @Description("libvirt's numeric state (virDomainState: 1 running, 3 paused, 5 shut off, ...)")
  int getStateCode();

  @Description("Hypervisor id while active, -1 when shut off")
  int getId();

  @Description("True when the domain is defined persistently (survives a shutdown)")
  boolean isPersistent();

  @Description("Memory currently given to the domain, bytes")
  long getMemoryBytes();

  @Description("Maximum memory the domain may be given, bytes")
  long getMaxMemoryBytes();

  @Description("Virtual CPUs")
  int getVcpus();

  @Description("CPU time used since the domain started, seconds")
  double getCpuTimeSeconds();

  @Description(
      "CPU used over the last sample interval per virtual CPU (0..1); 0 when not running or"
          + " before the second sample")
  double getCpuUtilisation();

  @Description("Bytes read from all disks in the domain definition")
  long getBlockReadBytes();

  @Description("Bytes written to all disks in the domain definition")
  long getBlockWriteBytes();

  @Description("Read requests to all disks in the domain definition")
  long getBlockReadRequests();

  @Description("Write requests to all disks in the domain definition")
  long getBlockWriteRequests();

  @Description("Bytes received on all network interfaces")
  long getNetworkReceiveBytes();

  @Description("Bytes transmitted on all network interfaces")
  long getNetworkTransmitBytes();

  @Description("Packets received on all network interfaces")
  long getNetworkReceivePackets();

  @Description("Packets transmitted on all network interfaces")
  long getNetworkTransmitPackets();

  @Description("Time these values were read, milliseconds since the epoch")
  long getSampleEpochMillis();

  @Description(
      "Placement rules kept in the domain's libvirt metadata (namespace urn:xcm:placement), in"
          + " text form, e.g. 'apart db; on rack=r1; pinned; restart high'; empty when it has none"
          + " or they cannot be read (see PlacementError)")
  String getPlacement();

  @Description(
      "Why the domain's placement metadata cannot be read (written wrong by hand, too long,"
          + " libvirt failing to return it), in which case it counts as having no rules; empty"
          + " when it can")
  String getPlacementError();

  @Description(
      "Digest of the domain's persistent definition as HostOperations domainDefinition returns it"
          + " (the first 32 lower-case hex characters of its SHA-256): changes whenever the"
          + " definition does, so that a collector fetches the XML only then; empty when it cannot"
          + " be read")
  String getDefinitionDigest();

  @Description(
      "True when libvirt starts the domain by itself when the host boots (virsh autostart): such"
          + " a domain would run twice if it was restarted elsewhere while its host was down")
  boolean isAutostart();
}
