package xcm.coordinator.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.client.Credentials;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;
import xcm.trust.Subject;
import xcm.trust.tls.ExpectedPeer;
import xcm.trust.tls.PeerAddress;

/** How the coordinator tells the agent it enrolled at an address from anyone else there. */
class EnrolledAgentsTest {
  private static final String URL = "https://10.0.0.5:8778/jolokia/";
  private static final UUID HOST_UUID = UUID.fromString("0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60");

  @TempDir Path state;
  private EnrolmentDesk desk;
  private PeerIdentity dmz01;

  @BeforeEach
  void enrolDmz01() throws Exception {
    desk = EnrolmentDesk.open(state, Clock.systemUTC());
    KeyPair key = Keys.generate(new SecureRandom());
    String token = desk.issueToken("dmz01", Duration.ofMinutes(5));
    EnrolmentAnswer answer =
        desk.submit(
            new EnrolmentRequest(
                "dmz01",
                URL,
                HOST_UUID.toString(),
                CertificateRequest.create(key, "dmz01", Optional.of(HOST_UUID)).pem(),
                Optional.of(token),
                "10.0.0.5",
                Optional.empty()));
    dmz01 =
        PeerIdentity.of(
            Pem.readCertificates(((EnrolmentAnswer.Issued) answer).certificate()).get(0));
  }

  @Test
  void theAgentEnrolledAtTheAddressIsAccepted() throws Exception {
    EnrolledAgents.enrolledAt(desk).check(new PeerAddress("10.0.0.5", 8778), dmz01);
  }

  @Test
  void anotherMemberAtTheAddressOrTheAgentElsewhereIsRefused() throws Exception {
    PeerIdentity dmz02 =
        PeerIdentity.of(
            desk.authority().issueWithKey(Subject.agent("dmz02", HOST_UUID)).certificate());
    PeerIdentity dmz01Again =
        PeerIdentity.of(
            desk.authority().issueWithKey(Subject.agent("dmz01", HOST_UUID)).certificate());
    ExpectedPeer expected = EnrolledAgents.enrolledAt(desk);

    assertThatThrownBy(() -> expected.check(new PeerAddress("10.0.0.5", 8778), dmz02))
        .isInstanceOf(CertificateException.class)
        .hasMessage("is dmz02, but host dmz01 is enrolled at 10.0.0.5:8778");
    assertThatThrownBy(() -> expected.check(new PeerAddress("10.0.0.5", 8778), dmz01Again))
        .hasMessageContaining("presents certificate serial");
    assertThatThrownBy(() -> expected.check(new PeerAddress("10.0.0.6", 8778), dmz01))
        .hasMessage("no host is enrolled at 10.0.0.6:8778");
  }

  @Test
  void anEnrolledAgentIsSentNoPasswordAndAnotherURLNothingAtAll() {
    Credentials credentials = EnrolledAgents.credentials(desk);

    assertThat(credentials.authorization(URL)).isNull();
    assertThatThrownBy(() -> credentials.authorization("http://10.0.0.9:8778/jolokia/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no host is enrolled at http://10.0.0.9:8778/jolokia/: hosts join by enrolment"
                + " (./xcm hosts)");
  }
}
