package xcm.mbeans;

/**
 * {@code xcm:type=HostOperations} on an agent: what the coordinator (and an operator) may ask of
 * one host. Every change goes through the agent's own libvirt connection.
 */
@Description(
    "Operations on this host's domains, carried out through the agent's libvirt connection")
public interface HostOperationsMXBean {
  @Description(
      "Samples libvirt now, publishes the result and returns its time (milliseconds since the"
          + " epoch)")
  long sampleNow();

  @Description("Defines (but does not start) a domain from libvirt domain XML; returns its name")
  String defineDomain(@Param(name = "xml", value = "libvirt domain XML") String xml);

  @Description("Starts a defined domain that is shut off")
  void startDomain(@Param(name = "domain", value = "domain name") String domain);

  @Description("Powers a running domain off at once, like pulling the plug (virsh destroy)")
  void destroyDomain(@Param(name = "domain", value = "domain name") String domain);

  @Description("Removes the definition of a domain that is shut off")
  void undefineDomain(@Param(name = "domain", value = "domain name") String domain);
}
