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
 * The SSL context of a cluster member as a client: it presents the member's cluster certificate
 * (when it has one) and trusts a server only when the server's certificate is a cluster member's
 * (issued by the authority, valid, not revoked) and the caller's {@link #expectServer} accepts who
 * it is for the address connected to. Both happen in the handshake, before a request is sent.
 *
 * <p>There is no host-name verification: the trust manager is an {@code X509ExtendedTrustManager},
 * which the JDK uses as it is, so {@code HttpClient} (which asks for "HTTPS" endpoint
 * identification) works with certificates that name no DNS host, and the identity check is the
 * caller's.
 *
 * <pre>{@code
 * SSLContext tls = ClientTls.builder()
 *     .credentials(own)
 *     .authority(caCertificate)
 *     .revocations(authority::revocations)
 *     .expectServer(ExpectedPeer.role(Role.AGENT).and(enrolledAtThisAddress))
 *     .build();
 * HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
 * }</pre>
 *
 * Sessions are never resumed: every connection is checked again. Connections already open are not:
 * close them (a new {@code HttpClient}) when a peer is revoked.
 *
 * <p>The builder is not thread-safe; the context it builds is.
 */
public final class ClientTls {
  private final TlsParts parts = new TlsParts();
  private ExpectedPeer expectServer;

  private ClientTls() {}

  public static ClientTls builder() {
    return new ClientTls();
  }

  /**
   * Optional: the member's key and certificate chain, presented when a server asks. Default is
   * none: a host enrolling before it has a certificate.
   */
  public ClientTls credentials(HostCredentials credentials) {
    parts.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** Required: the cluster authority's certificate, the only issuer trusted. */
  public ClientTls authority(X509Certificate authority) {
    parts.authority = Objects.requireNonNull(authority, "authority");
    return this;
  }

  /**
   * Required: the revocations as they are at each handshake; {@code () -> Revocations.none()} where
   * there are none.
   */
  public ClientTls revocations(Supplier<Revocations> revocations) {
    parts.revocations = Objects.requireNonNull(revocations, "revocations");
    return this;
  }

  /**
   * Required: who the server must be, given the address connected to; {@link
   * ExpectedPeer#anyMember()} only where any member will do.
   */
  public ClientTls expectServer(ExpectedPeer expected) {
    this.expectServer = Objects.requireNonNull(expected, "expected");
    return this;
  }

  /** Optional: the time certificates are checked by. Default is the system clock. */
  public ClientTls clock(Clock clock) {
    parts.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Optional: told of every server refused (for a metric, an alert). Default is nothing. */
  public ClientTls onRejection(Consumer<PeerRejectedException> listener) {
    parts.onRejection = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * @throws IllegalStateException naming what is missing
   */
  public SSLContext build() {
    parts.require("client TLS");
    if (expectServer == null) {
      throw new IllegalStateException(
          "client TLS: expectServer is required: who the server must be"
              + " (ExpectedPeer.anyMember() where any member will do)");
    }
    return parts.context(expectServer);
  }
}
