package xcm.trust.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.Role;
import xcm.trust.tls.PeerRejectedException.Reason;

class TlsHandshakeTest {
  @TempDir Path temp;
  private TestCluster cluster;
  private HostCredentials hv01;
  private HostCredentials coord1;

  @BeforeEach
  void cluster() throws Exception {
    cluster = new TestCluster(temp.resolve("ca"));
    hv01 = cluster.agent("hv01");
    coord1 = cluster.coordinator("coord1");
  }

  @Test
  void twoMembersShakeHandsBothWaysOverTls13() throws Exception {
    Loopback.Outcome outcome =
        Loopback.exchange(cluster.serverContext(hv01), cluster.clientContext(coord1));

    assertThat(outcome.server().failure()).isNull();
    assertThat(outcome.server().received()).isEqualTo("hello");
    assertThat(outcome.server().peer().name()).isEqualTo("coord1");
    assertThat(outcome.server().peer().role()).isEqualTo(Role.COORDINATOR);
    assertThat(outcome.server().protocol()).isEqualTo("TLSv1.3");
    assertThat(outcome.client().received()).isEqualTo("ok");
    assertThat(outcome.client().peer().name()).isEqualTo("hv01");
    assertThat(outcome.client().peer().fingerprint()).isEqualTo(Fingerprint.of(hv01.certificate()));
  }

  @Test
  void serverRefusesAClientOfAnotherCluster() throws Exception {
    TestCluster other = new TestCluster(temp.resolve("other-ca"));
    SSLContext stranger =
        ClientTls.builder()
            .credentials(other.coordinator("coord1"))
            .authority(cluster.authority.certificate())
            .revocations(cluster.authority::revocations)
            .expectServer(ExpectedPeer.anyMember())
            .build();

    Loopback.Outcome outcome = Loopback.exchange(cluster.serverContext(hv01), stranger);

    assertThat(outcome.server().received()).isNull();
    assertThat(outcome.server().rejection().reason()).isEqualTo(Reason.UNTRUSTED_ISSUER);
    assertThat(outcome.server().rejection())
        .hasMessageContaining(
            "certificate of CN=coord1 was not issued by this cluster's authority, "
                + cluster.authority.certificate().getSubjectX500Principal().getName());
    assertThat(outcome.client().failure()).isNotNull();
    assertThat(cluster.rejected)
        .extracting(PeerRejectedException::reason)
        .containsExactly(Reason.UNTRUSTED_ISSUER);
  }

  @Test
  void clientRefusesAServerOfAnotherCluster() throws Exception {
    TestCluster other = new TestCluster(temp.resolve("other-ca"));
    SSLContext impostor =
        ServerTls.builder()
            .credentials(other.agent("hv01"))
            .authority(cluster.authority.certificate())
            .revocations(cluster.authority::revocations)
            .build();

    Loopback.Outcome outcome = Loopback.exchange(impostor, cluster.clientContext(coord1));

    assertThat(outcome.client().rejection().reason()).isEqualTo(Reason.UNTRUSTED_ISSUER);
    assertThat(outcome.server().received()).isNull();
    assertThat(outcome.server().failure()).isNotNull();
  }

  @Test
  void revokedClientIsRefused() throws Exception {
    cluster.authority.revoke(coord1.certificate().getSerialNumber());

    Loopback.Outcome outcome =
        Loopback.exchange(cluster.serverContext(hv01), cluster.clientContext(coord1));

    assertThat(outcome.server().received()).isNull();
    assertThat(outcome.server().rejection().reason()).isEqualTo(Reason.REVOKED);
    assertThat(outcome.server().rejection().identity().orElseThrow().name()).isEqualTo("coord1");
    assertThat(outcome.client().failure()).isNotNull();
  }

  @Test
  void revokedServerIsRefused() throws Exception {
    cluster.authority.revoke(hv01.certificate().getSerialNumber());

    Loopback.Outcome outcome =
        Loopback.exchange(cluster.serverContext(hv01), cluster.clientContext(coord1));

    assertThat(outcome.client().rejection().reason()).isEqualTo(Reason.REVOKED);
    assertThat(outcome.server().received()).isNull();
  }

  @Test
  void revocationHoldsForTheNextConnectionToTheSameServer() throws Exception {
    SSLContext client = cluster.clientContext(coord1);
    try (Loopback server = Loopback.serve(cluster.serverContext(hv01))) {
      assertThat(server.exchange(client).server().received()).isEqualTo("hello");

      cluster.authority.revoke(coord1.certificate().getSerialNumber());
      Loopback.Outcome again = server.exchange(client);

      assertThat(again.server().received()).isNull();
      assertThat(again.server().rejection().reason()).isEqualTo(Reason.REVOKED);
    }
  }

  @Test
  void everyConnectionIsCheckedAgainNoneResumed() throws Exception {
    List<PeerAddress> checks = new CopyOnWriteArrayList<>();
    SSLContext client = cluster.client(coord1, (address, peer) -> checks.add(address)).build();
    try (Loopback server = Loopback.serve(cluster.serverContext(hv01))) {
      for (int i = 0; i < 3; i++) {
        assertThat(server.exchange(client).client().received()).isEqualTo("ok");
      }
    }
    assertThat(checks).hasSize(3);
  }

  @Test
  void unexpectedServerIsRefusedBeforeTheClientSendsAByte() throws Exception {
    HostCredentials hv02 = cluster.agent("hv02");
    SSLContext client =
        cluster
            .client(coord1, ExpectedPeer.exactly("hv02", Fingerprint.of(hv02.certificate())))
            .build();

    Loopback.Outcome outcome = Loopback.exchange(cluster.serverContext(hv01), client);

    PeerRejectedException rejection = outcome.client().rejection();
    assertThat(rejection.reason()).isEqualTo(Reason.UNEXPECTED_PEER);
    assertThat(rejection.identity().orElseThrow().name()).isEqualTo("hv01");
    assertThat(rejection)
        .hasMessageMatching(
            "TLS peer at 127\\.0\\.0\\.1:\\d+ \\(agent hv01 .*\\) refused \\(UNEXPECTED_PEER\\):"
                + " is hv01, expected hv02");
    assertThat(outcome.server().received()).isNull();
    assertThat(outcome.server().failure()).isNotNull();
  }

  @Test
  void expectationIsGivenTheAddressConnectedTo() throws Exception {
    List<PeerAddress> seen = new CopyOnWriteArrayList<>();
    SSLContext client = cluster.client(coord1, (address, peer) -> seen.add(address)).build();

    Loopback.exchange(cluster.serverContext(hv01), client);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).host()).isEqualTo("127.0.0.1");
    assertThat(seen.get(0).port()).isPositive();
  }

  @Test
  void serverRefusesAMemberOfARoleItDoesNotExpect() throws Exception {
    SSLContext server =
        cluster.server(hv01).expectClient(ExpectedPeer.role(Role.COORDINATOR)).build();

    Loopback.Outcome outcome =
        Loopback.exchange(server, cluster.clientContext(cluster.agent("hv02")));

    assertThat(outcome.server().rejection().reason()).isEqualTo(Reason.UNEXPECTED_PEER);
    assertThat(outcome.server().rejection())
        .hasMessageEndingWith("has the role agent, expected coordinator");
    assertThat(outcome.server().received()).isNull();
  }

  @Test
  void clientWithoutCertificateIsRefusedUnderNeedAndUnknownUnderWant() throws Exception {
    Loopback.Outcome need =
        Loopback.exchange(cluster.serverContext(hv01), cluster.clientContext(null));
    assertThat(need.server().received()).isNull();
    assertThat(need.server().failure()).isNotNull();
    assertThat(need.client().failure()).isNotNull();

    Loopback.Outcome want =
        Loopback.exchange(
            cluster.server(hv01).clientAuth(ClientAuth.WANT).build(), cluster.clientContext(null));
    assertThat(want.server().received()).isEqualTo("hello");
    assertThat(want.server().peer()).isNull();
    assertThat(want.client().peer().name()).isEqualTo("hv01");
  }

  @Test
  void expiredClientCertificateIsRefused() throws Exception {
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
    SSLContext server = cluster.server(hv01).clock(later).build();

    Loopback.Outcome outcome = Loopback.exchange(server, cluster.clientContext(coord1));

    assertThat(outcome.server().rejection().reason()).isEqualTo(Reason.EXPIRED);
    assertThat(outcome.server().received()).isNull();
  }

  @Test
  void expectationThatFailsItselfRefusesThePeer() throws Exception {
    SSLContext client =
        cluster
            .client(
                coord1,
                (address, peer) -> {
                  throw new IllegalStateException("enrolment registry unavailable");
                })
            .build();

    Loopback.Outcome outcome = Loopback.exchange(cluster.serverContext(hv01), client);

    assertThat(outcome.client().rejection().reason()).isEqualTo(Reason.UNEXPECTED_PEER);
    assertThat(outcome.client().rejection()).hasMessageEndingWith("enrolment registry unavailable");
    assertThat(outcome.server().received()).isNull();
  }

  @Test
  void missingTrustSettingsAreNamedAtBuild() {
    assertThatThrownBy(() -> ClientTls.builder().authority(cluster.authority.certificate()).build())
        .hasMessage(
            "client TLS: revocations are required; give () -> Revocations.none() where there are"
                + " none");
    assertThatThrownBy(
            () ->
                ClientTls.builder()
                    .authority(cluster.authority.certificate())
                    .revocations(cluster.authority::revocations)
                    .build())
        .hasMessageStartingWith("client TLS: expectServer is required");
    assertThatThrownBy(() -> ServerTls.builder().authority(cluster.authority.certificate()).build())
        .hasMessage("server TLS: credentials are required: what it presents");
  }
}
