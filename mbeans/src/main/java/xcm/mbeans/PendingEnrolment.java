package xcm.mbeans;

/**
 * A host waiting for an operator's approval to join: what it claims (name, agent URL, libvirt host
 * UUID), the fingerprint of the key it presented, and the address the request came from.
 */
public record PendingEnrolment(
    String host,
    String url,
    String libvirtUuid,
    String fingerprint,
    String from,
    long requestedEpochMillis) {}
