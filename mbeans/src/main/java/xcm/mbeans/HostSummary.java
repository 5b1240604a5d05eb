package xcm.mbeans;

/**
 * One row of the coordinator's summary view ({@code xcm:type=Cluster}, attribute {@code Hosts}).
 *
 * @param state a {@link HostState} name
 * @param memoryUsedBytes memory held by active domains
 * @param cpuUtilisation CPU used by all domains as a fraction of the host's CPUs (0..1)
 * @param lastSampleAgeSeconds age of the host's last sample when the coordinator last read it; -1
 *     when it never answered
 * @param labels what an operator says the host is, {@code rack=r1,ssd=true}; empty for none
 */
public record HostSummary(
    String name,
    String state,
    String url,
    int domains,
    int activeDomains,
    int cpus,
    long memoryBytes,
    long memoryUsedBytes,
    double cpuUtilisation,
    double lastSampleAgeSeconds,
    int missedRounds,
    String labels) {}
