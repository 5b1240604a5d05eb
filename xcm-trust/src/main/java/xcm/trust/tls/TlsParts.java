package xcm.trust.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import xcm.trust.HostCredentials;
import xcm.trust.Revocations;

/** What the server and the client builders share: the trust, the key, the context. */
final class TlsParts {
  X509Certificate authority;
  Supplier<Revocations> revocations;
  Clock clock = Clock.systemUTC();
  HostCredentials credentials;
  Consumer<PeerRejectedException> onRejection = rejected -> {};

  void require(String side) {
    if (authority == null) {
      throw new IllegalStateException(
          side + ": authority is required: the cluster authority's certificate");
    }
    if (authority.getBasicConstraints() < 0) {
      throw new IllegalStateException(
          side
              + ": authority "
              + authority.getSubjectX500Principal().getName()
              + " is not a certificate authority's certificate");
    }
    if (revocations == null) {
      throw new IllegalStateException(
          side + ": revocations are required; give () -> Revocations.none() where there are none");
    }
  }

  SSLContext context(ExpectedPeer expected) {
    Objects.requireNonNull(expected, "expected");
    TrustManager trust =
        new ClusterTrustManager(authority, revocations, clock, expected, onRejection);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private KeyManager[] keyManagers() {
    return credentials == null ? null : new KeyManager[] {new OwnKeyManager(credentials)};
  }
}
