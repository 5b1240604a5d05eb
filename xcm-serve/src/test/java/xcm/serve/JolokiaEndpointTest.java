package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jolokia as XCM serves it: users with roles, the access policy, size limits, TLS. */
class JolokiaEndpointTest {
  private static final String POLICY = "classpath:/xcm/serve/test-access.xml";
  private static final String OPERATOR = "xcm:operator-secret";
  private static final String MONITOR = "watcher:monitor-secret";
  private static final String REGISTRAR = "agents:registrar-secret";
  private static final String PEER = "peers:peer-secret";
  private static final String INCREMENT =
      "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"increment\"}";

  private final Http http = new Http();
  private MBeanServer server;
  private Counter counter;
  private Counter other;
  private JolokiaEndpoint jolokia;

  static JolokiaConfig config(Optional<TlsConfig> tls) throws MalformedObjectNameException {
    return new JolokiaConfig(
        "127.0.0.1",
        0,
        "xcm",
        "operator-secret",
        Optional.of(new JolokiaConfig.Credentials("watcher", "monitor-secret")),
        List.of(
            new JolokiaConfig.LimitedUser(
                new JolokiaConfig.Credentials("agents", "registrar-secret"),
                Grants.role("registration")
                    .exec(ObjectName.getInstance("test:type=Counter"), "add")),
            new JolokiaConfig.LimitedUser(
                new JolokiaConfig.Credentials("peers", "peer-secret"),
                Grants.role("peer")
                    .exec(ObjectName.getInstance("test:type=Counter"), "increment", "add")
                    .read(ObjectName.getInstance("test:type=Counter")))),
        4096,
        tls);
  }

  @BeforeEach
  void start() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    counter = new Counter();
    server.registerMBean(counter, new ObjectName("test:type=Counter"));
    other = new Counter();
    server.registerMBean(other, new ObjectName("test:type=Counter,name=other"));
    jolokia = JolokiaEndpoint.start("test", POLICY, config(Optional.empty()));
  }

  @AfterEach
  void stop() {
    jolokia.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private JsonNode post(String credentials, String body) throws Exception {
    HttpResponse<String> response = http.post(jolokia.url(), credentials, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Http.json(response);
  }

  @Test
  void theOperatorReadsAndExecutesWhatThePolicyAllows() throws Exception {
    assertThat(post(OPERATOR, INCREMENT).path("value").asInt()).isEqualTo(1);
    JsonNode read =
        post(
            OPERATOR,
            "{\"type\":\"read\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Count\"}");
    assertThat(read.path("value").asInt()).isEqualTo(1);
    JsonNode write =
        post(
            OPERATOR,
            "{\"type\":\"write\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Limit\","
                + "\"value\":3}");
    assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(200);
    assertThat(counter.getLimit()).isEqualTo(3);
  }

  @Test
  void theMonitorReadsListsAndSearchesButExecutesAndWritesNothing() throws Exception {
    JsonNode replies =
        post(
            MONITOR,
            "[{\"type\":\"read\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Count\"},"
                + "{\"type\":\"list\",\"path\":\"test\"},"
                + "{\"type\":\"search\",\"mbean\":\"test:*\"},"
                + "{\"type\":\"version\"},"
                + INCREMENT
                + ",{\"type\":\"write\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Limit\","
                + "\"value\":3}]");

    for (int i = 0; i < 4; i++) {
      assertThat(replies.get(i).path("status").asInt())
          .as(replies.get(i).toString())
          .isEqualTo(200);
    }
    assertThat(replies.get(4).path("status").asInt()).isEqualTo(403);
    assertThat(replies.get(4).path("error").asText())
        .isEqualTo(
            "user watcher has the read-only monitor role (read, list, search, version): exec of"
                + " test:type=Counter increment refused");
    assertThat(replies.get(5).path("status").asInt()).isEqualTo(403);
    assertThat(counter.getCount()).isZero();
    assertThat(counter.getLimit()).isEqualTo(10);
  }

  @Test
  void theMonitorCannotExecuteThroughGetUrlsEither() throws Exception {
    for (String path :
        new String[] {
          "exec/test:type=Counter/increment",
          "?p=/exec/test:type=Counter/increment",
          "write/test:type=Counter/Limit/3",
          "%65xec/test:type=Counter/increment"
        }) {
      HttpResponse<String> response = http.get(jolokia.url() + path, MONITOR);
      JsonNode reply = Http.json(response);
      assertThat(reply.path("status").asInt()).as(path + ": " + reply).isNotEqualTo(200);
    }
    assertThat(counter.getCount()).isZero();
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(
            Http.json(http.get(jolokia.url() + "exec/test:type=Counter/increment", OPERATOR))
                .path("value")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void theRegistrarExecutesItsOneOperationAndNothingElseAlsoInABulkRequest() throws Exception {
    JsonNode replies =
        post(
            REGISTRAR,
            "[{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                + "\"arguments\":[2]},"
                + INCREMENT
                + ",{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"broken\"},"
                + "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"},"
                + "{\"type\":\"read\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Count\"},"
                + "{\"type\":\"write\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Limit\","
                + "\"value\":3},"
                + "{\"type\":\"list\",\"path\":\"test\"},"
                + "{\"type\":\"search\",\"mbean\":\"test:*\"},"
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter,name=other\","
                + "\"operation\":\"add\",\"arguments\":[1]},"
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add(int)\","
                + "\"arguments\":[3]}]");

    assertThat(replies.get(0).path("value").asInt()).as(replies.get(0).toString()).isEqualTo(2);
    assertThat(replies.get(1).path("status").asInt()).isEqualTo(403);
    assertThat(replies.get(1).path("error").asText())
        .isEqualTo(
            "user agents has the registration role (exec of test:type=Counter add, version): exec of"
                + " test:type=Counter increment refused");
    for (int i = 2; i < 9; i++) {
      assertThat(replies.get(i).path("status").asInt())
          .as(replies.get(i).toString())
          .isEqualTo(403);
      assertThat(replies.get(i).path("error").asText())
          .as(replies.get(i).toString())
          .startsWith("user agents has the registration role");
    }
    assertThat(replies.get(9).path("value").asInt()).as(replies.get(9).toString()).isEqualTo(5);
    assertThat(counter.getCount()).isEqualTo(5);
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(post(REGISTRAR, "{\"type\":\"version\"}").path("status").asInt())
        .as("Jolokia answers the version to every user it lets in")
        .isEqualTo(200);
  }

  @Test
  void theRegistrarCannotDoMoreThroughGetUrlsEither() throws Exception {
    for (String path :
        new String[] {
          "exec/test:type=Counter/increment",
          "?p=/exec/test:type=Counter/increment",
          "read/test:type=Counter/Count",
          "write/test:type=Counter/Limit/3",
          "list/test",
          "search/test:*"
        }) {
      JsonNode reply = Http.json(http.get(jolokia.url() + path, REGISTRAR));
      assertThat(reply.path("status").asInt()).as(path + ": " + reply).isEqualTo(403);
    }
    assertThat(counter.getCount()).isZero();
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(
            Http.json(http.get(jolokia.url() + "exec/test:type=Counter/add/4", REGISTRAR))
                .path("value")
                .asInt())
        .isEqualTo(4);
  }

  @Test
  void aLimitedRoleExecutesAndReadsWhatItsGrantsNameAndNothingElseAlsoInABulkRequest()
      throws Exception {
    JsonNode replies =
        post(
            PEER,
            "["
                + INCREMENT
                + ",{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add(int)\","
                + "\"arguments\":[2]},"
                + "{\"type\":\"read\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Count\"},"
                + "{\"type\":\"read\",\"mbean\":\"test:type=Counter\"},"
                + "{\"type\":\"version\"},"
                // Refused from here on.
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"broken\"},"
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter,name=other\","
                + "\"operation\":\"increment\"},"
                + "{\"type\":\"read\",\"mbean\":\"test:type=Counter,name=other\","
                + "\"attribute\":\"Count\"},"
                + "{\"type\":\"read\",\"mbean\":\"test:*\"},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"},"
                + "{\"type\":\"write\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Limit\","
                + "\"value\":3},"
                + "{\"type\":\"list\",\"path\":\"test\"},"
                + "{\"type\":\"search\",\"mbean\":\"test:*\"}]");

    assertThat(replies.get(0).path("value").asInt()).as(replies.get(0).toString()).isEqualTo(1);
    assertThat(replies.get(1).path("value").asInt()).as(replies.get(1).toString()).isEqualTo(3);
    assertThat(replies.get(2).path("value").asInt()).as(replies.get(2).toString()).isEqualTo(3);
    assertThat(replies.get(3).path("value").path("Limit").asInt())
        .as(replies.get(3).toString())
        .isEqualTo(10);
    assertThat(replies.get(4).path("status").asInt()).isEqualTo(200);
    assertThat(replies.get(5).path("error").asText())
        .isEqualTo(
            "user peers has the peer role (exec of test:type=Counter increment/add, read of"
                + " test:type=Counter, version): exec of test:type=Counter broken refused");
    assertThat(replies.get(6).path("error").asText())
        .endsWith(": exec of test:type=Counter,name=other increment refused");
    assertThat(replies.get(7).path("error").asText())
        .endsWith(": read of test:type=Counter,name=other Count refused");
    for (int i = 5; i < replies.size(); i++) {
      assertThat(replies.get(i).path("status").asInt())
          .as(replies.get(i).toString())
          .isEqualTo(403);
      assertThat(replies.get(i).path("error").asText())
          .as(replies.get(i).toString())
          .startsWith("user peers has the peer role (");
    }
    assertThat(counter.getCount()).isEqualTo(3);
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(other.getCount()).isZero();
    assertThat(counter.callers()).containsExactly("peers", "peers");
  }

  @Test
  void aLimitedRoleCannotDoMoreThroughGetUrlsEither() throws Exception {
    for (String path :
        new String[] {
          "exec/test:type=Counter/broken",
          "exec/test:type=Counter,name=other/increment",
          "?p=/exec/test:type=Counter,name=other/increment",
          "%65xec/test:type=Counter,name=other/increment",
          "read/test:type=Counter,name=other/Count",
          "read/test:*/Count",
          "write/test:type=Counter/Limit/3",
          "list/test",
          "search/test:*"
        }) {
      JsonNode reply = Http.json(http.get(jolokia.url() + path, PEER));
      assertThat(reply.path("status").asInt()).as(path + ": " + reply).isNotEqualTo(200);
    }
    assertThat(other.getCount()).isZero();
    assertThat(counter.getCount()).isZero();
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(
            Http.json(http.get(jolokia.url() + "exec/test:type=Counter/increment", PEER))
                .path("value")
                .asInt())
        .isEqualTo(1);
    assertThat(
            Http.json(http.get(jolokia.url() + "read/test:type=Counter/Count", PEER))
                .path("value")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void grantsNameExactMBeansAndOperationsByName() throws Exception {
    assertThatThrownBy(() -> Grants.role("peer").read(ObjectName.getInstance("test:*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant MBeans by their exact name, found: test:*");
    assertThatThrownBy(
            () -> Grants.role("peer").exec(ObjectName.getInstance("test:type=Counter"), "add(int)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant an operation by its name alone, found: \"add(int)\"");
    assertThat(Grants.role("nothing").describe()).isEqualTo("version");
  }

  @Test
  void requestsWithoutTheRightCredentialsAreRefusedWith401() throws Exception {
    String read = jolokia.url() + "read/test:type=Counter/Count";
    assertThat(http.get(read, null).statusCode()).isEqualTo(401);
    assertThat(http.get(read, "xcm:monitor-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "watcher:operator-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "nobody:operator-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "agents:operator-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "xcm:registrar-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "xcm:peer-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "peers:operator-secret").statusCode()).isEqualTo(401);
    assertThat(http.get(read, "xcm:operator-secret").statusCode()).isEqualTo(200);
    assertThat(http.get(read, MONITOR).statusCode()).isEqualTo(200);
  }

  @Test
  void everyPathUnderTheContextNeedsCredentials() throws Exception {
    // Jolokia's own JolokiaServer serves /jolokia/config without authentication, and executes
    // requests POSTed to it.
    for (String path : new String[] {"config", "config/", "", "version", "../jolokia/"}) {
      assertThat(http.post(jolokia.url() + path, null, INCREMENT).statusCode())
          .as(path)
          .isEqualTo(401);
      assertThat(http.get(jolokia.url() + path, null).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void theWellKnownCodeExecutionPathsAreRefusedEvenToTheOperator() throws Exception {
    JsonNode replies =
        post(
            OPERATOR,
            "[{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"jvmtiAgentLoad\",\"arguments\":[\"/tmp/x.so\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/xcm-serve-heap.hprof\",true]},"
                + "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}]");
    for (JsonNode reply : replies) {
      assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(403);
    }
    assertThat(Path.of("/tmp/xcm-serve-heap.hprof")).doesNotExist();
  }

  @Test
  void bodiesOverTheLimitAreRefusedWith413BeforeJolokiaParsesThem() throws Exception {
    String big = "[" + (INCREMENT + ",").repeat(100) + INCREMENT + "]";
    HttpResponse<String> response = http.post(jolokia.url(), OPERATOR, big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Http.json(response).path("error").asText())
        .isEqualTo("request body larger than 4096 bytes");
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void anOperationRefusingItsArgumentsIsAnsweredWithStatus400AndItsMessage() throws Exception {
    JsonNode replies =
        post(
            OPERATOR,
            "[{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                + "\"arguments\":[-2]},"
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                + "\"arguments\":[2]},"
                + "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"broken\"}]");

    assertThat(replies.get(0).path("status").asInt()).isEqualTo(400);
    assertThat(replies.get(0).path("error_type").asText())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(replies.get(0).path("error").asText()).isEqualTo("cannot add -2: only 0 or more");
    assertThat(replies.get(1).path("status").asInt()).isEqualTo(200);
    assertThat(replies.get(1).path("value").asInt()).isEqualTo(2);
    assertThat(replies.get(2).path("status").asInt()).as("a fault stays a 500").isEqualTo(500);
    JsonNode single =
        post(
            OPERATOR,
            "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                + "\"arguments\":[-1]}");
    assertThat(single.path("status").asInt()).isEqualTo(400);
    HttpResponse<String> get = http.get(jolokia.url() + "exec/test:type=Counter/add/-3", OPERATOR);
    assertThat(Http.json(get).path("status").asInt()).isEqualTo(400);
  }

  @Test
  void jolokiasOwnPlainTextErrorsReachTheClientWhateverTheirCharacters() throws Exception {
    // Jolokia declares such an answer's length in characters and writes UTF-8 bytes.
    HttpResponse<String> response =
        http.post(
            jolokia.url(),
            OPERATOR,
            "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
                + "\"arguments\":[-9223372036854775808, \"домен😀\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("домен😀");
  }

  @Test
  void aMalformedAuthorizationHeaderIsRefusedWith401() throws Exception {
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(jolokia.url()))
                    .header("Authorization", "Basic !!!not-base64")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(INCREMENT))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void operationsRunAsTheAuthenticatedUserWithTheUserAgentItsClientSent() throws Exception {
    // The coordinator's audit log tells who asked (and the CLI from curl) by this subject.
    String caller = "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"caller\"}";

    HttpResponse<String> cli = http.post(jolokia.url(), OPERATOR, caller, "xcm-cli");
    HttpResponse<String> other = http.post(jolokia.url(), OPERATOR, caller, "curl/8.5.0");

    assertThat(Http.json(cli).path("value").asText()).isEqualTo("[xcm (xcm-cli)]");
    assertThat(Http.json(other).path("value").asText()).isEqualTo("[xcm (curl/8.5.0)]");
    assertThat(counter.caller()).as("outside a request").isEqualTo("nobody");
  }

  @Test
  void concurrentRequestsEachRunAsTheirOwnCaller() throws Exception {
    // The JDK 17 server keeps one attribute map per context, shared by every exchange.
    String caller = "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"caller\"}";
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> mismatches = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String userAgent = "client-" + i;
        mismatches.add(
            clients.submit(
                () -> {
                  String seen =
                      Http.json(http.post(jolokia.url(), OPERATOR, caller, userAgent))
                          .path("value")
                          .asText();
                  return seen.equals("[xcm (" + userAgent + ")]") ? null : userAgent + ": " + seen;
                }));
      }
      List<String> wrong = new ArrayList<>();
      for (java.util.concurrent.Future<String> m : mismatches) {
        String w = m.get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (w != null) {
          wrong.add(w);
        }
      }
      assertThat(wrong).isEmpty();
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void anOperationLearnsTheUserWhoCalledIt() throws Exception {
    post(
        REGISTRAR,
        "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"add\","
            + "\"arguments\":[1]}");
    post(OPERATOR, INCREMENT);

    assertThat(counter.callers()).containsExactly("agents", "xcm");
  }

  @Test
  void overTlsWithClientCertificatesOnlyClientsWithATrustedCertificateGetIn(@TempDir Path dir)
      throws Exception {
    Certificates certificates = new Certificates(dir);
    Path serverKeys = certificates.keyPair("server");
    certificates.keyPair("client");
    certificates.keyPair("stranger");
    TlsConfig tls =
        new TlsConfig(
            serverKeys,
            Certificates.PASSWORD,
            certificates.trust("client"),
            Certificates.PASSWORD,
            true);
    try (JolokiaEndpoint https =
        JolokiaEndpoint.start("test-tls", POLICY, config(Optional.of(tls)))) {
      assertThat(https.url()).startsWith("https://127.0.0.1:");
      String read = https.url() + "read/test:type=Counter/Count";

      Http trusted = new Http(certificates.client("server", "client"));
      assertThat(trusted.get(read, OPERATOR).statusCode()).isEqualTo(200);
      assertThat(trusted.get(read, null).statusCode())
          .as("a certificate is not a password")
          .isEqualTo(401);

      Http stranger = new Http(certificates.client("server", "stranger"));
      assertThatThrownBy(() -> stranger.get(read, OPERATOR))
          .isInstanceOf(java.io.IOException.class);
      Http anonymous = new Http(certificates.client("server", null));
      assertThatThrownBy(() -> anonymous.get(read, OPERATOR))
          .isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(() -> http.get(read, OPERATOR))
          .as("the server's certificate is not in the JDK's trust store")
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void overTlsWithoutClientAuthenticationThePasswordIsEnough(@TempDir Path dir) throws Exception {
    Certificates certificates = new Certificates(dir);
    TlsConfig tls =
        new TlsConfig(certificates.keyPair("server"), Certificates.PASSWORD, null, null, false);
    try (JolokiaEndpoint https =
        JolokiaEndpoint.start("test-tls", POLICY, config(Optional.of(tls)))) {
      Http client = new Http(certificates.client("server", null));
      assertThat(Http.json(client.post(https.url(), OPERATOR, INCREMENT)).path("value").asInt())
          .isEqualTo(1);
      assertThat(client.post(https.url(), "xcm:wrong", INCREMENT).statusCode()).isEqualTo(401);
    }
  }
}
