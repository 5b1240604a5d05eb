package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web console's door: its files, sign-in sessions, and Jolokia judging a session's requests.
 */
class ConsoleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READ =
      "{\"type\":\"read\",\"mbean\":\"test:type=Counter\",\"attribute\":\"Count\"}";
  private static final String INCREMENT =
      "{\"type\":\"exec\",\"mbean\":\"test:type=Counter\",\"operation\":\"increment\"}";

  private final HttpClient http = HttpClient.newHttpClient();
  private final SteppingClock clock = new SteppingClock();
  private MBeanServer server;
  private Counter counter;
  private JolokiaEndpoint jolokia;
  private String base;

  /** A clock the test moves. */
  private static final class SteppingClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /** A signed-in browser: its cookie and the page's CSRF token. */
  private record Session(String cookie, String csrf, String role) {}

  @BeforeEach
  void start() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    counter = new Counter();
    server.registerMBean(counter, new ObjectName("test:type=Counter"));
    ConsoleSettings settings =
        new ConsoleSettings(Duration.ofMinutes(30), Duration.ofHours(12), 3, 4);
    jolokia =
        JolokiaEndpoint.start(
            "console-test",
            "classpath:/xcm/serve/test-access.xml",
            JolokiaEndpointTest.config(Optional.empty()),
            Optional.empty(),
            CertificateUsers.NONE,
            Optional.of(Console.fromClassPath(settings, clock)));
    base = jolokia.url().replace("/jolokia/", "");
  }

  @AfterEach
  void stop() {
    jolokia.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signIn(String user, String password) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/ui/session"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.createObjectNode()
                        .put("user", user)
                        .put("password", password)
                        .toString())));
  }

  private Session session(String user, String password) throws Exception {
    HttpResponse<String> answer = signIn(user, password);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    JsonNode who = JSON.readTree(answer.body());
    return new Session(
        setCookie.substring(0, setCookie.indexOf(';')),
        who.path("csrf").asText(),
        who.path("role").asText());
  }

  private HttpResponse<String> jolokia(
      Session session, String body, boolean withToken, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(jolokia.url()))
            .header("Cookie", session.cookie())
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      request.header(Console.CSRF_HEADER, session.csrf());
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    return send(request);
  }

  @Test
  void theConsoleIsServedWithAPolicyThatAllowsNoInlineScriptOrFraming() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/ui/")));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("XCM test console");
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/ui/app.js"))).body())
        .contains("export const console");
    for (String missing : new String[] {"/ui/nothing.js", "/ui/..%2fjolokia", "/ui/.hidden"}) {
      assertThat(send(HttpRequest.newBuilder(URI.create(base + missing))).statusCode())
          .as(missing)
          .isEqualTo(404);
    }
    Console console = Console.fromClassPath(ConsoleSettings.defaults(), clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(console.asset("missing-" + i + ".js")).isEmpty();
    }
    assertThat(console.keptFiles()).isZero();
    assertThat(console.asset("app.js")).isPresent();
    assertThat(console.keptFiles()).isEqualTo(1);
  }

  @Test
  void aSignInGivesAnHttpOnlyStrictCookieAndATokenThatJolokiaTakesInsteadOfAPassword()
      throws Exception {
    HttpResponse<String> answer = signIn("xcm", "operator-secret");

    assertThat(answer.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith(Console.COOKIE + "=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/");
    Session operator = session("xcm", "operator-secret");
    assertThat(operator.role()).isEqualTo("OPERATOR");
    assertThat(JSON.readTree(jolokia(operator, INCREMENT, true, null).body()).path("value").asInt())
        .isEqualTo(1);
    assertThat(counter.getCount()).isEqualTo(1);
  }

  @Test
  void aMonitorsSessionReadsButTheRolesStillJudgeWhatItMayDo() throws Exception {
    Session monitor = session("watcher", "monitor-secret");

    assertThat(monitor.role()).isEqualTo("MONITOR");
    assertThat(JSON.readTree(jolokia(monitor, READ, true, null).body()).path("status").asInt())
        .isEqualTo(200);
    JsonNode refused = JSON.readTree(jolokia(monitor, INCREMENT, true, null).body());
    assertThat(refused.path("status").asInt()).isEqualTo(403);
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void aRequestWithTheCookieButWithoutTheTokenOrFromAnotherSiteIsRefused() throws Exception {
    Session operator = session("xcm", "operator-secret");

    HttpResponse<String> withoutToken = jolokia(operator, INCREMENT, false, null);
    assertThat(withoutToken.statusCode()).isEqualTo(403);
    assertThat(withoutToken.body()).contains("CSRF token");
    HttpResponse<String> crossSite = jolokia(operator, INCREMENT, true, "https://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/ui/session"))
                    .header("Origin", "https://evil.example")
                    .header("Cookie", operator.cookie())
                    .DELETE())
                .statusCode())
        .isEqualTo(403);
    assertThat(counter.getCount()).isZero();
    assertThat(jolokia(operator, INCREMENT, true, base).statusCode())
        .as("the console's own origin")
        .isEqualTo(200);
  }

  @Test
  void wrongPasswordsServiceAccountsAndMalformedSignInsAreRefusedAndRepeatedFailuresThrottled()
      throws Exception {
    assertThat(signIn("xcm", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> service = signIn("agents", "registrar-secret");
    assertThat(service.statusCode()).isEqualTo(401);
    assertThat(service.body()).contains("service account");
    HttpResponse<String> malformed =
        send(
            HttpRequest.newBuilder(URI.create(base + "/ui/session"))
                .POST(HttpRequest.BodyPublishers.ofString("[[[[")));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(signIn("xcm", "wrong again").statusCode()).isEqualTo(401);
    assertThat(signIn("xcm", "and again").statusCode()).isEqualTo(401);

    assertThat(signIn("xcm", "operator-secret").statusCode())
        .as("the fifth try within a minute, after four failures")
        .isEqualTo(429);
    clock.advance(Duration.ofMinutes(1));
    assertThat(signIn("xcm", "operator-secret").statusCode()).isEqualTo(200);
  }

  @Test
  void sessionsEndWhenIdleWhenOldAndOnSignOut() throws Exception {
    Session idle = session("xcm", "operator-secret");
    clock.advance(Duration.ofMinutes(31));
    assertThat(jolokia(idle, READ, true, null).statusCode()).isEqualTo(401);

    Session old = session("xcm", "operator-secret");
    for (int i = 0; i < 24; i++) {
      clock.advance(Duration.ofMinutes(29));
      assertThat(jolokia(old, READ, true, null).statusCode()).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(29));
    assertThat(jolokia(old, READ, true, null).statusCode())
        .as("12 h after sign-in, used or not")
        .isEqualTo(401);

    Session leaving = session("xcm", "operator-secret");
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/ui/session"))
                    .header("Cookie", leaving.cookie())
                    .header(Console.CSRF_HEADER, leaving.csrf())
                    .DELETE())
                .statusCode())
        .isEqualTo(204);
    assertThat(jolokia(leaving, READ, true, null).statusCode()).isEqualTo(401);
  }

  @Test
  void signInsBeyondTheCapEndTheLeastRecentlyUsedSession() throws Exception {
    Session first = session("xcm", "operator-secret");
    clock.advance(Duration.ofSeconds(1));
    Session second = session("xcm", "operator-secret");
    clock.advance(Duration.ofSeconds(1));
    assertThat(jolokia(first, READ, true, null).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    session("watcher", "monitor-secret");
    clock.advance(Duration.ofSeconds(1));
    session("watcher", "monitor-secret");

    assertThat(jolokia(second, READ, true, null).statusCode()).isEqualTo(401);
    assertThat(jolokia(first, READ, true, null).statusCode()).isEqualTo(200);
  }
}
