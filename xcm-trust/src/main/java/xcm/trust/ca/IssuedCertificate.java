package xcm.trust.ca;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;

/**
 * A certificate the cluster authority issued, with the authority's own: what goes back to the host
 * that asked ({@link #pem()}) and what the coordinator records of it ({@link #identity()}).
 *
 * <pre>{@code
 * IssuedCertificate issued = authority.issue(request, Subject.agent("hv01", uuid));
 * enrolments.record(issued.identity());   // name, role, fingerprint, serial
 * reply(issued.pem());                    // the host installs it with HostKey#install
 * }</pre>
 *
 * Immutable.
 */
public record IssuedCertificate(X509Certificate certificate, X509Certificate authority) {

  /** The certificate first, the authority's last: what a host presents in TLS. */
  public List<X509Certificate> chain() {
    return List.of(certificate, authority);
  }

  /** The {@link #chain()} as PEM. */
  public String pem() {
    return Pem.certificates(chain());
  }

  /** Who the certificate is for, with its fingerprints and serial. */
  public PeerIdentity identity() {
    try {
      return PeerIdentity.of(certificate);
    } catch (CertificateException e) {
      throw new IllegalStateException("the authority issued an unreadable certificate", e);
    }
  }
}
