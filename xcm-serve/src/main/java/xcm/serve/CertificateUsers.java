package xcm.serve;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a client's certificate stands for on a door, decided by the process that serves it: on an
 * agent the coordinator's certificate is the operator and another agent's the peer. The door's
 * trust managers verified the certificate in the handshake (issued by the cluster's authority,
 * valid, not revoked) before this is asked; a client whose certificate stands for nobody still
 * needs a password.
 *
 * <pre>{@code
 * CertificateUsers users = certificate -> switch (PeerIdentity.of(certificate).role()) {
 *   case COORDINATOR -> Optional.of(CertificateUsers.User.operator("coordinator:" + name));
 *   ...
 * };
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface CertificateUsers {
  /** No certificate stands for a user: only passwords authenticate. */
  CertificateUsers NONE = certificate -> Optional.empty();

  /** The user {@code certificate} (the client's own, verified) stands for; empty for none. */
  Optional<User> of(X509Certificate certificate);

  /**
   * A user a certificate stands for: its name, as the audit log shows it, and what it may do.
   *
   * @param grants what a limited user may do; empty for an operator, who may do everything the
   *     access policy allows
   */
  record User(String name, Optional<Grants> grants) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(grants, "grants");
    }

    /** Everything the access policy allows. */
    public static User operator(String name) {
      return new User(name, Optional.empty());
    }

    /** Only what {@code grants} name (and the version). */
    public static User limited(String name, Grants grants) {
      return new User(name, Optional.of(grants));
    }
  }
}
