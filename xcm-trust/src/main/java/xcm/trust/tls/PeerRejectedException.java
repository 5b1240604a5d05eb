package xcm.trust.tls;

import java.security.cert.CertificateException;
import java.util.Optional;
import xcm.trust.PeerIdentity;

/**
 * A TLS peer refused during the handshake, before any application data. The JDK reports it to the
 * side that refused as the cause of an {@code SSLHandshakeException} (find it with {@link
 * #in(Throwable)}); the other side sees only the TLS alert. Also given to the builders' {@code
 * onRejection} listener, for metrics and alerts.
 *
 * <pre>{@code
 * } catch (IOException e) {
 *   PeerRejectedException.in(e).ifPresent(r -> alerts.raise(r.reason(), r.address(), r.identity()));
 * }
 * }</pre>
 */
public final class PeerRejectedException extends CertificateException {
  /** Why a peer was refused. */
  public enum Reason {
    /** It presented no certificate. */
    NO_CERTIFICATE,
    /** Its certificate was not issued by this cluster's authority. */
    UNTRUSTED_ISSUER,
    /** Its certificate is not valid yet. */
    NOT_YET_VALID,
    /** Its certificate has expired. */
    EXPIRED,
    /** Its certificate is revoked. */
    REVOKED,
    /**
     * Its certificate is the authority's, but not a member's: no XCM identity, a CA certificate,
     * not for this side of TLS, an unknown critical extension.
     */
    NOT_A_MEMBER,
    /** A valid member, but not the one expected here (the {@link ExpectedPeer} said no). */
    UNEXPECTED_PEER
  }

  private final Reason reason;
  private final transient PeerAddress address;
  private final transient PeerIdentity identity;

  public PeerRejectedException(
      Reason reason, PeerAddress address, PeerIdentity identity, String detail, Throwable cause) {
    super(
        "TLS peer at "
            + address
            + (identity == null ? "" : " (" + identity + ")")
            + " refused ("
            + reason
            + "): "
            + detail,
        cause);
    this.reason = reason;
    this.address = address;
    this.identity = identity;
  }

  public Reason reason() {
    return reason;
  }

  public PeerAddress address() {
    return address;
  }

  /** Who the certificate says the peer is, when it says it in XCM's terms. */
  public Optional<PeerIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  /** The rejection among the causes of a failure (an {@code SSLHandshakeException}), if any. */
  public static Optional<PeerRejectedException> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PeerRejectedException rejected) {
        return Optional.of(rejected);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
