package xcm.mbeans;

import java.util.List;
import java.util.Map;

/** {@code xcm:type=Cluster,host="<host>"} on the coordinator: the detailed view of one host. */
@Description("Detailed view of one host and every domain on it, as of the last collection")
public interface ClusterHostMXBean {
  @Description("Host name")
  String getName();

  @Description("Jolokia URL of the host's agent")
  String getUrl();

  @Description(
      "What an operator says this host is (its agent's xcm.agent.labels), e.g. rack=r1, ssd=true;"
          + " as of its last answer")
  Map<String, String> getLabels();

  @Description(
      "ACTIVE, UNREACHABLE, DRAINING, MAINTENANCE, REMOVED, STANDBY (emptied to save power), or"
          + " on the failure path: SUSPECT, FENCING, FENCE_FAILED, FAILED")
  String getState();

  @Description(
      "On the failure path, what XCM found or did and what comes next (the fence agent's message,"
          + " who confirmed the host down); empty otherwise")
  String getStateReason();

  @Description("Collection rounds the agent missed in a row (0 when it answered the last one)")
  int getMissedRounds();

  @Description("Why the agent did not answer the last time it failed; empty if it never failed")
  String getLastError();

  @Description("Time of the agent's last sample, milliseconds since the epoch (0: never read)")
  long getLastSampleEpochMillis();

  @Description("True when the agent itself reports stale figures (its libvirt is unreachable)")
  boolean isAgentStale();

  @Description("Physical CPUs (threads)")
  int getCpus();

  @Description("Physical memory, bytes")
  long getMemoryBytes();

  @Description("Free memory as the agent reports it, bytes")
  long getMemoryFreeBytes();

  @Description("Memory held by active domains, bytes")
  long getMemoryUsedBytes();

  @Description("Domains defined on the host, active or not")
  int getDomainCount();

  @Description("Domains running (or paused)")
  int getActiveDomainCount();

  @Description("CPU used by all domains as a fraction of the host's CPUs (0..1)")
  double getCpuUtilisation();

  @Description("Every domain of the host with its state, size, CPU, disk and network figures")
  List<DomainDetail> getDomains();
}
