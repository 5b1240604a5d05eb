package xcm.agent.libvirt;

import xcm.mbeans.DomainState;

/**
 * One domain as libvirt reports it at one moment. Block and network counters are summed over the
 * disks and interfaces in the domain's definition and are 0 while it is not active.
 *
 * @param placementXml the domain's placement metadata element ({@code
 *     xcm.mbeans.placement.PlacementXml}) as libvirt holds it, for {@code PlacementXml.parse};
 *     empty when it has none; {@code PlacementXml.unread(reason)} when it was not kept (longer than
 *     {@code PlacementXml.MAX_CHARS}, or libvirt failed to return it)
 * @param definitionDigest {@code xcm.mbeans.DefinitionDigest} of what {@link
 *     Hypervisor#domainDefinition} returns for the domain; empty when it cannot be read
 * @param autostart whether libvirt starts the domain when the host boots
 */
public record DomainStats(
    String name,
    String uuid,
    DomainState state,
    int id,
    boolean persistent,
    long memoryBytes,
    long maxMemoryBytes,
    int vcpus,
    long cpuTimeNanos,
    long blockReadBytes,
    long blockWriteBytes,
    long blockReadRequests,
    long blockWriteRequests,
    long networkReceiveBytes,
    long networkTransmitBytes,
    long networkReceivePackets,
    long networkTransmitPackets,
    String placementXml,
    String definitionDigest,
    boolean autostart)
    implements DomainReading {

  /** True while the domain has a hypervisor id, i.e. holds memory and CPUs on the host. */
  public boolean active() {
    return id >= 0;
  }
}
