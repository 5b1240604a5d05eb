package xcm.trust.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import xcm.trust.PeerIdentity;
import xcm.trust.Revocations;
import xcm.trust.tls.PeerRejectedException.Reason;

/**
 * Trusts exactly the members of one cluster: a peer's certificate must be issued by the cluster
 * authority itself, valid now, not revoked, a member's certificate for this side of TLS, and
 * accepted by the caller's {@link ExpectedPeer}. There is no host-name check (an {@code
 * X509ExtendedTrustManager} is used as it is, so the JDK adds none either, not even for {@code
 * HttpClient}'s "HTTPS" endpoint identification): who the peer is comes from its certificate.
 *
 * <p>Every verified handshake's session is invalidated at once, so that no later connection resumes
 * it: each handshake runs these checks again, and a revocation or a changed expectation holds for
 * the next connection.
 */
final class ClusterTrustManager extends X509ExtendedTrustManager {
  /** basicConstraints, keyUsage, subjectAltName: what a member's certificate may mark critical. */
  private static final Set<String> KNOWN_CRITICAL = Set.of("2.5.29.19", "2.5.29.15", "2.5.29.17");

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final X509Certificate authority;
  private final Supplier<Revocations> revocations;
  private final Clock clock;
  private final ExpectedPeer expected;
  private final Consumer<PeerRejectedException> onRejection;

  ClusterTrustManager(
      X509Certificate authority,
      Supplier<Revocations> revocations,
      Clock clock,
      ExpectedPeer expected,
      Consumer<PeerRejectedException> onRejection) {
    this.authority = authority;
    this.revocations = revocations;
    this.clock = clock;
    this.expected = expected;
    this.onRejection = onRejection;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, CLIENT_AUTH, address(engine), engine.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, SERVER_AUTH, address(engine), engine.getHandshakeSession());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    SSLSession session = handshakeSession(socket);
    verify(chain, CLIENT_AUTH, address(socket, session), session);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    SSLSession session = handshakeSession(socket);
    verify(chain, SERVER_AUTH, address(socket, session), session);
  }

  /** Without a connection nobody can say where the peer is: never trusted. */
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a cluster peer is checked only within a TLS connection");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a cluster peer is checked only within a TLS connection");
  }

  /** Only the cluster authority: a client knows which certificate to present. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {authority};
  }

  private void verify(X509Certificate[] chain, String purpose, PeerAddress address, SSLSession s)
      throws CertificateException {
    try {
      PeerIdentity identity = checkCertificate(chain, purpose, address);
      try {
        expected.check(address, identity);
      } catch (PeerRejectedException e) {
        throw e;
      } catch (CertificateException | RuntimeException e) {
        throw new PeerRejectedException(
            Reason.UNEXPECTED_PEER, address, identity, String.valueOf(e.getMessage()), e);
      }
    } catch (PeerRejectedException e) {
      try {
        onRejection.accept(e);
      } catch (RuntimeException listenerFailed) {
        // The handshake fails for the peer's reason, never for the listener's.
        e.addSuppressed(listenerFailed);
      }
      throw e;
    }
    if (s != null) {
      s.invalidate();
    }
  }

  private PeerIdentity checkCertificate(X509Certificate[] chain, String purpose, PeerAddress at)
      throws PeerRejectedException {
    if (chain == null || chain.length == 0) {
      throw new PeerRejectedException(Reason.NO_CERTIFICATE, at, null, "no certificate", null);
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    try {
      if (!leaf.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
        throw new GeneralSecurityException("issued by " + leaf.getIssuerX500Principal().getName());
      }
      leaf.verify(authority.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PeerRejectedException(
          Reason.UNTRUSTED_ISSUER,
          at,
          null,
          "certificate of "
              + subject
              + " was not issued by this cluster's authority, "
              + authority.getSubjectX500Principal().getName()
              + ": "
              + e.getMessage(),
          e);
    }
    Date now = Date.from(clock.instant());
    try {
      leaf.checkValidity(now);
      authority.checkValidity(now);
    } catch (CertificateExpiredException e) {
      throw new PeerRejectedException(
          Reason.EXPIRED, at, null, "certificate of " + subject + " expired: " + e.getMessage(), e);
    } catch (CertificateNotYetValidException e) {
      throw new PeerRejectedException(
          Reason.NOT_YET_VALID,
          at,
          null,
          "certificate of " + subject + " is not valid yet: " + e.getMessage(),
          e);
    }
    PeerIdentity identity;
    try {
      identity = PeerIdentity.of(leaf);
    } catch (CertificateException e) {
      throw new PeerRejectedException(Reason.NOT_A_MEMBER, at, null, e.getMessage(), e);
    }
    if (revocations.get().isRevoked(leaf.getSerialNumber())) {
      throw new PeerRejectedException(
          Reason.REVOKED,
          at,
          identity,
          "certificate serial " + leaf.getSerialNumber().toString(16) + " is revoked",
          null);
    }
    String notMember = notMemberCertificate(leaf, purpose);
    if (notMember != null) {
      throw new PeerRejectedException(Reason.NOT_A_MEMBER, at, identity, notMember, null);
    }
    return identity;
  }

  /** Why a certificate of the authority is not a member's for this side of TLS, or null. */
  private static String notMemberCertificate(X509Certificate leaf, String purpose) {
    if (leaf.getBasicConstraints() >= 0) {
      return "it is a certificate authority's certificate";
    }
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    if (critical != null && !KNOWN_CRITICAL.containsAll(critical)) {
      return "it has critical extensions a member's certificate has not: " + critical;
    }
    try {
      List<String> purposes = leaf.getExtendedKeyUsage();
      if (purposes == null || !purposes.contains(purpose)) {
        return "it is not for "
            + (purpose.equals(SERVER_AUTH) ? "TLS servers" : "TLS clients")
            + " (extended key usage "
            + purposes
            + ")";
      }
    } catch (CertificateParsingException e) {
      return "its extended key usage is unreadable";
    }
    return null;
  }

  private static PeerAddress address(SSLEngine engine) {
    return new PeerAddress(engine.getPeerHost(), engine.getPeerPort());
  }

  private static SSLSession handshakeSession(Socket socket) {
    return socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
  }

  private static PeerAddress address(Socket socket, SSLSession session) {
    if (session != null && session.getPeerHost() != null) {
      return new PeerAddress(session.getPeerHost(), session.getPeerPort());
    }
    if (socket != null && socket.getInetAddress() != null) {
      return new PeerAddress(socket.getInetAddress().getHostAddress(), socket.getPort());
    }
    return PeerAddress.UNKNOWN;
  }
}
