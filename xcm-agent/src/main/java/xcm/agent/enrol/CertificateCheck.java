package xcm.agent.enrol;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import xcm.agent.enrol.CoordinatorAnswer.Enrolled;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;
import xcm.trust.Role;

/**
 * What a host checks of a certificate before it uses it as its own: issued by the cluster authority
 * of its CA file, for its own key, naming it as the agent of this host (name and libvirt UUID),
 * valid now. The coordinator was checked in TLS already; these checks keep a coordinator's mistake
 * (another host's certificate, an expired one) out of the key directory, where the agent would
 * present it to everyone.
 *
 * <p>Immutable.
 */
final class CertificateCheck {
  private final X509Certificate authority;
  private final Path caFile;
  private final String host;
  private final UUID libvirtUuid;

  CertificateCheck(X509Certificate authority, Path caFile, String host, UUID libvirtUuid) {
    this.authority = authority;
    this.caFile = caFile;
    this.host = host;
    this.libvirtUuid = libvirtUuid;
  }

  /**
   * The chain to install from an {@code ENROLLED} answer: the host's certificate, then the
   * authority's.
   *
   * @throws CertificateException saying what is wrong with the answer
   */
  List<X509Certificate> chain(Enrolled answer, PublicKey own, Instant now)
      throws CertificateException {
    List<X509Certificate> authorities = read(answer.authority(), "authority");
    for (X509Certificate sent : authorities) {
      requireAuthority(sent, "the authority it sent");
    }
    List<X509Certificate> sent = read(answer.certificate(), "certificate");
    for (X509Certificate more : sent.subList(1, sent.size())) {
      requireAuthority(more, "a certificate after this host's");
    }
    X509Certificate leaf = sent.get(0);
    if (!leaf.getPublicKey().equals(own)) {
      throw new CertificateException(
          "the certificate is for the key "
              + Fingerprint.ofKey(leaf.getPublicKey())
              + ", not this host's "
              + Fingerprint.ofKey(own));
    }
    requireUsable(leaf, now);
    return List.of(leaf, authority);
  }

  /** Why credentials already held are not this host's to use now; empty when they are. */
  Optional<String> unusable(HostCredentials held, Instant now) {
    try {
      requireAuthority(held.authority(), "the authority in the key directory");
      requireUsable(held.certificate(), now);
      return Optional.empty();
    } catch (CertificateException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Whether the credentials may be shown in TLS: the authority issued them and they are valid. */
  boolean presentable(HostCredentials held, Instant now) {
    try {
      requireAuthority(held.authority(), "the authority in the key directory");
      requireIssuedAndValid(held.certificate(), now);
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  private void requireUsable(X509Certificate leaf, Instant now) throws CertificateException {
    requireIssuedAndValid(leaf, now);
    PeerIdentity identity = PeerIdentity.of(leaf);
    if (identity.role() != Role.AGENT
        || !identity.name().equals(host)
        || !identity.libvirtUuid().equals(Optional.of(libvirtUuid))) {
      throw new CertificateException(
          "the certificate is for "
              + identity.subject()
              + ", not agent "
              + host
              + " (libvirt "
              + libvirtUuid
              + ")");
    }
  }

  private void requireIssuedAndValid(X509Certificate leaf, Instant now)
      throws CertificateException {
    if (leaf.getBasicConstraints() >= 0) {
      throw new CertificateException("the certificate is a certificate authority's, not a host's");
    }
    try {
      leaf.verify(authority.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "the certificate was not issued by the cluster authority of " + caFile, e);
    }
    Instant from = leaf.getNotBefore().toInstant();
    Instant until = leaf.getNotAfter().toInstant();
    if (now.isBefore(from) || now.isAfter(until)) {
      throw new CertificateException(
          "the certificate is valid from " + from + " until " + until + ", not now (" + now + ")");
    }
  }

  private void requireAuthority(X509Certificate certificate, String what)
      throws CertificateException {
    if (!certificate.equals(authority)) {
      throw new CertificateException(
          what
              + " is "
              + certificate.getSubjectX500Principal().getName()
              + " ("
              + Fingerprint.of(certificate)
              + "), not the cluster authority of "
              + caFile
              + " ("
              + Fingerprint.of(authority)
              + ")");
    }
  }

  private static List<X509Certificate> read(String pem, String field) throws CertificateException {
    try {
      return Pem.readCertificates(pem);
    } catch (CertificateException e) {
      throw new CertificateException(
          "the " + field + " it sent is unreadable: " + e.getMessage(), e);
    }
  }
}
