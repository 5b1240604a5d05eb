package xcm.trust.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import xcm.trust.HostCredentials;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;

/** A cluster authority of its own, and the contexts its members would build. */
final class TestCluster {
  final ClusterAuthority authority;
  final CopyOnWriteArrayList<PeerRejectedException> rejected = new CopyOnWriteArrayList<>();

  TestCluster(Path directory) throws Exception {
    this.authority = ClusterAuthority.builder().directory(directory).open();
  }

  HostCredentials agent(String name) {
    return authority.issueWithKey(Subject.agent(name, UUID.randomUUID()));
  }

  HostCredentials coordinator(String name) {
    return authority.issueWithKey(Subject.coordinator(name));
  }

  ServerTls server(HostCredentials credentials) {
    return ServerTls.builder()
        .credentials(credentials)
        .authority(authority.certificate())
        .revocations(authority::revocations)
        .onRejection(rejected::add);
  }

  ClientTls client(HostCredentials credentials, ExpectedPeer expected) {
    ClientTls client =
        ClientTls.builder()
            .authority(authority.certificate())
            .revocations(authority::revocations)
            .expectServer(expected)
            .onRejection(rejected::add);
    return credentials == null ? client : client.credentials(credentials);
  }

  SSLContext serverContext(HostCredentials credentials) {
    return server(credentials).build();
  }

  SSLContext clientContext(HostCredentials credentials) {
    return client(credentials, ExpectedPeer.anyMember()).build();
  }

  static Clock clock() {
    return Clock.systemUTC();
  }
}
