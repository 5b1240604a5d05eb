package xcm.trust.tls;

import java.security.cert.CertificateException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import xcm.trust.Fingerprint;
import xcm.trust.PeerIdentity;
import xcm.trust.Role;

/**
 * Who may be on the other end of a connection, decided by the caller during the handshake, after
 * the peer's certificate has passed the cluster's checks (issued by the authority, valid now, not
 * revoked) and before any application data flows. It replaces host-name verification: a member is
 * its certificate, not the DNS name it is reached by.
 *
 * <p>The coordinator, for instance, knows which enrolled host it means to reach at a URL:
 *
 * <pre>{@code
 * ExpectedPeer enrolled = (address, peer) -> {
 *   Enrolment e = enrolments.at(address.host(), address.port());   // the lead's own lookup
 *   if (e == null || !e.name().equals(peer.name()) || !e.fingerprint().equals(peer.fingerprint())) {
 *     throw new CertificateException("not the host enrolled at " + address);
 *   }
 * };
 * SSLContext tls = ClientTls.builder()…expectServer(ExpectedPeer.role(Role.AGENT).and(enrolled))…;
 * }</pre>
 *
 * Implementations must be thread-safe: handshakes run in parallel.
 */
@FunctionalInterface
public interface ExpectedPeer {
  /**
   * Accepts the peer, or aborts the handshake.
   *
   * @param address where the connection goes (client) or comes from (server)
   * @param peer who the verified certificate says the peer is
   * @throws CertificateException to abort; its message is kept in the {@link PeerRejectedException}
   *     that the handshake fails with
   */
  void check(PeerAddress address, PeerIdentity peer) throws CertificateException;

  /** Both this and the next must accept, this one first. */
  default ExpectedPeer and(ExpectedPeer next) {
    Objects.requireNonNull(next, "next");
    return (address, peer) -> {
      check(address, peer);
      next.check(address, peer);
    };
  }

  /** Any member of the cluster. */
  static ExpectedPeer anyMember() {
    return (address, peer) -> {};
  }

  /** A member with one of these roles. */
  static ExpectedPeer role(Role first, Role... more) {
    Set<Role> roles = EnumSet.of(first, more);
    return (address, peer) -> {
      if (!roles.contains(peer.role())) {
        throw new CertificateException(
            "has the role " + peer.role().label() + ", expected " + labels(roles));
      }
    };
  }

  /** Exactly the member with this name and certificate (by its fingerprint). */
  static ExpectedPeer exactly(String name, Fingerprint fingerprint) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fingerprint, "fingerprint");
    return (address, peer) -> {
      if (!peer.name().equals(name)) {
        throw new CertificateException("is " + peer.name() + ", expected " + name);
      }
      if (!peer.fingerprint().equals(fingerprint)) {
        throw new CertificateException(
            "presents certificate " + peer.fingerprint() + ", expected " + fingerprint);
      }
    };
  }

  private static String labels(Set<Role> roles) {
    return String.join(" or ", roles.stream().map(Role::label).toList());
  }
}
