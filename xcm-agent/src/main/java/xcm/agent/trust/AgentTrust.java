package xcm.agent.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import xcm.agent.migration.PeerRole;
import xcm.serve.CertificateUsers;
import xcm.serve.http.ServerTls;
import xcm.trust.HostCredentials;
import xcm.trust.PeerIdentity;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientAuth;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * An enrolled agent's side of the cluster's trust: its Jolokia presents the certificate the
 * coordinator issued it and takes the coordinator's certificate as its operator and other agents'
 * as the peer; toward other agents it presents its own. Until the certificate comes, Jolokia
 * completes no handshake at all.
 *
 * <pre>{@code
 * AgentTrust trust = new AgentTrust(authority);
 * Endpoints.open(…, Optional.of(trust.provisionalServerTls()), trust.jolokiaUsers(), …);
 * // once enrolled
 * endpoints.reloadJolokiaTls(trust.enrolled(credentials));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentTrust {
  private final X509Certificate authority;
  private final AtomicReference<HostCredentials> own = new AtomicReference<>();

  /** Trusting only certificates {@code authority} (the cluster's) issued. */
  public AgentTrust(X509Certificate authority) {
    this.authority = Objects.requireNonNull(authority, "authority");
  }

  /**
   * Who a client's certificate stands for: the coordinator is the operator (user {@code
   * coordinator:<name>}), another agent the peer ({@code agent:<name>}, {@link PeerRole}'s grants);
   * anyone else nobody.
   */
  public CertificateUsers jolokiaUsers() {
    return certificate -> {
      PeerIdentity peer;
      try {
        peer = PeerIdentity.of(certificate);
      } catch (CertificateException e) {
        return Optional.empty();
      }
      return switch (peer.role()) {
        case COORDINATOR ->
            Optional.of(CertificateUsers.User.operator("coordinator:" + peer.name()));
        case AGENT ->
            Optional.of(CertificateUsers.User.limited("agent:" + peer.name(), PeerRole.GRANTS));
        case CLIENT -> Optional.empty();
      };
    };
  }

  /**
   * Jolokia's TLS before the agent is enrolled: no certificate to present, so every handshake fails
   * and nobody reaches the agent until it has its own.
   */
  public ServerTls provisionalServerTls() {
    try {
      SSLContext none = SSLContext.getInstance("TLSv1.3");
      none.init(new javax.net.ssl.KeyManager[0], null, null);
      return new ServerTls(none, ServerTls.ClientAuth.WANT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS 1.3 in this JVM: " + e.getMessage(), e);
    }
  }

  /**
   * Takes the agent's credentials: Jolokia's TLS from now on, asking clients for their certificate
   * (a client without one, a monitor, still logs in with its password).
   */
  public ServerTls enrolled(HostCredentials credentials) {
    own.set(credentials);
    SSLContext context =
        xcm.trust.tls.ServerTls.builder()
            .credentials(credentials)
            .authority(authority)
            .revocations(Revocations::none)
            .clientAuth(ClientAuth.WANT)
            .expectClient(ExpectedPeer.role(Role.COORDINATOR, Role.AGENT))
            .build();
    return new ServerTls(context, ServerTls.ClientAuth.WANT);
  }

  /** Whether the agent has its certificate. */
  public boolean isEnrolled() {
    return own.get() != null;
  }

  /**
   * The TLS toward other agents: this agent's certificate, and only another agent of the cluster
   * accepted at the other end.
   *
   * @throws IllegalStateException while the agent has no certificate yet
   */
  public SSLContext peerClientTls() {
    HostCredentials credentials = own.get();
    if (credentials == null) {
      throw new IllegalStateException(
          "this agent has no certificate yet (it is not enrolled): it migrates nothing until then");
    }
    return ClientTls.builder()
        .credentials(credentials)
        .authority(authority)
        .revocations(Revocations::none)
        .expectServer(ExpectedPeer.role(Role.AGENT))
        .build();
  }
}
