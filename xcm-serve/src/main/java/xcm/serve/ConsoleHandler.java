package xcm.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.serve.http.RequestBody;

/**
 * The web console's door, {@code /ui/}: its files, and {@code /ui/session} — POST signs in (JSON
 * {@code user}, {@code password}), GET says who is signed in and the CSRF token, DELETE signs out.
 * Every answer forbids framing, inline scripts and sniffing; a POST or DELETE from a page of
 * another site is refused before anything else. Thread-safe.
 */
final class ConsoleHandler extends Handler.Abstract {
  static final String CONTEXT = "/ui";
  private static final long MAX_SIGN_IN_BYTES = 4096;
  private static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);
  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json; charset=utf-8");

  private final Console console;
  private final JolokiaAccess access;
  private final SignInThrottle throttle;
  private final LogBudget failures = new LogBudget(Duration.ofSeconds(10));

  ConsoleHandler(Console console, JolokiaAccess access) {
    this.console = console;
    this.access = access;
    this.throttle = new SignInThrottle(console.settings().maxFailedSignIns(), console.clock());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(CONTEXT) && !path.startsWith(CONTEXT + "/")) {
      return false;
    }
    guard(response);
    String method = request.getMethod();
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (!method.equals("GET")
        && !method.equals("HEAD")
        && origin != null
        && !Console.sameOrigin(request, origin)) {
      answer(response, callback, 403, "a page of another site may not sign in or out here");
      return true;
    }
    if (path.equals(CONTEXT)) {
      response.setStatus(302);
      response.getHeaders().put(HttpHeader.LOCATION, CONTEXT + "/");
      callback.succeeded();
      return true;
    }
    if (path.equals(CONTEXT + "/session")) {
      switch (method) {
        case "POST" -> signIn(request, response, callback);
        case "GET" -> whoAmI(request, response, callback);
        case "DELETE" -> signOut(request, response, callback);
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE");
          answer(response, callback, 405, "method " + method + " not allowed on /ui/session");
        }
      }
      return true;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      answer(response, callback, 405, "the console's files are only read (GET)");
      return true;
    }
    String name = path.equals(CONTEXT + "/") ? "index.html" : path.substring(CONTEXT.length() + 1);
    Optional<byte[]> file = console.asset(name);
    if (file.isEmpty()) {
      answer(response, callback, 404, "the console has no file " + LogText.escape(name));
      return true;
    }
    String extension = name.substring(name.lastIndexOf('.') + 1);
    response.setStatus(200);
    response
        .getHeaders()
        .put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.write(
        true,
        method.equals("HEAD") ? BufferUtil.EMPTY_BUFFER : BufferUtil.toBuffer(file.get()),
        callback);
    return true;
  }

  private void signIn(Request request, Response response, Callback callback) {
    InetAddress address = JolokiaHandler.presented(request).address();
    if (throttle.turnsAway(address)) {
      answer(
          response,
          callback,
          429,
          "too many failed sign-ins from this address in the last minute: wait a minute");
      return;
    }
    Optional<JolokiaConfig.Credentials> given;
    try {
      given = credentials(RequestBody.readAtMost(request, MAX_SIGN_IN_BYTES));
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    if (given.isEmpty()) {
      answer(
          response,
          callback,
          400,
          "sign in with a JSON object of \"user\" and \"password\" (strings, at most "
              + MAX_SIGN_IN_BYTES
              + " bytes in all)");
      return;
    }
    Optional<JolokiaAccess.Caller> caller =
        access.authenticate(new ClientCredentials(given, List.of(), address));
    if (caller.isEmpty() || caller.get().role() == JolokiaAccess.Role.LIMITED) {
      throttle.failed(address);
      failures
          .take(console.clock().instant())
          .ifPresent(
              held ->
                  log.warn(
                      "console: sign-in of {} from {} refused{}",
                      LogText.escape(given.get().user()),
                      address == null ? "?" : address.getHostAddress(),
                      held == 0 ? "" : " (and " + held + " more refused since the last line)"));
      answer(
          response,
          callback,
          401,
          caller.isEmpty()
              ? "wrong user or password"
              : "user " + given.get().user() + " is a service account: it may not sign in here");
      return;
    }
    throttle.succeeded(address);
    Optional.ofNullable(Console.sessionId(request)).ifPresent(console.sessions()::end);
    ConsoleSessions.Session session = console.sessions().start(caller.get());
    log.info(
        "console: {} ({}) signed in from {}",
        LogText.escape(session.caller().user()),
        session.caller().role(),
        address == null ? "?" : address.getHostAddress());
    Response.addCookie(response, cookie(request, session.id(), console.settings().lifetime()));
    send(response, callback, 200, who(session));
  }

  private void whoAmI(Request request, Response response, Callback callback) {
    Optional<ConsoleSessions.Session> session = console.sessions().use(Console.sessionId(request));
    if (session.isEmpty()) {
      answer(response, callback, 401, "not signed in, or the session has ended");
      return;
    }
    send(response, callback, 200, who(session.get()));
  }

  private void signOut(Request request, Response response, Callback callback) {
    Console.Presented presented = console.caller(request);
    if (presented instanceof Console.Presented.WithoutToken) {
      answer(response, callback, 403, "signing out needs the session's CSRF token");
      return;
    }
    if (presented instanceof Console.Presented.Signed signed) {
      console.sessions().end(signed.session().id());
    }
    Response.addCookie(response, cookie(request, "", Duration.ZERO));
    response.setStatus(204);
    callback.succeeded();
  }

  private static JSONObject who(ConsoleSessions.Session session) {
    JSONObject who = new JSONObject();
    who.put("user", session.caller().user());
    who.put("role", session.caller().role().name());
    who.put("csrf", session.csrf());
    return who;
  }

  /** The user and password of a sign-in body, empty unless it is just that. */
  private static Optional<JolokiaConfig.Credentials> credentials(Optional<byte[]> body) {
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonLimits.DEFAULTS.check(body.get());
      Object json = new JSONParser().parse(new String(body.get(), StandardCharsets.UTF_8));
      if (json instanceof Map<?, ?> map
          && map.get("user") instanceof String user
          && map.get("password") instanceof String password
          && !user.isEmpty()) {
        return Optional.of(new JolokiaConfig.Credentials(user, password));
      }
      return Optional.empty();
    } catch (JsonLimitException | ParseException | IOException | RuntimeException malformed) {
      return Optional.empty();
    }
  }

  private static HttpCookie cookie(Request request, String value, Duration maxAge) {
    return HttpCookie.build(Console.COOKIE, value)
        .path("/")
        .httpOnly(true)
        .secure(request.isSecure())
        .sameSite(HttpCookie.SameSite.STRICT)
        .maxAge(maxAge.toSeconds())
        .build();
  }

  private static void guard(Response response) {
    response.getHeaders().put("Content-Security-Policy", POLICY);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("X-Frame-Options", "DENY");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
  }

  private static void answer(Response response, Callback callback, int status, String reason) {
    JSONObject answer = new JSONObject();
    answer.put("status", status);
    answer.put("error", reason);
    send(response, callback, status, answer);
  }

  private static void send(Response response, Callback callback, int status, JSONObject json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(
        true, BufferUtil.toBuffer(json.toJSONString().getBytes(StandardCharsets.UTF_8)), callback);
  }
}
