package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.serve.http.DoorLimits;
import xcm.serve.http.RawHttp;
import xcm.serve.http.SlowClients;

/**
 * Jolokia on its door, as the attack on main tried it: slow connections, bodies a parser chokes on,
 * pages of other web origins, JSONP. One request thread, as an agent has.
 */
class JolokiaUnderAbuseTest {
  private static final String POLICY = "classpath:/xcm/serve/test-access.xml";
  private static final String OPERATOR = "xcm:operator-secret";
  private static final String INCREMENT =
      "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"increment\"}";
  private static final String GRAFANA = "http://grafana.example.org:3000";
  private static final List<String> ATTACKERS =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MBeanServer server;
  private Counter counter;
  private JolokiaEndpoint jolokia;

  /** One request thread; slow clients kept for 30 s unless a test says otherwise. */
  private static JolokiaConfig config(CorsOrigins cors) {
    return new JolokiaConfig(
        "127.0.0.1",
        0,
        "xcm",
        "operator-secret",
        Optional.empty(),
        List.of(),
        JolokiaConfig.DEFAULT_MAX_BODY,
        Optional.empty(),
        DoorLimits.defaults(1).withHeaderTimeout(Duration.ofSeconds(30)),
        JsonLimits.DEFAULTS,
        cors);
  }

  @BeforeEach
  void start() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    counter = new Counter();
    server.registerMBean(counter, new ObjectName("test:type=Counter"));
    jolokia = JolokiaEndpoint.start("abuse", POLICY, config(CorsOrigins.NONE));
  }

  @AfterEach
  void stop() {
    jolokia.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(OPERATOR.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> post(HttpRequest.Builder request, String body) throws Exception {
    return http.send(
        request
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAuthenticatedRequestIsAnsweredWithin1sWhile50SlowConnectionsAreHeldOpen()
      throws Exception {
    int port = jolokia.port();
    try (SlowClients slow =
        SlowClients.open(port, 50, ATTACKERS, "POST /jolokia/ HTTP/1.1\r\nHost: x\r\n")) {
      Thread.sleep(2500);
      assertThat(slow.open()).isEqualTo(50);

      for (int i = 1; i <= 5; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = post(request(jolokia.url()), INCREMENT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).path("value").asInt()).isEqualTo(i);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
      }
      assertThat(slow.dropped()).as("every slow connection stayed open").isZero();
      assertThat(jolokia.refusedConnections()).isZero();
    }
  }

  @Test
  void overTlsAClientThatNeverFinishesItsHandshakeIsDropped(@TempDir Path dir) throws Exception {
    Certificates certificates = new Certificates(dir);
    TlsConfig tls =
        new TlsConfig(certificates.keyPair("server"), Certificates.PASSWORD, null, null, false);
    JolokiaConfig plain = config(CorsOrigins.NONE);
    JolokiaConfig https =
        new JolokiaConfig(
            plain.address(),
            plain.port(),
            plain.user(),
            plain.password(),
            plain.monitor(),
            plain.limited(),
            plain.maxBodyBytes(),
            Optional.of(tls),
            DoorLimits.defaults(1).withHeaderTimeout(Duration.ofSeconds(1)),
            plain.json(),
            plain.cors());
    try (JolokiaEndpoint secure = JolokiaEndpoint.start("abuse-tls", POLICY, https);
        RawHttp stranger = new RawHttp("127.0.0.2", secure.port())) {
      // The first bytes of a TLS record, then nothing more.
      stranger.send("\u0016\u0003\u0001");

      assertThat(stranger.closedWithin(4000)).isTrue();
      assertThat(secure.timedOutConnections()).isEqualTo(1);
    }
  }

  @Test
  void aMegabyteOfNestedBracketsIsRefusedWith400BeforeAnyParserRuns() throws Exception {
    HttpResponse<String> response = post(request(jolokia.url()), "[".repeat(1 << 20));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Http.json(response).path("error").asText())
        .isEqualTo("the request is not JSON: JSON nested deeper than 20 levels (at byte 20)");
    assertThat(Http.json(post(request(jolokia.url()), INCREMENT)).path("value").asInt())
        .isEqualTo(1);
  }

  @Test
  void aBulkRequestOfMoreElementsThanTheLimitIsRefusedWith400() throws Exception {
    String bulk = "[" + ("{\"type\":\"version\"},".repeat(1000)) + "{\"type\":\"version\"}]";

    HttpResponse<String> response = post(request(jolokia.url()), bulk);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Http.json(response).path("error").asText())
        .startsWith("the request is not JSON: JSON array or object of more than 1000 elements");
  }

  @Test
  void bracketsInsideStringsAreText() throws Exception {
    String inString = "[\\\"" + "[".repeat(100) + "{{{";
    JsonNode reply =
        Http.json(
            post(
                request(jolokia.url()),
                "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                    + "\"arguments\":[\""
                    + inString
                    + "\"]}"));

    assertThat(reply.path("error").asText()).doesNotContain("nested deeper");
  }

  @Test
  void withoutCorsARequestFromABrowserPageIsRefusedAndItsOriginNeverEchoed() throws Exception {
    HttpResponse<String> response =
        post(request(jolokia.url()).header("Origin", "https://evil.example"), INCREMENT);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(Http.json(response).path("error").asText())
        .isEqualTo(
            "origin https://evil.example may not call this process from a browser (CORS is on"
                + " only for the origins of jolokia.cors.origin)");
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void withAConfiguredOriginOnlyThatOriginGetsCorsAnswers() throws Exception {
    jolokia.close();
    jolokia =
        JolokiaEndpoint.start("abuse-cors", POLICY, config(new CorsOrigins(List.of(GRAFANA))));

    HttpResponse<String> allowed =
        post(request(jolokia.url()).header("Origin", GRAFANA), INCREMENT);
    HttpResponse<String> other =
        post(
            request(jolokia.url()).header("Origin", "http://grafana.example.org:3000.evil"),
            INCREMENT);
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create(jolokia.url()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", GRAFANA)
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> otherPreflight =
        http.send(
            HttpRequest.newBuilder(URI.create(jolokia.url()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "null")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(GRAFANA);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(other.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(GRAFANA);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("GET, POST");
    assertThat(otherPreflight.statusCode()).isEqualTo(403);
    assertThat(otherPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(counter.getCount()).isEqualTo(1);
  }

  @Test
  void jsonpIsNotServed() throws Exception {
    HttpResponse<String> get =
        http.send(
            request(jolokia.url() + "read/test:type=Counter/Count?callback=steal").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> post = post(request(jolokia.url() + "?callback=steal"), INCREMENT);

    for (HttpResponse<String> response : List.of(get, post)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).doesNotStartWith("steal");
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(Http.json(response).path("error").asText()).startsWith("JSONP (callback=)");
    }
    assertThat(counter.getCount()).isZero();
  }
}
