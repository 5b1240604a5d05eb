package xcm.trust.tls;

/**
 * Whether a server asks its clients for a certificate, the server's choice.
 *
 * <pre>{@code
 * ServerTls.builder()…clientAuth(ClientAuth.WANT)…   // the coordinator's door for enrolling hosts
 * }</pre>
 */
public enum ClientAuth {
  /**
   * Asks; a client without one gets through TLS and is someone the server knows nothing of (a host
   * enrolling before it has a certificate, a person with a password). A client that presents a
   * certificate is checked exactly as under {@link #NEED}.
   */
  WANT,
  /** Requires one: a client without a cluster certificate fails the handshake. */
  NEED
}
