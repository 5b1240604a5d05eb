package xcm.trust.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.PeerIdentity;
import xcm.trust.tls.PeerRejectedException.Reason;

/**
 * The JDK's HttpClient (which asks for "HTTPS" endpoint identification) against the JDK's
 * HttpsServer given nothing but the server context: certificates that name no DNS host, the
 * identity checked by the caller, client certificates required without the server asking.
 */
class HttpClientTlsTest {
  @TempDir Path temp;
  private TestCluster cluster;
  private HostCredentials hv01;
  private HostCredentials coord1;
  private HttpsServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private URI uri;

  @BeforeEach
  void agentServes() throws Exception {
    cluster = new TestCluster(temp.resolve("ca"));
    hv01 = cluster.agent("hv01");
    coord1 = cluster.coordinator("coord1");
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(cluster.serverContext(hv01)));
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          String caller;
          try {
            caller =
                PeerIdentity.of(
                        (X509Certificate)
                            ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .toString();
          } catch (Exception e) {
            caller = "unknown: " + e;
          }
          byte[] body = ("hello " + caller).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static HttpClient http(SSLContext tls) {
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpResponse<String> get(HttpClient http, URI uri)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void coordinatorTalksToAgentByItsCertificateNotItsHostName() throws Exception {
    List<PeerAddress> addresses = new CopyOnWriteArrayList<>();
    ExpectedPeer enrolled =
        ExpectedPeer.exactly("hv01", Fingerprint.of(hv01.certificate()))
            .and((address, peer) -> addresses.add(address));
    HttpClient http = http(cluster.client(coord1, enrolled).build());

    HttpResponse<String> first = get(http, uri);
    HttpResponse<String> second = get(http, uri.resolve("/jolokia/read"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).startsWith("hello coordinator coord1 SHA256:");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(requests).hasValue(2);
    assertThat(addresses)
        .first()
        .isEqualTo(new PeerAddress("127.0.0.1", server.getAddress().getPort()));
  }

  @Test
  void unexpectedAgentGetsNoRequest() throws Exception {
    HostCredentials hv02 = cluster.agent("hv02");
    HttpClient http =
        http(
            cluster
                .client(coord1, ExpectedPeer.exactly("hv02", Fingerprint.of(hv02.certificate())))
                .build());

    assertThatThrownBy(() -> get(http, uri))
        .isInstanceOf(IOException.class)
        .satisfies(
            e ->
                assertThat(PeerRejectedException.in(e).orElseThrow().reason())
                    .isEqualTo(Reason.UNEXPECTED_PEER));
    assertThat(requests).hasValue(0);
  }

  @Test
  void callerOfAnotherClusterOrWithoutCertificateGetsNoAnswer() throws Exception {
    TestCluster other = new TestCluster(temp.resolve("other-ca"));
    SSLContext stranger =
        ClientTls.builder()
            .credentials(other.coordinator("coord1"))
            .authority(cluster.authority.certificate())
            .revocations(cluster.authority::revocations)
            .expectServer(ExpectedPeer.anyMember())
            .build();

    assertThatThrownBy(() -> get(http(stranger), uri)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(http(cluster.clientContext(null)), uri))
        .isInstanceOf(IOException.class);
    assertThat(requests).hasValue(0);
    assertThat(cluster.rejected)
        .extracting(PeerRejectedException::reason)
        .contains(Reason.UNTRUSTED_ISSUER);
  }
}
