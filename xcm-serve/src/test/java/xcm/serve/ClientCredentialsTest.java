package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.serve.http.DoorLimits;
import xcm.serve.http.HttpDoor;
import xcm.serve.http.ServerTls;

/**
 * What the authentication step is given: the Basic credentials as sent, and over TLS the client's
 * certificate chain as the handshake verified it, for a door whose TLS comes from an SSLContext and
 * a client-auth mode.
 */
class ClientCredentialsTest {
  /** A door answering with what its caller presented: "user=...;chain=CN=...,...". */
  private static HttpDoor echo(Optional<ServerTls> tls) throws Exception {
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            ClientCredentials presented = JolokiaHandler.presented(request);
            String text =
                "user="
                    + presented.basic().map(JolokiaConfig.Credentials::user).orElse("-")
                    + ";chain="
                    + String.join(
                        ",",
                        presented.certificates().stream()
                            .map(X509Certificate::getSubjectX500Principal)
                            .map(Object::toString)
                            .toList())
                    + ";from="
                    + presented.address().getHostAddress();
            response.write(
                true, BufferUtil.toBuffer(text.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        };
    return HttpDoor.builder("echo", handler).limits(DoorLimits.defaults(1)).tls(tls).start();
  }

  private static String call(SSLContext ssl, String url, String credentials) throws Exception {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      client.sslContext(ssl);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return client.build().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void overTlsWantingACertificateTheChainIsPresentedBesideThePassword(@TempDir Path dir)
      throws Exception {
    Certificates certificates = new Certificates(dir);
    Path server = certificates.keyPair("server");
    certificates.keyPair("client");
    SSLContext context =
        new TlsConfig(
                server,
                Certificates.PASSWORD,
                certificates.trust("client"),
                Certificates.PASSWORD,
                false)
            .sslContext();
    try (HttpDoor door = echo(Optional.of(new ServerTls(context, ServerTls.ClientAuth.WANT)))) {
      String url = door.url("/");

      assertThat(call(certificates.client("server", "client"), url, "xcm:secret"))
          .isEqualTo("user=xcm;chain=CN=client;from=127.0.0.1");
      assertThat(call(certificates.client("server", null), url, "xcm:secret"))
          .as("no certificate: an empty chain")
          .isEqualTo("user=xcm;chain=;from=127.0.0.1");
    }
  }

  @Test
  void overTlsACertificateThatNamesNoHostStillServes(@TempDir Path dir) throws Exception {
    // A cluster certificate names its holder by urn:xcm: URIs only, no DNS name or address.
    Certificates certificates = new Certificates(dir);
    Path server = certificates.keyPair("coord1", "uri:urn:xcm:name:coord1");
    SSLContext context =
        new TlsConfig(server, Certificates.PASSWORD, null, null, false).sslContext();
    try (HttpDoor door = echo(Optional.of(new ServerTls(context, ServerTls.ClientAuth.NONE)))) {
      // A raw TLS socket: the JDK's HttpClient would check the name itself, as XCM's trust
      // managers do not (they check the urn:xcm: identity instead).
      try (SSLSocket socket =
          (SSLSocket)
              certificates
                  .client("coord1", null)
                  .getSocketFactory()
                  .createSocket("127.0.0.1", door.port())) {
        socket
            .getOutputStream()
            .write(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String answer =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("user=-;chain=;from=127.0.0.1");
      }
    }
  }

  @Test
  void overPlainHttpTheChainIsEmpty() throws Exception {
    try (HttpDoor door = echo(Optional.empty())) {
      assertThat(call(null, door.url("/"), "monitor:pass:word"))
          .isEqualTo("user=monitor;chain=;from=127.0.0.1");
      assertThat(call(null, door.url("/"), null)).isEqualTo("user=-;chain=;from=127.0.0.1");
    }
  }

  @Test
  void onlyAWellFormedBasicHeaderGivesAUserAndPassword() {
    assertThat(ClientCredentials.basic("Basic eGNtOnMzY3I6ZXQ="))
        .hasValue(new JolokiaConfig.Credentials("xcm", "s3cr:et"));
    assertThat(ClientCredentials.basic("basic eGNtOg=="))
        .hasValue(new JolokiaConfig.Credentials("xcm", ""));
    assertThat(ClientCredentials.basic(null)).isEmpty();
    assertThat(ClientCredentials.basic("Bearer eGNtOnNlY3JldA==")).isEmpty();
    assertThat(ClientCredentials.basic("Basic !!!not-base64")).isEmpty();
    assertThat(ClientCredentials.basic("Basic eGNt")).as("no colon").isEmpty();
    assertThat(
            ClientCredentials.basic(
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':'})))
        .as("not UTF-8")
        .isEmpty();
  }
}
