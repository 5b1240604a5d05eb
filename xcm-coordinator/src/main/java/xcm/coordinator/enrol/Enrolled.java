package xcm.coordinator.enrol;

import java.time.Instant;

/** A host bound to the certificate the authority issued it. */
public record Enrolled(
    String host,
    String libvirtUuid,
    String url,
    String fingerprint,
    String serial,
    String certificate,
    Instant enrolledAt,
    Instant notAfter) {

  Enrolled at(String newUrl) {
    return new Enrolled(
        host, libvirtUuid, newUrl, fingerprint, serial, certificate, enrolledAt, notAfter);
  }
}
