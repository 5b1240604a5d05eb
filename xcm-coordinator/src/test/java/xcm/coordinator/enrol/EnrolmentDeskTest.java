package xcm.coordinator.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.enrol.EnrolmentAnswer.Issued;
import xcm.coordinator.enrol.EnrolmentAnswer.Refused;
import xcm.coordinator.enrol.EnrolmentAnswer.Waiting;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.enrol.EnrolmentTokens;
import xcm.trust.enrol.FileTokenStore;
import xcm.trust.enrol.TokenStore;

/**
 * The desk on {@link EnrolledHosts}'s file; {@link JournalEnrolmentDeskTest} runs every test again
 * on the journal, the store a coordinator uses.
 */
class EnrolmentDeskTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String UUID_1 = "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60";
  private static final String UUID_2 = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

  @TempDir Path state;
  final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
  ClusterAuthority authority;
  private EnrolmentTokens tokens;
  EnrolmentDesk desk;
  private final List<Enrolled> announced = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    authority = ClusterAuthority.builder().directory(state.resolve("ca")).clock(clock).open();
    tokens = new EnrolmentTokens(tokenStore(), clock, RANDOM);
    desk = newDesk();
  }

  /** Where the desks of a test keep the hosts: one store, as coordinators share one. */
  EnrolledStore store() {
    return new EnrolledHosts(state).store(authority);
  }

  TokenStore tokenStore() throws IOException {
    return new FileTokenStore(state.resolve("ca"));
  }

  private EnrolmentDesk newDesk() {
    EnrolmentDesk d = new EnrolmentDesk(authority, tokens, store(), () -> 0, clock);
    d.onEnrolled(announced::add);
    return d;
  }

  static String csr(KeyPair key, String name) {
    return CertificateRequest.create(key, name, Optional.empty()).pem();
  }

  static EnrolmentRequest request(KeyPair key, String host, String uuid, String url) {
    return new EnrolmentRequest(
        host, url, uuid, csr(key, host), Optional.empty(), "127.0.0.1", Optional.empty());
  }

  static EnrolmentRequest withToken(EnrolmentRequest r, String token) {
    return new EnrolmentRequest(
        r.host(),
        r.url(),
        r.libvirtUuid(),
        r.certificateRequest(),
        Optional.of(token),
        r.from(),
        r.presentedBy());
  }

  @Test
  void aHostWithATokenForItsNameIsEnrolledAtOnceWithACertificateBindingNameAndUuid()
      throws Exception {
    KeyPair key = Keys.generate(RANDOM);
    String token = desk.issueToken("hv01", Duration.ofHours(1));

    EnrolmentAnswer answer =
        desk.submit(
            withToken(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/jolokia"), token));

    assertThat(answer).isInstanceOf(Issued.class);
    X509Certificate certificate = Pem.readCertificates(((Issued) answer).certificate()).get(0);
    certificate.verify(authority.certificate().getPublicKey());
    PeerIdentity identity = PeerIdentity.of(certificate);
    assertThat(identity.name()).isEqualTo("hv01");
    assertThat(identity.libvirtUuid()).contains(UUID.fromString(UUID_1));
    assertThat(certificate.getPublicKey()).isEqualTo(key.getPublic());
    assertThat(announced)
        .extracting(Enrolled::url)
        .containsExactly("https://10.0.0.1:8778/jolokia/");
  }

  @Test
  void aTokenIsUsedOnceAndOnlyForItsName() throws Exception {
    String token = desk.issueToken("hv01", Duration.ofHours(1));

    EnrolmentAnswer other =
        desk.submit(
            withToken(
                request(Keys.generate(RANDOM), "hv02", UUID_2, "https://10.0.0.2:8778/"), token));
    assertThat(other).isInstanceOf(Refused.class);
    assertThat(((Refused) other).reason()).isEqualTo(Refusal.BAD_TOKEN);

    assertThat(
            desk.submit(
                withToken(
                    request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"),
                    token)))
        .isInstanceOf(Issued.class);
    desk.revoke("hv01");
    EnrolmentAnswer again =
        desk.submit(
            withToken(
                request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"), token));
    assertThat(((Refused) again).reason()).isEqualTo(Refusal.BAD_TOKEN);
  }

  @Test
  void withoutATokenAHostWaitsUntilAnOperatorApprovesTheFingerprintOfItsKey() {
    KeyPair key = Keys.generate(RANDOM);
    EnrolmentRequest asked = request(key, "hv01", UUID_1, "https://10.0.0.1:8778/jolokia/");

    EnrolmentAnswer first = desk.submit(asked);
    assertThat(first).isInstanceOf(Waiting.class);
    String fingerprint = ((Waiting) first).fingerprint();
    assertThat(desk.waiting())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.host()).isEqualTo("hv01");
              assertThat(p.fingerprint()).isEqualTo(fingerprint);
              assertThat(p.from()).isEqualTo("127.0.0.1");
            });
    assertThat(desk.submit(asked)).isInstanceOf(Waiting.class);
    assertThat(desk.enrolled()).isEmpty();

    // As an operator types it: lower case, without the colons, only its start.
    String typed = fingerprint.substring("SHA256:".length(), 20).replace(":", "").toLowerCase();
    assertThat(desk.approve("hv01", typed)).isEqualTo(fingerprint);

    assertThat(desk.waiting()).isEmpty();
    assertThat(desk.submit(asked)).isInstanceOf(Issued.class);
    assertThat(announced).extracting(Enrolled::host).containsExactly("hv01");
  }

  @Test
  void approvalNamesTheWaitingKeysWhenTheFingerprintDoesNotPickOne() {
    desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.9:8778/"));

    assertThatThrownBy(() -> desk.approve("hv01", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 waiting requests of host hv01")
        .hasMessageContaining("SHA256:");
    assertThatThrownBy(() -> desk.approve("hv02", ""))
        .hasMessage("no enrolment request of host hv02 waits");
    assertThat(desk.enrolled()).isEmpty();
  }

  @Test
  void aSecondClaimantOfANameIsRefusedAndTheFirstKeepsIt() {
    KeyPair first = Keys.generate(RANDOM);
    desk.submit(request(first, "dmz01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("dmz01", "");

    EnrolmentAnswer rogue =
        desk.submit(request(Keys.generate(RANDOM), "dmz01", UUID_2, "https://10.6.6.6:8778/"));

    assertThat(rogue).isInstanceOf(Refused.class);
    assertThat(((Refused) rogue).reason()).isEqualTo(Refusal.NAME_TAKEN);
    assertThat(((Refused) rogue).message()).contains("host dmz01 is enrolled with another key");
    assertThat(desk.waiting()).isEmpty();
    assertThat(desk.enrolled("dmz01").orElseThrow().url()).isEqualTo("https://10.0.0.1:8778/");
    assertThatThrownBy(() -> desk.approve("dmz01", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLibvirtHostUuidBelongsToOneHostName() {
    desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");

    EnrolmentAnswer twin =
        desk.submit(request(Keys.generate(RANDOM), "hv02", UUID_1, "https://10.0.0.2:8778/"));

    assertThat(((Refused) twin).reason()).isEqualTo(Refusal.UUID_TAKEN);
    assertThat(((Refused) twin).message()).contains("enrolled as host hv01");
  }

  @Test
  void anEnrolledAgentMovesToAnotherUrlOnlyWhenItAsksWithItsCertificate() {
    KeyPair key = Keys.generate(RANDOM);
    desk.submit(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");
    EnrolmentRequest moved = request(key, "hv01", UUID_1, "https://10.0.0.1:9000/");

    EnrolmentAnswer unproven = desk.submit(moved);
    assertThat(((Refused) unproven).reason()).isEqualTo(Refusal.UNPROVEN_MOVE);
    assertThat(desk.enrolled("hv01").orElseThrow().url()).isEqualTo("https://10.0.0.1:8778/");

    EnrolmentAnswer proven =
        desk.submit(
            new EnrolmentRequest(
                moved.host(),
                moved.url(),
                moved.libvirtUuid(),
                moved.certificateRequest(),
                Optional.empty(),
                "10.0.0.1",
                Optional.of("hv01")));
    assertThat(proven).isInstanceOf(Issued.class);
    assertThat(desk.enrolled("hv01").orElseThrow().url()).isEqualTo("https://10.0.0.1:9000/");
  }

  @Test
  void whatAStrangerMakesItKeepIsBounded() {
    for (int i = 0; i < WaitingRoom.MAX_WAITING_PER_HOST; i++) {
      assertThat(desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://h:1/")))
          .isInstanceOf(Waiting.class);
    }
    EnrolmentAnswer fifth =
        desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://h:1/"));
    assertThat(((Refused) fifth).reason()).isEqualTo(Refusal.TOO_MANY_WAITING);
    assertThat(desk.waiting()).hasSize(WaitingRoom.MAX_WAITING_PER_HOST);
  }

  @Test
  void removingAHostRevokesItsCertificateAndFreesItsName() {
    KeyPair key = Keys.generate(RANDOM);
    desk.submit(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");
    String serial = desk.enrolled("hv01").orElseThrow().serial();

    assertThat(desk.revoke("hv01")).isTrue();

    assertThat(desk.revocations().isRevoked(new BigInteger(serial, 16))).isTrue();
    assertThat(desk.enrolled()).isEmpty();
    assertThat(
            desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/")))
        .isInstanceOf(Waiting.class);
  }

  @Test
  void enrolmentsSurviveARestart() {
    desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");

    EnrolmentDesk restarted = newDesk();

    assertThat(restarted.enrolled("hv01")).isPresent();
    assertThat(
            restarted.submit(
                request(Keys.generate(RANDOM), "hv01", UUID_2, "https://10.6.6.6:8778/")))
        .isInstanceOf(Refused.class);
  }

  @Test
  void theFileIsItsOwnersOnly() throws IOException {
    desk.submit(request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(new EnrolledHosts(state).file())))
        .isEqualTo("rw-------");
  }

  @Test
  void badFieldsAreRefusedNamingTheFieldAndNothingIsKept() {
    KeyPair key = Keys.generate(RANDOM);
    assertThat(refusal(request(key, "hv01", UUID_1, "http://10.0.0.1:8778/")))
        .contains("agent URL must be https");
    assertThat(refusal(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/jolokia/?x=1")))
        .contains("agent URL is refused: an agent URL has no query or fragment");
    assertThat(refusal(request(key, "hv01", "not-a-uuid", "https://10.0.0.1:8778/")))
        .contains("libvirt host UUID");
    assertThat(
            refusal(
                new EnrolmentRequest(
                    "hv01\nforged",
                    "https://10.0.0.1:8778/",
                    UUID_1,
                    csr(key, "hv01"),
                    Optional.empty(),
                    "127.0.0.1",
                    Optional.empty())))
        .contains("is not valid: use letters, digits");
    assertThat(
            refusal(
                new EnrolmentRequest(
                    "hv01",
                    "https://10.0.0.1:8778/",
                    UUID_1,
                    csr(key, "hv02"),
                    Optional.empty(),
                    "127.0.0.1",
                    Optional.empty())))
        .contains("the certificate request names hv02, not host hv01");
    assertThat(
            refusal(
                new EnrolmentRequest(
                    "hv01",
                    "https://10.0.0.1:8778/",
                    UUID_1,
                    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                    Optional.empty(),
                    "127.0.0.1",
                    Optional.empty())))
        .contains("the certificate request is unusable");
    assertThat(desk.waiting()).isEmpty();
  }

  private String refusal(EnrolmentRequest request) {
    EnrolmentAnswer answer = desk.submit(request);
    assertThat(answer).isInstanceOf(Refused.class);
    assertThat(((Refused) answer).reason()).isEqualTo(Refusal.INVALID);
    return ((Refused) answer).message();
  }
}
