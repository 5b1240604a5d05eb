package xcm.trust;

import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who a cluster certificate says its holder is, read from the certificate (by the scheme of {@link
 * Subject}), with what pins it: the certificate's and the key's {@link Fingerprint}s and the serial
 * that revokes it.
 *
 * <p>Reading does not verify: a trust manager of {@code xcm.trust.tls} has checked the chain before
 * it hands a {@code PeerIdentity} to anyone, and so has {@link HostCredentials}.
 *
 * <pre>{@code
 * PeerIdentity peer = PeerIdentity.of(session.getPeerCertificates()[0]);
 * if (peer.role() == Role.AGENT && peer.name().equals("hv01")) { … }
 * }</pre>
 *
 * Immutable.
 *
 * @param fingerprint of the certificate, for display and pinning
 * @param keyFingerprint of its public key, the same across renewals of one key
 * @param serial the certificate's serial number, what {@link Revocations} lists
 */
public record PeerIdentity(
    Subject subject,
    Fingerprint fingerprint,
    Fingerprint keyFingerprint,
    BigInteger serial,
    Instant notAfter) {
  private static final int URI = 6;

  public PeerIdentity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(keyFingerprint, "keyFingerprint");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /**
   * Reads the identity of a cluster certificate.
   *
   * @throws CertificateException when the certificate does not state an XCM identity: the message
   *     names the certificate's subject and what is wrong
   */
  public static PeerIdentity of(X509Certificate certificate) throws CertificateException {
    String principal = certificate.getSubjectX500Principal().getName();
    try {
      Subject subject = Subject.read(commonName(certificate), uris(certificate));
      return new PeerIdentity(
          subject,
          Fingerprint.of(certificate),
          Fingerprint.ofKey(certificate.getPublicKey()),
          certificate.getSerialNumber(),
          certificate.getNotAfter().toInstant());
    } catch (IllegalArgumentException e) {
      throw new CertificateException(
          "certificate of "
              + Printable.quote(principal)
              + " is not an XCM cluster certificate: "
              + e.getMessage(),
          e);
    }
  }

  /** The certificate's one common name. */
  static String commonName(X509Certificate certificate) {
    X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    return commonName(name);
  }

  static String commonName(X500Name name) {
    RDN[] cns = name.getRDNs(BCStyle.CN);
    if (cns.length != 1 || cns[0].isMultiValued()) {
      throw new IllegalArgumentException("not exactly one common name (CN)");
    }
    ASN1Encodable value = cns[0].getFirst().getValue();
    if (value instanceof ASN1String string) {
      return string.getString();
    }
    throw new IllegalArgumentException("the common name (CN) is not a string");
  }

  private static List<String> uris(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
    }
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() == 2 && Integer.valueOf(URI).equals(name.get(0))) {
          uris.add((String) name.get(1));
        }
      }
    }
    return uris;
  }

  /** The name the certificate was issued for. */
  public String name() {
    return subject.name();
  }

  public Role role() {
    return subject.role();
  }

  /** The host's libvirt UUID; present for agents. */
  public Optional<UUID> libvirtUuid() {
    return subject.libvirtUuid();
  }

  @Override
  public String toString() {
    return subject + " " + fingerprint + " serial " + serial.toString(16);
  }
}
