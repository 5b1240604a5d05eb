package xcm.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.migration.PeerRole;
import xcm.serve.CertificateUsers;
import xcm.serve.http.HttpDoor;
import xcm.trust.HostCredentials;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/** An agent's trust with a real cluster authority: who its callers are, and when it answers. */
class AgentTrustTest {
  private static final UUID HOST_UUID = UUID.fromString("0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60");

  @TempDir Path dir;
  private ClusterAuthority authority;
  private AgentTrust trust;

  @BeforeEach
  void open() throws IOException {
    authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    trust = new AgentTrust(authority.certificate());
  }

  @Test
  void theCoordinatorIsTheOperatorAnotherAgentThePeerAndAPersonNobody() {
    CertificateUsers users = trust.jolokiaUsers();

    assertThat(users.of(authority.issueWithKey(Subject.coordinator("c1")).certificate()))
        .hasValue(CertificateUsers.User.operator("coordinator:c1"));
    assertThat(users.of(authority.issueWithKey(Subject.agent("dmz02", HOST_UUID)).certificate()))
        .hasValue(CertificateUsers.User.limited("agent:dmz02", PeerRole.GRANTS));
    assertThat(users.of(authority.issueWithKey(Subject.client("alice")).certificate())).isEmpty();
  }

  @Test
  void beforeItIsEnrolledTheAgentMigratesNothing() {
    assertThat(trust.isEnrolled()).isFalse();
    assertThatThrownBy(trust::peerClientTls)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not enrolled");
  }

  @Test
  void jolokiaCompletesNoHandshakeUntilEnrolledThenPresentsTheHostsCertificate() throws Exception {
    Handler ok =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            callback.succeeded();
            return true;
          }
        };
    HostCredentials coordinator = authority.issueWithKey(Subject.coordinator("c1"));
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(
                ClientTls.builder()
                    .credentials(coordinator)
                    .authority(authority.certificate())
                    .revocations(Revocations::none)
                    .expectServer(ExpectedPeer.role(Role.AGENT))
                    .build())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (HttpDoor door =
        HttpDoor.builder("jolokia", ok).tls(Optional.of(trust.provisionalServerTls())).start()) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(door.url("/"))).timeout(Duration.ofSeconds(5)).build();

      assertThatThrownBy(() -> client.send(get, HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(IOException.class);

      door.reloadTls(trust.enrolled(authority.issueWithKey(Subject.agent("dmz01", HOST_UUID))));

      assertThat(client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(trust.isEnrolled()).isTrue();
    }
  }
}
