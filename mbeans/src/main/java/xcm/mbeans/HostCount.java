package xcm.mbeans;

/**
 * A host's running domains and state from a moment on: one point of the coordinator's timeline
 * ({@code xcm:type=Timeline}).
 *
 * @param epochMillis from when (milliseconds since the epoch)
 * @param state a {@link HostState} name
 * @param domains domains running (or paused) on the host; 0 for a host that left the cluster
 */
public record HostCount(long epochMillis, String host, String state, int domains) {}
