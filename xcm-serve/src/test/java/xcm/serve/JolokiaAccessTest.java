package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a client is, from its password or from the certificate its TLS handshake showed. */
class JolokiaAccessTest {
  private static final Grants PEER = Grants.role("peer").exec(counter(), "add");
  private static final String OPERATOR =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("xcm:operator-secret".getBytes(StandardCharsets.UTF_8));

  @TempDir static Path dir;
  private static X509Certificate coordinator;
  private static X509Certificate agent;
  private static X509Certificate person;

  @BeforeAll
  static void certificates() throws Exception {
    Certificates made = new Certificates(dir);
    coordinator = certificate(made, "coordinator");
    agent = certificate(made, "agent");
    person = certificate(made, "person");
  }

  private static ObjectName counter() {
    try {
      return new ObjectName("test:type=Counter");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(Certificates made, String name) throws Exception {
    made.keyPair(name);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(made.trust(name))) {
      store.load(in, Certificates.PASSWORD.toCharArray());
    }
    return (X509Certificate) store.getCertificate(store.aliases().nextElement());
  }

  private final JolokiaAccess access =
      new JolokiaAccess(
          new JolokiaConfig("127.0.0.1", 0, "xcm", "operator-secret"),
          certificate ->
              certificate.equals(coordinator)
                  ? Optional.of(CertificateUsers.User.operator("coordinator:c1"))
                  : certificate.equals(agent)
                      ? Optional.of(CertificateUsers.User.limited("agent:dmz02", PEER))
                      : Optional.empty());

  private static ClientCredentials presented(String authorization, X509Certificate... chain) {
    return ClientCredentials.of(authorization, chain, InetAddress.getLoopbackAddress());
  }

  @Test
  void aCertificateStandsForTheUserItsProcessSaysWithoutAPassword() {
    assertThat(access.authenticate(presented(null, coordinator)))
        .hasValue(new JolokiaAccess.Caller("coordinator:c1", JolokiaAccess.Role.OPERATOR, null));
    assertThat(access.authenticate(presented(null, agent)))
        .hasValue(new JolokiaAccess.Caller("agent:dmz02", JolokiaAccess.Role.LIMITED, PEER));
  }

  @Test
  void aCertificateThatStandsForAUserIsThatUserWhateverPasswordComesWithIt() {
    assertThat(access.authenticate(presented(OPERATOR, agent)).map(JolokiaAccess.Caller::role))
        .hasValue(JolokiaAccess.Role.LIMITED);
  }

  @Test
  void aCertificateThatStandsForNobodyStillNeedsAPassword() {
    assertThat(access.authenticate(presented(null, person))).isEmpty();
    assertThat(access.authenticate(presented(OPERATOR, person)).map(JolokiaAccess.Caller::user))
        .hasValue("xcm");
    assertThat(access.authenticate(ClientCredentials.of(null, null, null))).isEmpty();
    assertThat(List.of(coordinator, agent, person)).doesNotHaveDuplicates();
  }
}
