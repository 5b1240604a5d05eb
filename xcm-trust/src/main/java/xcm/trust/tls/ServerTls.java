package xcm.trust.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import xcm.trust.HostCredentials;
import xcm.trust.Revocations;

/**
 * The SSL context of a cluster member's server: it presents the member's cluster certificate and
 * trusts exactly the cluster's members as clients (see {@code ClusterTrustManager}: issued by the
 * authority, valid, not revoked, accepted by {@link #expectClient}). The context's engines and
 * server sockets speak TLS 1.3 only and ask for client certificates as {@link #clientAuth} says,
 * without the server having to set anything.
 *
 * <pre>{@code
 * SSLContext tls = ServerTls.builder()
 *     .credentials(hostKey.credentials().orElseThrow())
 *     .authority(caCertificate)
 *     .revocations(revocations::get)                  // an AtomicReference<Revocations>, say
 *     .clientAuth(ClientAuth.NEED)
 *     .expectClient(ExpectedPeer.role(Role.COORDINATOR, Role.AGENT))
 *     .build();
 *
 * // Jetty 12
 * SslContextFactory.Server factory = new SslContextFactory.Server();
 * factory.setSslContext(tls);
 * factory.setNeedClientAuth(true);                    // the same choice, for Jetty's own records
 * SecureRequestCustomizer secure = new SecureRequestCustomizer();
 * secure.setSniHostCheck(false);                      // certificates name no DNS host
 *
 * // the JDK's HttpsServer
 * server.setHttpsConfigurator(new HttpsConfigurator(tls));
 * }</pre>
 *
 * A handler finds its caller with {@code PeerIdentity.of((X509Certificate)
 * session.getPeerCertificates()[0])}; under {@link ClientAuth#WANT} a caller without a certificate
 * has none ({@code SSLPeerUnverifiedException}). Sessions are never resumed, so every connection is
 * checked against the revocations and the expectation as they are then.
 *
 * <p>The builder is not thread-safe; the context it builds is.
 */
public final class ServerTls {
  private final TlsParts parts = new TlsParts();
  private ClientAuth clientAuth = ClientAuth.NEED;
  private ExpectedPeer expectClient = ExpectedPeer.anyMember();

  private ServerTls() {}

  public static ServerTls builder() {
    return new ServerTls();
  }

  /** Required: the member's key and certificate chain. */
  public ServerTls credentials(HostCredentials credentials) {
    parts.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** Required: the cluster authority's certificate, the only issuer trusted. */
  public ServerTls authority(X509Certificate authority) {
    parts.authority = Objects.requireNonNull(authority, "authority");
    return this;
  }

  /**
   * Required: the revocations as they are at each handshake; {@code () -> Revocations.none()} where
   * there are none.
   */
  public ServerTls revocations(Supplier<Revocations> revocations) {
    parts.revocations = Objects.requireNonNull(revocations, "revocations");
    return this;
  }

  /** Optional: whether clients must present a certificate. Default is {@link ClientAuth#NEED}. */
  public ServerTls clientAuth(ClientAuth clientAuth) {
    this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
    return this;
  }

  /**
   * Optional: which members may connect, checked for every client that presents a certificate.
   * Default is {@link ExpectedPeer#anyMember()}.
   */
  public ServerTls expectClient(ExpectedPeer expected) {
    this.expectClient = Objects.requireNonNull(expected, "expected");
    return this;
  }

  /** Optional: the time certificates are checked by. Default is the system clock. */
  public ServerTls clock(Clock clock) {
    parts.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Optional: told of every client refused, before the handshake fails (for a metric, an alert).
   * Default is nothing.
   */
  public ServerTls onRejection(Consumer<PeerRejectedException> listener) {
    parts.onRejection = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * @throws IllegalStateException naming what is missing
   */
  public SSLContext build() {
    if (parts.credentials == null) {
      throw new IllegalStateException("server TLS: credentials are required: what it presents");
    }
    parts.require("server TLS");
    return new ServerSslContext(parts.context(expectClient), clientAuth);
  }
}
