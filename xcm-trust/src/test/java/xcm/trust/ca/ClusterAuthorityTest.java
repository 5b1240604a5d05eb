package xcm.trust.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.Keys;
import xcm.trust.PeerIdentity;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.TrustFileException;

class ClusterAuthorityTest {
  private static final UUID HOST = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir Path temp;

  private ClusterAuthority open() throws Exception {
    return ClusterAuthority.builder()
        .directory(temp.resolve("ca"))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .open();
  }

  @Test
  void newAuthorityIsAnEcCaForTenYearsInFilesOnlyItsOwnerReads() throws Exception {
    ClusterAuthority authority = open();
    X509Certificate ca = authority.certificate();

    assertThat(mode(temp.resolve("ca"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("ca/ca.key"))).isEqualTo("rw-------");
    assertThat(mode(temp.resolve("ca/ca.crt"))).isEqualTo("rw-------");
    assertThat(Files.readString(temp.resolve("ca/ca.key")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    assertThat(ca.getSubjectX500Principal().getName()).matches("CN=XCM cluster CA [0-9a-f]{8}");
    ca.verify(ca.getPublicKey());
    assertThat(Duration.between(NOW, ca.getNotAfter().toInstant()).toDays()).isEqualTo(3652);
  }

  @Test
  void reopeningLoadsTheSameAuthority() throws Exception {
    ClusterAuthority first = open();
    ClusterAuthority again = open();
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
  }

  @Test
  void keyReadableByGroupIsRefusedNamingPathAndMode() throws Exception {
    open();
    Path key = temp.resolve("ca/ca.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            TrustFileException.class,
            e -> {
              assertThat(e.path()).isEqualTo(key);
              assertThat(e.problem()).isEqualTo(TrustFileException.Problem.TOO_OPEN);
            })
        .hasMessageStartingWith(key + ": mode 0640 (rw-r-----): it holds a secret");
  }

  @Test
  void keyWithoutItsCertificateIsRefused() throws Exception {
    open();
    Files.delete(temp.resolve("ca/ca.crt"));

    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            TrustFileException.class,
            e -> assertThat(e.problem()).isEqualTo(TrustFileException.Problem.MISMATCHED))
        .hasMessageStartingWith(temp.resolve("ca/ca.crt") + ": missing while ca.key is there");
  }

  @Test
  void issuesAgentCertificateStatingItsIdentityForTlsBothWays() throws Exception {
    ClusterAuthority authority = open();
    var keys = Keys.generate(new SecureRandom());
    CertificateRequest request =
        CertificateRequest.parse(CertificateRequest.create(keys, "hv01", Optional.of(HOST)).pem());

    IssuedCertificate issued = authority.issue(request, Subject.agent("hv01", HOST));
    X509Certificate certificate = issued.certificate();

    certificate.verify(authority.certificate().getPublicKey());
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=hv01");
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactly(
            List.of(6, "urn:xcm:role:agent"),
            List.of(6, "urn:xcm:name:hv01"),
            List.of(6, "urn:xcm:libvirt-uuid:" + HOST));
    assertThat(certificate.getSerialNumber().bitLength()).isBetween(100, 128);
    assertThat(Duration.between(NOW, certificate.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(365));
    PeerIdentity identity = issued.identity();
    assertThat(identity.role()).isEqualTo(Role.AGENT);
    assertThat(identity.name()).isEqualTo("hv01");
    assertThat(identity.libvirtUuid()).contains(HOST);
    assertThat(identity.keyFingerprint()).isEqualTo(request.keyFingerprint());
    assertThat(issued.chain()).containsExactly(certificate, authority.certificate());
  }

  @Test
  void serialsDiffer() throws Exception {
    ClusterAuthority authority = open();
    BigInteger first =
        authority.issueWithKey(Subject.client("alice")).certificate().getSerialNumber();
    BigInteger second =
        authority.issueWithKey(Subject.client("alice")).certificate().getSerialNumber();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void requestForAnotherNameOrHostIsNotIssued() throws Exception {
    ClusterAuthority authority = open();
    var keys = Keys.generate(new SecureRandom());
    CertificateRequest hv02 = CertificateRequest.create(keys, "hv02", Optional.of(HOST));

    assertThatThrownBy(() -> authority.issue(hv02, Subject.agent("hv01", HOST)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "certificate request of hv02 cannot be issued as agent hv01 (libvirt "
                + HOST
                + "): it asks for the name hv02");
    UUID other = UUID.randomUUID();
    assertThatThrownBy(() -> authority.issue(hv02, Subject.agent("hv02", other)))
        .hasMessageEndingWith("it states the libvirt UUID " + HOST);
  }

  @Test
  void validityIsCutAtTheAuthoritysOwnEnd() throws Exception {
    ClusterAuthority authority = open();
    HostCredentials own =
        authority.issueWithKey(Subject.coordinator("coord1"), Duration.ofDays(365 * 20));
    assertThat(own.certificate().getNotAfter()).isEqualTo(authority.certificate().getNotAfter());
    assertThat(own.identity().role()).isEqualTo(Role.COORDINATOR);
  }

  @Test
  void revocationsAreWrittenOwnerOnlyAndOutliveARestart() throws Exception {
    ClusterAuthority authority = open();
    HostCredentials hv01 = authority.issueWithKey(Subject.agent("hv01", HOST));
    BigInteger serial = hv01.certificate().getSerialNumber();

    Revocations revoked = authority.revoke(serial);

    assertThat(revoked.isRevoked(serial)).isTrue();
    assertThat(authority.revocations()).isEqualTo(revoked);
    assertThat(mode(temp.resolve("ca/revoked"))).isEqualTo("rw-------");
    assertThat(open().revocations().isRevoked(serial)).isTrue();
  }

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
