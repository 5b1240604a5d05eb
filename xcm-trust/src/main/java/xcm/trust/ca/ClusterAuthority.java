package xcm.trust.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import xcm.trust.CertificateRequest;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.Keys;
import xcm.trust.OwnerOnlyDirectory;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Subject;
import xcm.trust.TrustFileException;
import xcm.trust.ticket.TicketIssuer;

/**
 * The cluster's certificate authority: the one key every member trusts, kept only on the
 * coordinator's machine. It issues the members' certificates, keeps the list of revoked ones, and
 * signs the hand-over tickets (every host already trusts its certificate, so a ticket needs no
 * other key to check it by).
 *
 * <p>Its directory (mode 0700) holds
 *
 * <pre>
 * ca.key    the authority's EC P-256 private key, PKCS#8 PEM, mode 0600 (refused when group or
 *           others may read it)
 * ca.crt    its self-signed certificate, PEM: what every member is given to trust
 * revoked   the serials of revoked certificates, one a line (hex), mode 0600
 * </pre>
 *
 * <pre>{@code
 * ClusterAuthority authority = ClusterAuthority.builder().directory(Path.of("/var/lib/xcm/ca")).open();
 * IssuedCertificate issued = authority.issue(CertificateRequest.parse(pem), Subject.agent("hv01", uuid));
 * HostCredentials own = authority.issueWithKey(Subject.coordinator("coord1"));
 * authority.revoke(issued.identity().serial());          // when hv01 is removed
 * Supplier<Revocations> revoked = authority::revocations; // for ServerTls and ClientTls
 * }</pre>
 *
 * Thread-safe.
 */
public final class ClusterAuthority {
  static final String KEY_FILE = "ca.key";
  static final String CERTIFICATE_FILE = "ca.crt";
  static final String REVOKED_FILE = "revoked";

  /** How far back a certificate's validity starts: a host's clock may lag the coordinator's. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final OwnerOnlyDirectory directory;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Clock clock;
  private final SecureRandom random;
  private final CertificateMaker maker;
  private final Duration certificateValidity;
  private volatile Revocations revocations;

  private ClusterAuthority(Builder b, PrivateKey key, X509Certificate certificate, Revocations r) {
    this.directory = b.opened;
    this.key = key;
    this.certificate = certificate;
    this.clock = b.clock;
    this.random = b.random;
    this.maker = new CertificateMaker(b.random);
    this.certificateValidity = b.certificateValidity;
    this.revocations = r;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The authority's certificate: what every member trusts. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Its fingerprint, for an operator to compare where the certificate is copied to. */
  public Fingerprint fingerprint() {
    return Fingerprint.of(certificate);
  }

  public Path directory() {
    return directory.path();
  }

  /** Issues a certificate for a request, valid for the default validity. */
  public IssuedCertificate issue(CertificateRequest request, Subject subject) {
    return issue(request, subject, certificateValidity);
  }

  /**
   * Issues a certificate for the request's key, stating the subject (the role, and the name and
   * libvirt UUID the operator approved). The request was verified when it was parsed.
   *
   * @param validity how long from now; cut to the authority's own end
   * @throws IllegalArgumentException when the request asks for another name or libvirt UUID than
   *     the subject states (naming both), or uses the authority's own key
   */
  public IssuedCertificate issue(CertificateRequest request, Subject subject, Duration validity) {
    if (!request.name().equals(subject.name())) {
      throw new IllegalArgumentException(
          "certificate request of "
              + request.name()
              + " cannot be issued as "
              + subject
              + ": it asks for the name "
              + request.name());
    }
    if (request.libvirtUuid().isPresent() && !request.libvirtUuid().equals(subject.libvirtUuid())) {
      throw new IllegalArgumentException(
          "certificate request of "
              + request.name()
              + " cannot be issued as "
              + subject
              + ": it states the libvirt UUID "
              + request.libvirtUuid().get());
    }
    return issue(subject, request.publicKey(), validity);
  }

  /** A new key pair and a certificate for it, valid for the default validity. */
  public HostCredentials issueWithKey(Subject subject) {
    return issueWithKey(subject, certificateValidity);
  }

  /**
   * A new key pair and a certificate for it: the coordinator's own, or the demo's hosts'. Store it
   * with {@code HostKey.store}.
   */
  public HostCredentials issueWithKey(Subject subject, Duration validity) {
    KeyPair keys = Keys.generate(random);
    IssuedCertificate issued = issue(subject, keys.getPublic(), validity);
    return new HostCredentials(keys.getPrivate(), issued.chain());
  }

  private IssuedCertificate issue(Subject subject, PublicKey publicKey, Duration validity) {
    Objects.requireNonNull(subject, "subject");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, found " + validity);
    }
    if (publicKey.equals(certificate.getPublicKey())) {
      throw new IllegalArgumentException(
          subject + ": a request with the authority's own key is never issued");
    }
    Instant now = clock.instant();
    Instant end = now.plus(validity);
    Instant authorityEnd = certificate.getNotAfter().toInstant();
    if (end.isAfter(authorityEnd)) {
      end = authorityEnd;
    }
    X509Certificate issued =
        maker.issue(certificate, key, subject, publicKey, now.minus(BACKDATE), end);
    return new IssuedCertificate(issued, certificate);
  }

  /** The revoked serials as they are now: an immutable value. */
  public Revocations revocations() {
    return revocations;
  }

  /**
   * Revokes a certificate: written to the directory before it takes effect, so that a restart never
   * forgets it.
   *
   * @return the revocations with it
   */
  public synchronized Revocations revoke(BigInteger serial) throws IOException {
    Revocations more = revocations.with(serial);
    if (more != revocations) {
      directory.write(
          REVOKED_FILE,
          ("# serials of revoked cluster certificates, one a line (hex)\n" + more.text())
              .getBytes(StandardCharsets.US_ASCII));
      revocations = more;
    }
    return more;
  }

  /**
   * Signs hand-over tickets with the authority's key; hosts check them against {@link
   * #certificate()}.
   */
  public TicketIssuer ticketIssuer() {
    return new TicketIssuer(key, clock, random);
  }

  @Override
  public String toString() {
    return "ClusterAuthority["
        + certificate.getSubjectX500Principal().getName()
        + " "
        + fingerprint()
        + " in "
        + directory.path()
        + "]";
  }

  /** Opens (creating when empty) a cluster authority's directory. */
  public static final class Builder {
    private Path directory;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private Duration authorityValidity = Duration.ofDays(3652);
    private Duration certificateValidity = Duration.ofDays(365);
    private OwnerOnlyDirectory opened;

    private Builder() {}

    /** Required: where the key, the certificate and the revocations are kept. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Optional: the time certificates start and end by. Default is the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Optional: where keys, serials and nonces come from. Default is a new SecureRandom. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Optional: how long a new authority's certificate is valid. Default is 10 years. */
    public Builder authorityValidity(Duration validity) {
      this.authorityValidity = positive(validity, "authorityValidity");
      return this;
    }

    /** Optional: how long an issued certificate is valid unless said otherwise. Default 1 year. */
    public Builder certificateValidity(Duration validity) {
      this.certificateValidity = positive(validity, "certificateValidity");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, found " + d);
      }
      return d;
    }

    /**
     * Loads the authority of the directory, or makes a new one there when it holds neither key nor
     * certificate.
     *
     * @throws TrustFileException when the directory or the key is open to group or others ({@code
     *     TOO_OPEN}), a file is not what it should hold ({@code MALFORMED}), or the key and the
     *     certificate are not a pair or only one of them is there ({@code MISMATCHED})
     */
    public ClusterAuthority open() throws IOException {
      Objects.requireNonNull(directory, "directory is required");
      if (random == null) {
        random = new SecureRandom();
      }
      opened = OwnerOnlyDirectory.open(directory);
      boolean hasKey = opened.exists(KEY_FILE);
      boolean hasCertificate = opened.exists(CERTIFICATE_FILE);
      if (!hasKey && !hasCertificate) {
        return create();
      }
      if (hasKey != hasCertificate) {
        String present = hasKey ? KEY_FILE : CERTIFICATE_FILE;
        String missing = hasKey ? CERTIFICATE_FILE : KEY_FILE;
        throw new TrustFileException(
            opened.resolve(missing),
            TrustFileException.Problem.MISMATCHED,
            "missing while "
                + present
                + " is there: restore it from a backup, or remove "
                + present
                + " to make a new authority (every member then needs a new certificate)");
      }
      return load();
    }

    private ClusterAuthority create() throws IOException {
      KeyPair keys = Keys.generate(random);
      Instant now = clock.instant();
      X509Certificate certificate =
          new CertificateMaker(random)
              .authority(keys, now.minus(BACKDATE), now.plus(authorityValidity));
      opened.write(KEY_FILE, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      opened.write(
          CERTIFICATE_FILE,
          Pem.certificates(List.of(certificate)).getBytes(StandardCharsets.US_ASCII));
      return new ClusterAuthority(this, keys.getPrivate(), certificate, Revocations.none());
    }

    private ClusterAuthority load() throws IOException {
      Path keyPath = opened.resolve(KEY_FILE);
      Path certificatePath = opened.resolve(CERTIFICATE_FILE);
      PrivateKey key;
      try {
        key =
            Pem.readPrivateKey(new String(opened.readSecret(KEY_FILE), StandardCharsets.US_ASCII));
      } catch (TrustFileException e) {
        throw e;
      } catch (IOException e) {
        throw new TrustFileException(keyPath, TrustFileException.Problem.MALFORMED, e.getMessage());
      }
      X509Certificate certificate;
      try {
        List<X509Certificate> certificates =
            Pem.readCertificates(
                new String(opened.read(CERTIFICATE_FILE), StandardCharsets.US_ASCII));
        if (certificates.size() != 1) {
          throw new CertificateException("holds " + certificates.size() + " certificates, not 1");
        }
        certificate = certificates.get(0);
      } catch (CertificateException e) {
        throw new TrustFileException(
            certificatePath, TrustFileException.Problem.MALFORMED, e.getMessage(), e);
      }
      if (certificate.getBasicConstraints() < 0) {
        throw new TrustFileException(
            certificatePath,
            TrustFileException.Problem.MALFORMED,
            "is not a certificate authority's certificate");
      }
      if (!HostCredentials.belongTogether(key, certificate.getPublicKey())) {
        throw new TrustFileException(
            certificatePath,
            TrustFileException.Problem.MISMATCHED,
            "is not the certificate of the key in " + keyPath);
      }
      Revocations revoked = Revocations.none();
      if (opened.exists(REVOKED_FILE)) {
        Path revokedPath = opened.resolve(REVOKED_FILE);
        try {
          revoked =
              Revocations.parse(new String(opened.read(REVOKED_FILE), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          throw new TrustFileException(
              revokedPath, TrustFileException.Problem.MALFORMED, e.getMessage(), e);
        }
      }
      return new ClusterAuthority(this, key, certificate, revoked);
    }
  }
}
