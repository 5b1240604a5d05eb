package xcm.mbeans;

/**
 * libvirt's statistics of one completed migration job of a domain ({@code virsh domjobinfo
 * --completed}), as the destination host's agent reads them ({@code xcm:type=HostOperations},
 * operation {@code completedMigration(domain)}).
 *
 * @param domain the domain's name
 * @param operation libvirt's name of the job's operation: {@code incoming migration}, {@code
 *     outgoing migration}, ...
 * @param timeElapsedMillis the job's time, from start to the domain running on the destination
 * @param downtimeMillis time the domain ran nowhere; -1 when libvirt did not tell
 * @param dataTransferredBytes memory and device state sent; -1 when libvirt did not tell
 * @param memoryBytes the domain's memory as the job saw it; -1 when libvirt did not tell
 */
public record MigrationJob(
    String domain,
    String operation,
    long timeElapsedMillis,
    long downtimeMillis,
    long dataTransferredBytes,
    long memoryBytes) {}
