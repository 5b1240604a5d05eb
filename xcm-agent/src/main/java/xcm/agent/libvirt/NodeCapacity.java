package xcm.agent.libvirt;

/**
 * A host's capacity. {@code freeMemoryBytes} is -1 when the driver cannot tell (libvirt's test
 * driver has no NUMA cells to ask).
 */
public record NodeCapacity(int cpus, long memoryBytes, long freeMemoryBytes) {}
