package xcm.trust.tls;

/**
 * Where a TLS peer is, as the connection knows it: for a client, the host and port it connects to
 * (from the URL); for a server, the client's address.
 *
 * <p>The client's address is never looked up in DNS.
 *
 * <pre>{@code
 * ExpectedPeer atUrl = (address, peer) -> check(members.at(address.host(), address.port()), peer);
 * }</pre>
 *
 * @param host the host name or address; null when the connection does not say
 * @param port the port; -1 when the connection does not say
 */
public record PeerAddress(String host, int port) {
  static final PeerAddress UNKNOWN = new PeerAddress(null, -1);

  @Override
  public String toString() {
    return (host == null ? "?" : host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + ":"
        + (port < 0 ? "?" : Integer.toString(port));
  }
}
