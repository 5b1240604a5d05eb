package xcm.mbeans;

/**
 * One domain in the coordinator's detailed view of a host ({@code xcm:type=Cluster,host=...},
 * attribute {@code Domains}), as its agent last reported it.
 *
 * @param state a {@link DomainState} name
 * @param cpuUtilisation CPU used per vCPU over the agent's last interval (0..1)
 * @param rules its placement rules in text form ({@code xcm.mbeans.placement.PlacementRules}),
 *     empty for none
 * @param rulesError why its placement rules cannot be read, in which case it counts as having none;
 *     empty when they can
 */
public record DomainDetail(
    String name,
    String uuid,
    String state,
    long memoryBytes,
    long maxMemoryBytes,
    int vcpus,
    double cpuUtilisation,
    double cpuTimeSeconds,
    long blockReadBytes,
    long blockWriteBytes,
    long networkReceiveBytes,
    long networkTransmitBytes,
    String rules,
    String rulesError) {}
