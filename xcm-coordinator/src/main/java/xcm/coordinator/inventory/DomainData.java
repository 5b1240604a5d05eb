package xcm.coordinator.inventory;

import java.util.Objects;
import xcm.mbeans.DomainState;

/**
 * One domain as its agent last reported it.
 *
 * @param rules its placement rules, from its libvirt metadata; {@link DomainRules#NONE} when it has
 *     none or its agent does not report them
 * @param definitionDigest the agent's digest of the domain's persistent definition; empty when the
 *     agent reports none (an older agent, or the definition could not be read)
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
    DomainRules rules,
    String definitionDigest) {

  public DomainData {
    Objects.requireNonNull(rules, "rules");
    definitionDigest = definitionDigest == null ? "" : definitionDigest;
  }

  /** A domain whose agent reports no definition digest. */
  public DomainData(
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
    this(
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
        rules,
        "");
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
        newRules,
        definitionDigest);
  }

  public boolean active() {
    return state.isActive();
  }
}
