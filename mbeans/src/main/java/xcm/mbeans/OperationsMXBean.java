package xcm.mbeans;

/** {@code xcm:type=Operations} on the coordinator: what operators and tools ask of the cluster. */
@Description("Cluster operations: hosts joining and leaving")
public interface OperationsMXBean {
  @Description(
      "Adds the agent at a Jolokia URL to the cluster after reading it once; returns the host's"
          + " name. Adding a host again is harmless.")
  String addHost(
      @Param(name = "url", value = "the agent's Jolokia URL, e.g. http://10.0.0.5:8778/jolokia/")
          String url);

  @Description(
      "Stops collecting a host; it shows as REMOVED until the dead-host collector drops it from"
          + " every view and metric")
  void removeHost(@Param(name = "host", value = "host name") String host);
}
