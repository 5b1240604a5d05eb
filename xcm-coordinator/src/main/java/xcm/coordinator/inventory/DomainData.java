package xcm.coordinator.inventory;

import java.util.Objects;
import xcm.mbeans.DomainState;

/**
 * One domain as its agent last reported it.
 *
 * @param rules its placement rules, from its libvirt metadata; {@link DomainRules#NONE} when it has
 *     none or its agent does not report them
 */
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
    long networkTransmitBytes,
    DomainRules rules) {

  public DomainData {
    Objects.requireNonNull(rules, "rules");
  }

  /** The same domain with other rules. */
  public DomainData withRules(DomainRules newRules) {
    return new DomainData(
        name,
        uuid,
        state,
        memoryBytes,
        maxMemoryBytes,
        vcpus,
        cpuUtilisation,
        cpuTimeSeconds,
        blockReadBytes,
        blockWriteBytes,
        networkReceiveBytes,
        networkTransmitBytes,
        newRules);
  }

  public boolean active() {
    return state.isActive();
  }
}
