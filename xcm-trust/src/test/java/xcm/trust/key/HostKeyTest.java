package xcm.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.Pem;
import xcm.trust.Subject;
import xcm.trust.TrustFileException;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ca.IssuedCertificate;

class HostKeyTest {
  private static final UUID HOST = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

  @TempDir Path temp;

  @Test
  void newHostMakesItsKeyOwnerOnlyAndKeepsItAcrossRestarts() throws Exception {
    HostKey first = HostKey.open(temp.resolve("tls"));

    assertThat(first.credentials()).isEmpty();
    assertThat(mode(temp.resolve("tls"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("tls/host.key"))).isEqualTo("rw-------");
    HostKey again = HostKey.open(temp.resolve("tls"));
    assertThat(again.keyFingerprint()).isEqualTo(first.keyFingerprint());
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void enrolsThroughARequestAndKeepsTheCertificate() throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(temp.resolve("ca")).open();
    HostKey key = HostKey.open(temp.resolve("tls"));
    CertificateRequest request =
        CertificateRequest.parse(key.request("hv01", Optional.of(HOST)).pem());
    assertThat(request.keyFingerprint()).isEqualTo(key.keyFingerprint());
    IssuedCertificate issued = authority.issue(request, Subject.agent("hv01", HOST));

    HostCredentials installed = key.install(Pem.readCertificates(issued.pem()));

    assertThat(installed.identity().name()).isEqualTo("hv01");
    assertThat(mode(temp.resolve("tls/host.crt"))).isEqualTo("rw-------");
    HostCredentials reloaded = HostKey.open(temp.resolve("tls")).credentials().orElseThrow();
    assertThat(reloaded.chain()).isEqualTo(issued.chain());
    assertThat(reloaded.authority()).isEqualTo(authority.certificate());
  }

  @Test
  void certificateForAnotherKeyIsNotInstalled() throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(temp.resolve("ca")).open();
    HostKey key = HostKey.open(temp.resolve("tls"));
    HostCredentials other = authority.issueWithKey(Subject.agent("hv01", HOST));

    assertThatThrownBy(() -> key.install(other.chain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the certificate of CN=hv01 is not for this private key");
    assertThat(Files.exists(temp.resolve("tls/host.crt"))).isFalse();
  }

  @Test
  void credentialsTheAuthorityMadeWholeAreStoredAndLoaded() throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(temp.resolve("ca")).open();
    HostCredentials coordinator = authority.issueWithKey(Subject.coordinator("coord1"));

    HostKey.store(temp.resolve("coord"), coordinator);

    HostCredentials loaded = HostKey.open(temp.resolve("coord")).credentials().orElseThrow();
    assertThat(loaded.chain()).isEqualTo(coordinator.chain());
    assertThat(loaded.privateKey()).isEqualTo(coordinator.privateKey());
    assertThat(mode(temp.resolve("coord/host.key"))).isEqualTo("rw-------");
  }

  @Test
  void keyReadableByOthersIsRefused() throws Exception {
    HostKey.open(temp.resolve("tls"));
    Path key = temp.resolve("tls/host.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));

    assertThatThrownBy(() -> HostKey.open(temp.resolve("tls")))
        .isInstanceOf(TrustFileException.class)
        .hasMessageStartingWith(key + ": mode 0604 (rw----r--): it holds a secret");
  }

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
