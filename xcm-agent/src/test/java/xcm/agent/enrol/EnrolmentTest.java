package xcm.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.PeerIdentity;
import xcm.trust.Pem;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.key.HostKey;

/**
 * An agent enrolling with a coordinator played by {@link TestCoordinator} over real HTTPS: the
 * coordinator's answers, what the agent installs, what it refuses, and what it logs.
 */
class EnrolmentTest {
  private static final String HOST = "hv01";
  private static final String AGENT_URL = "https://hv01.example:8778/jolokia/";
  private static final UUID LIBVIRT = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  private static final String TOKEN = "xcm-enrol-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  @TempDir Path temp;
  private ClusterAuthority authority;
  private TestCoordinator coordinator;
  private Path keyDir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<HostCredentials> handedOver = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void coordinatorServes() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    authority = TestCoordinator.authority(temp.resolve("ca"));
    coordinator = keep(new TestCoordinator(authority, null));
    keyDir = temp.resolve("agent/tls");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    System.setErr(stderr);
    stderr.print(log.toString(StandardCharsets.UTF_8));
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private EnrolmentConfig config(TestCoordinator to, Optional<String> token) {
    return new EnrolmentConfig(
        List.of(URI.create(to.url())),
        temp.resolve("ca/ca.crt"),
        authority.certificate(),
        token,
        keyDir,
        Duration.ofMillis(50),
        Duration.ofMillis(20));
  }

  private Enrolment start(EnrolmentConfig config) throws Exception {
    return keep(Enrolment.start(config, HOST, AGENT_URL, LIBVIRT, handedOver::add));
  }

  private String logged() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aTokenEnrolsAtOnceAndTheCertificateIsInstalledOwnerOnly() throws Exception {
    coordinator.desk(
        request ->
            request.path("token").asText().equals(TOKEN)
                ? coordinator.enrol(request)
                : TestCoordinator.refused(403, "bad_token", "no token"));

    Enrolment enrolment = start(config(coordinator, Optional.of(TOKEN)));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    JsonNode request = coordinator.requests.get(0);
    assertThat(request.get("host").asText()).isEqualTo(HOST);
    assertThat(request.get("url").asText()).isEqualTo(AGENT_URL);
    assertThat(request.get("libvirtUuid").asText()).isEqualTo(LIBVIRT.toString());
    assertThat(request.get("token").asText()).isEqualTo(TOKEN);
    CertificateRequest csr = CertificateRequest.parse(request.get("certificateRequest").asText());
    assertThat(csr.name()).isEqualTo(HOST);
    assertThat(csr.libvirtUuid()).contains(LIBVIRT);
    assertThat(csr.keyFingerprint()).isEqualTo(enrolment.keyFingerprint());

    HostCredentials own = enrolment.credentials().orElseThrow();
    PeerIdentity identity = own.identity();
    assertThat(identity.role()).isEqualTo(Role.AGENT);
    assertThat(identity.name()).isEqualTo(HOST);
    assertThat(identity.libvirtUuid()).contains(LIBVIRT);
    assertThat(own.authority()).isEqualTo(authority.certificate());
    await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.size() == 1);
    assertThat(handedOver).containsExactly(own);
    assertThat(enrolment.problem()).isEmpty();

    assertThat(Pem.readCertificates(Files.readString(keyDir.resolve("host.crt"))))
        .containsExactly(own.certificate(), authority.certificate());
    for (String file : new String[] {"host.key", "host.crt"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir)))
        .isEqualTo("rwx------");
    assertThat(HostKey.open(keyDir).credentials()).contains(own);
    assertThat(logged())
        .contains(
            "enrolled as hv01 (certificate serial "
                + own.certificate().getSerialNumber().toString(16)
                + ", valid until "
                + own.certificate().getNotAfter().toInstant()
                + ")")
        .doesNotContain(TOKEN);
    assertThat(coordinator.requests).hasSize(1);
  }

  @Test
  void theTokenGoesWithEveryRequestUntilEnrolled() throws Exception {
    coordinator.desk(
        request ->
            coordinator.requests.size() < 3
                ? TestCoordinator.refused(429, "too_many_waiting", "full")
                : coordinator.enrol(request));

    Enrolment enrolment = start(config(coordinator, Optional.of(TOKEN)));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(coordinator.requests).hasSize(3);
    assertThat(coordinator.requests)
        .allSatisfy(r -> assertThat(r.get("token").asText()).isEqualTo(TOKEN));
    assertThat(
            coordinator.requests.stream().map(r -> r.get("certificateRequest").asText()).distinct())
        .as("one certificate request, asked again")
        .hasSize(1);
  }

  @Test
  void aWaitingHostAsksAgainEveryPollUntilAnOperatorApproves() throws Exception {
    Path approved = temp.resolve("approved");
    coordinator.desk(
        request ->
            Files.exists(approved) ? coordinator.enrol(request) : coordinator.waiting(request));

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() >= 4);
    String waiting =
        "hv01: waiting for an operator to approve this host: ./xcm hosts approve hv01"
            + " --fingerprint "
            + enrolment.keyFingerprint();
    assertThat(enrolment.enrolled()).isFalse();
    assertThat(enrolment.problem()).contains(waiting.substring("hv01: ".length()));
    assertThat(coordinator.requests).allSatisfy(r -> assertThat(r.has("token")).isFalse());
    Files.createFile(approved);

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(occurrences(logged(), waiting)).as(logged()).isEqualTo(1);
    assertThat(logged()).contains("WARN").contains("enrolled as hv01 (certificate serial ");
    assertThat(handedOver).hasSize(1);
  }

  @Test
  void aRefusedHostKeepsAskingWithBackOffAndLogsTheReasonOnce() throws Exception {
    coordinator.desk(
        request ->
            TestCoordinator.refused(
                403, "name_taken", "host hv01 is enrolled with another key (SHA256:AB)\nforged"));

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() >= 4);
    assertThat(enrolment.enrolled()).isFalse();
    assertThat(enrolment.problem())
        .contains(
            "the coordinator refused (name_taken): host hv01 is enrolled with another key"
                + " (SHA256:AB)\nforged");
    String line =
        "hv01: cannot enrol yet, retrying with back-off: the coordinator refused (name_taken):"
            + " host hv01 is enrolled with another key (SHA256:AB)\\nforged";
    assertThat(occurrences(logged(), line)).as(logged()).isEqualTo(1);
    assertThat(logged()).doesNotContain("\nforged");
    assertThat(Files.exists(keyDir.resolve("host.crt"))).isFalse();
    assertThat(handedOver).isEmpty();
  }

  @Test
  void aServerWithAnotherAuthoritysCertificateIsToldNothing() throws Exception {
    ClusterAuthority other = TestCoordinator.authority(temp.resolve("other-ca"));
    TestCoordinator impostor =
        keep(new TestCoordinator(other, other.issueWithKey(Subject.coordinator("coord1"))));
    impostor.desk(impostor::enrol);

    Enrolment enrolment = start(config(impostor, Optional.of(TOKEN)));

    await().atMost(Duration.ofSeconds(10)).until(() -> enrolment.problem().isPresent());
    assertThat(enrolment.problem().get())
        .startsWith("the server at " + impostor.url() + " is not this cluster's coordinator: ")
        .contains("UNTRUSTED_ISSUER");
    Thread.sleep(200);
    assertThat(impostor.requests).isEmpty();
    assertThat(enrolment.enrolled()).isFalse();
  }

  @Test
  void aServerOfThisClusterThatIsNotACoordinatorIsToldNothing() throws Exception {
    TestCoordinator agent =
        keep(
            new TestCoordinator(
                authority, authority.issueWithKey(Subject.agent("hv02", UUID.randomUUID()))));
    agent.desk(agent::enrol);

    Enrolment enrolment = start(config(agent, Optional.of(TOKEN)));

    await().atMost(Duration.ofSeconds(10)).until(() -> enrolment.problem().isPresent());
    assertThat(enrolment.problem().get())
        .contains("UNEXPECTED_PEER")
        .contains("has the role agent, expected coordinator");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void aCertificateForAnotherKeyIsNotInstalled() throws Exception {
    coordinator.desk(
        request ->
            coordinator.enrolled(
                Pem.certificates(authority.issueWithKey(Subject.agent(HOST, LIBVIRT)).chain())));

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() >= 3);
    assertThat(enrolment.enrolled()).isFalse();
    assertThat(enrolment.problem().orElseThrow())
        .startsWith(
            "the certificate the coordinator sent is not installed: the certificate is for"
                + " the key SHA256:")
        .endsWith(", not this host's " + enrolment.keyFingerprint());
    assertThat(Files.exists(keyDir.resolve("host.crt"))).isFalse();
    assertThat(handedOver).isEmpty();
  }

  @Test
  void aCertificateForAnotherNameIsNotInstalled() throws Exception {
    coordinator.desk(
        request -> {
          // This host's own key, but the name and UUID of another host.
          UUID otherUuid = UUID.fromString("00000000-0000-4000-8000-000000000002");
          CertificateRequest csr = HostKey.open(keyDir).request("hv02", Optional.of(otherUuid));
          return coordinator.enrolled(authority.issue(csr, Subject.agent("hv02", otherUuid)).pem());
        });

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() >= 3);
    assertThat(enrolment.enrolled()).isFalse();
    assertThat(enrolment.problem())
        .contains(
            "the certificate the coordinator sent is not installed: the certificate is for agent"
                + " hv02 (libvirt 00000000-0000-4000-8000-000000000002), not agent hv01 (libvirt "
                + LIBVIRT
                + ")");
    assertThat(Files.exists(keyDir.resolve("host.crt"))).isFalse();
  }

  @Test
  void anAnswerFromAnotherAuthorityIsNotInstalled() throws Exception {
    ClusterAuthority other = TestCoordinator.authority(temp.resolve("other-ca"));
    coordinator.desk(
        request -> {
          CertificateRequest csr =
              CertificateRequest.parse(request.get("certificateRequest").asText());
          return coordinator.enrolled(other.issue(csr, Subject.agent(HOST, LIBVIRT)).pem());
        });

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() >= 2);
    assertThat(enrolment.problem().orElseThrow())
        .contains("a certificate after this host's is ")
        .contains("not the cluster authority of " + temp.resolve("ca/ca.crt"));
    assertThat(Files.exists(keyDir.resolve("host.crt"))).isFalse();
  }

  @Test
  void anAnswerLargerThan64KiBIsNotRead() throws Exception {
    coordinator.desk(request -> new TestCoordinator.Answer(200, "x".repeat(100 * 1024)));

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(() -> enrolment.problem().isPresent());
    assertThat(enrolment.problem())
        .contains("the coordinator at " + coordinator.url() + " answered more than 64 KiB");
  }

  @Test
  void anAgentHoldingValidCredentialsUsesThemAtOnceAndStillTellsTheCoordinatorItsUrl()
      throws Exception {
    HostKey key = HostKey.open(keyDir);
    HostCredentials held =
        key.install(
            authority
                .issue(key.request(HOST, Optional.of(LIBVIRT)), Subject.agent(HOST, LIBVIRT))
                .chain());
    coordinator.desk(coordinator::enrol);

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    assertThat(enrolment.enrolled()).isTrue();
    assertThat(enrolment.credentials()).contains(held);
    assertThat(handedOver.get(0)).isEqualTo(held);
    // Asked once more, for an agent that may have moved to another URL since.
    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests.size() == 1);
  }

  @Test
  void anAgentHoldingAnotherHostsCertificateAsksForItsOwn() throws Exception {
    HostKey key = HostKey.open(keyDir);
    UUID otherUuid = UUID.randomUUID();
    key.install(
        authority
            .issue(key.request("hv02", Optional.of(otherUuid)), Subject.agent("hv02", otherUuid))
            .chain());
    coordinator.desk(coordinator::enrol);

    Enrolment enrolment = start(config(coordinator, Optional.empty()));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(coordinator.requests).hasSize(1);
    assertThat(enrolment.credentials().orElseThrow().identity().name()).isEqualTo(HOST);
    assertThat(logged()).contains("hv01: asks the coordinator for a new certificate");
  }
}
