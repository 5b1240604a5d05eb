package xcm.coordinator.enrol;

import xcm.trust.CertificateRequest;

/** A verified certificate request and its key's fingerprint: a host's identity. */
record HostKey(CertificateRequest request, String fingerprint) {
  HostKey(CertificateRequest request) {
    this(request, request.keyFingerprint().toString());
  }
}
