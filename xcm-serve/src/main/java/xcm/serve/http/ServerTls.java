package xcm.serve.http;

import javax.net.ssl.SSLContext;

/**
 * TLS of a door: the server's keys and trusted client certificates as an {@link SSLContext}, and
 * whether clients must show a certificate. A door built from this is independent of where the
 * context came from: key store files ({@code TlsConfig}) or a cluster's own certificate authority.
 *
 * <pre>{@code
 * ServerTls tls = new ServerTls(sslContext, ServerTls.ClientAuth.NEED);
 * }</pre>
 *
 * @param context the server's key managers and, for client authentication, its trust managers
 * @param clientAuth what the handshake asks of the client
 */
public record ServerTls(SSLContext context, ClientAuth clientAuth) {

  /** What a TLS handshake asks of the client. */
  public enum ClientAuth {
    /** No certificate is asked for. */
    NONE,
    /**
     * A certificate is asked for; a client without one still gets in (and its chain is empty), one
     * with a certificate the trust managers refuse does not.
     */
    WANT,
    /** Only a client with a certificate the trust managers accept gets in. */
    NEED
  }

  public ServerTls {
    if (context == null || clientAuth == null) {
      throw new IllegalArgumentException("TLS needs an SSL context and a client-auth mode");
    }
  }
}
