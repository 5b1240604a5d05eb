package xcm.mbeans;

import java.util.List;

/** {@code xcm:type=Cluster} on the coordinator: the summary view. */
@Description(
    "Summary view of the cluster: one row per host and the totals, as of the last collection")
public interface ClusterMXBean {
  @Description(
      "One row per host: state, domains, memory used/total, CPU utilisation, age of its last sample")
  List<HostSummary> getHosts();

  @Description("Hosts the coordinator knows, in any state")
  int getHostCount();

  @Description("Hosts that are ACTIVE")
  int getActiveHostCount();

  @Description("Hosts that missed the configured number of collection rounds in a row")
  int getUnreachableHostCount();

  @Description(
      "Hosts power saving emptied and put in STANDBY (no placements; switched off when the power"
          + " hook can)")
  int getStandbyHostCount();

  @Description(
      "Host failures the cluster absorbs with every VM that restarts (restart other than never)"
          + " started again on the hosts left, within memory and hard placement rules; -1 until"
          + " first worked out after a collection round")
  int getFailoverHostsTolerated();

  @Description(
      "Host failures the cluster must absorb (failure.failover-level): below it an alert fires,"
          + " and XCM's plans refuse moves that take it lower")
  int getFailoverLevel();

  @Description(
      "Domains whose libvirt definition the coordinator keeps in its journal, with the host each"
          + " last ran on: what it restarts elsewhere when that host fails")
  int getDefinitionsKept();

  @Description(
      "Hosts on the failure path: SUSPECT, FENCING, FENCE_FAILED or FAILED (fenced, its domains"
          + " restarted elsewhere)")
  int getFailingHostCount();

  @Description("Domains defined on all hosts, active or not")
  int getDomainCount();

  @Description("Domains running (or paused) on all hosts")
  int getActiveDomainCount();

  @Description("Physical memory of all reachable hosts, bytes")
  long getMemoryBytes();

  @Description("Memory held by active domains on all reachable hosts, bytes")
  long getMemoryUsedBytes();

  @Description("CPU used by all domains as a fraction of the CPUs of all reachable hosts (0..1)")
  double getCpuUtilisation();

  @Description(
      "Agent URLs from the configuration that never answered, each with the reason it gave")
  List<String> getPendingAgents();

  @Description("Collection rounds since the coordinator started")
  long getCollectRounds();

  @Description("End of the last collection round, milliseconds since the epoch")
  long getLastCollectEpochMillis();

  @Description("Wall time of the last collection round, seconds")
  double getLastCollectDurationSeconds();
}
