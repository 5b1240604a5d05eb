package xcm.coordinator.inventory;

import xcm.mbeans.DomainState;

/** One domain as its agent last reported it. */
public record DomainData(
    String name,
    String uuid,
    DomainState state,
    long memoryBytes,
    long maxMemoryBytes,
    int vcpus,
    double cpuUtilisation,
    double cpuTimeSeconds,
    long blockReadBytes,
    long blockWriteBytes,
    long networkReceiveBytes,
    long networkTransmitBytes) {

  public boolean active() {
    return state.isActive();
  }
}
