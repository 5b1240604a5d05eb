package xcm.mbeans;

/**
 * A host the cluster's authority issued a certificate to: its name, libvirt host UUID and agent URL
 * are bound to that certificate.
 */
public record EnrolledHost(
    String host,
    String libvirtUuid,
    String url,
    String fingerprint,
    String serial,
    long enrolledEpochMillis,
    long notAfterEpochMillis) {}
