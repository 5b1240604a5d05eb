package xcm.coordinator.enrol;

import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import xcm.client.Credentials;
import xcm.coordinator.collect.Enrolments;
import xcm.trust.HostCredentials;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * How the coordinator reaches the agents it enrolled: over TLS, presenting its own certificate and
 * accepting at each address only the agent enrolled there, with the very certificate it was issued
 * — a listener that reports a member's name, or another member answering at its address, fails the
 * handshake before a byte of a request is sent. No password goes to an enrolled agent: its
 * certificate is the coordinator's login.
 *
 * <pre>{@code
 * JolokiaClient agents = JolokiaClient.builder()
 *     .tls(EnrolledAgents.clientTls(desk, own))
 *     .credentials(EnrolledAgents.credentials(desk, passwords))…
 * }</pre>
 */
public final class EnrolledAgents {
  private EnrolledAgents() {}

  /** The desk's enrolments, as the collector checks agents' names against them. */
  public static Enrolments enrolments(EnrolmentDesk desk) {
    return new Enrolments() {
      @Override
      public Optional<String> hostAt(String url) {
        return desk.enrolledAt(url).map(Enrolled::host);
      }

      @Override
      public Optional<String> urlOf(String host) {
        // As the collector spells agent URLs: with a trailing slash.
        return desk.enrolled(host).map(e -> e.url().endsWith("/") ? e.url() : e.url() + "/");
      }

      @Override
      public Optional<String> libvirtUuidOf(String host) {
        return desk.enrolled(host).map(Enrolled::libvirtUuid);
      }
    };
  }

  /** The TLS of every {@code https} agent URL: the coordinator's certificate, the desk's trust. */
  public static SSLContext clientTls(EnrolmentDesk desk, HostCredentials own) {
    return ClientTls.builder()
        .credentials(own)
        .authority(desk.authority().certificate())
        .revocations(desk::revocations)
        .expectServer(ExpectedPeer.role(Role.AGENT).and(enrolledAt(desk)))
        .build();
  }

  /** The agent enrolled at the address connected to, with the certificate issued to it. */
  static ExpectedPeer enrolledAt(EnrolmentDesk desk) {
    return (address, peer) -> {
      Enrolled enrolled =
          desk.enrolledAt(address.host(), address.port())
              .orElseThrow(() -> new CertificateException("no host is enrolled at " + address));
      if (!peer.name().equals(enrolled.host())) {
        throw new CertificateException(
            "is " + peer.name() + ", but host " + enrolled.host() + " is enrolled at " + address);
      }
      if (!peer.serial().toString(16).equals(enrolled.serial())) {
        throw new CertificateException(
            "presents certificate serial "
                + peer.serial().toString(16)
                + ", but host "
                + enrolled.host()
                + " was issued serial "
                + enrolled.serial());
      }
    };
  }

  /**
   * Nothing for an enrolled agent's URL (the coordinator's certificate logs it in there); any other
   * URL is refused before anything is sent: hosts join by enrolment only.
   */
  public static Credentials credentials(EnrolmentDesk desk) {
    return new Credentials() {
      @Override
      public String authorization(String url) {
        if (desk.enrolledAt(url).isEmpty()) {
          throw new IllegalArgumentException(
              "no host is enrolled at " + url + ": hosts join by enrolment (./xcm hosts)");
        }
        return null;
      }

      @Override
      public String description() {
        return "the coordinator's certificate";
      }

      @Override
      public String toString() {
        return "the coordinator's certificate, for enrolled agents only";
      }
    };
  }
}
