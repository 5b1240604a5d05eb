package xcm.coordinator.enrol;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import xcm.trust.HostCredentials;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.key.HostKey;

/**
 * The coordinator's own key and certificate, in {@code <state-dir>/tls/} ({@code host.key}, {@code
 * host.crt}): what it presents to agents and to hosts enrolling. Its key is made once; its
 * certificate is issued by the cluster's authority at the first start and again when less than
 * {@link #RENEW_BEFORE} of it is left, or when the authority is another than the one that issued
 * it.
 */
public final class OwnCertificate {
  /** A certificate that ends within this is replaced at start. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private OwnCertificate() {}

  /**
   * The coordinator's credentials, named {@code name}, issued now when needed.
   *
   * @throws IOException naming the file that cannot be read or written, or whose mode lets others
   *     read it
   */
  public static HostCredentials load(
      Path stateDir, ClusterAuthority authority, String name, Clock clock) throws IOException {
    HostKey key = HostKey.open(stateDir.resolve("tls"));
    Optional<HostCredentials> held = key.credentials();
    if (held.isPresent()
        && held.get().authority().equals(authority.certificate())
        && held.get()
            .certificate()
            .getNotAfter()
            .toInstant()
            .isAfter(clock.instant().plus(RENEW_BEFORE))) {
      return held.get();
    }
    return key.install(
        authority.issue(key.request(name, Optional.empty()), Subject.coordinator(name)).chain());
  }
}
