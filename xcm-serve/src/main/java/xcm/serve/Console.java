package xcm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The web console a door serves beside Jolokia: its files (built into the class path under {@code
 * xcm/console/}) at {@code /ui/}, and signed-in sessions that stand for the door's own users, so
 * that the console's requests to Jolokia are judged by the same roles and access policy as any
 * other client's. {@link ConsoleHandler} answers {@code /ui/}; Jolokia asks {@link
 * #caller(Request)} who a request without other credentials comes from.
 *
 * <pre>{@code
 * Console console = Console.fromClassPath(ConsoleSettings.defaults(), Clock.systemUTC());
 * JolokiaEndpoint.start(id, policy, config, tls, certificateUsers, Optional.of(console));
 * }</pre>
 *
 * Thread-safe.
 */
public final class Console {
  static final String COOKIE = "xcm-session";
  static final String CSRF_HEADER = "X-XCM-CSRF";
  private static final String ROOT = "xcm/console/";
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");

  private final ConsoleSettings settings;
  private final Clock clock;
  private final ConsoleSessions sessions;
  private final ClassLoader files;
  // Only files that exist are kept: a stranger asking for names without end fills nothing.
  private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

  private Console(ConsoleSettings settings, Clock clock, ClassLoader files) {
    this.settings = settings;
    this.clock = clock;
    this.sessions = new ConsoleSessions(settings, clock);
    this.files = files;
  }

  /**
   * The console whose files are on this class path (the {@code xcm-console} jar).
   *
   * @throws IllegalStateException when they are not: the build left the console out
   */
  public static Console fromClassPath(ConsoleSettings settings, Clock clock) {
    ClassLoader loader = Console.class.getClassLoader();
    if (loader.getResource(ROOT + "index.html") == null) {
      throw new IllegalStateException(
          "the web console's files are not on the class path ("
              + ROOT
              + "index.html): build"
              + " with the xcm-console module");
    }
    return new Console(settings, clock, loader);
  }

  ConsoleSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  ConsoleSessions sessions() {
    return sessions;
  }

  /** The console's file {@code name} (e.g. {@code app.js}), empty if there is none. */
  Optional<byte[]> asset(String name) {
    if (!ASSET.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    byte[] kept = assets.get(name);
    if (kept != null) {
      return Optional.of(kept);
    }
    Optional<byte[]> loaded = load(name);
    loaded.ifPresent(file -> assets.put(name, file));
    return loaded;
  }

  /** How many of the console's files are held in memory. */
  int keptFiles() {
    return assets.size();
  }

  private Optional<byte[]> load(String name) {
    try (InputStream in = files.getResourceAsStream(ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the console's " + name + ": " + e, e);
    }
  }

  /** What a request that brought no other credentials presented of a console session. */
  sealed interface Presented {
    /** No session cookie, or one naming no live session. */
    record NoSession() implements Presented {}

    /** A live session, but the request lacks its CSRF token: it may come from another site. */
    record WithoutToken(String user) implements Presented {}

    record Signed(ConsoleSessions.Session session) implements Presented {}
  }

  /**
   * Who a request comes from by its session cookie; every such request must carry the session's
   * CSRF token in {@value #CSRF_HEADER}, reads included (Jolokia can act on a GET).
   */
  Presented caller(Request request) {
    Optional<ConsoleSessions.Session> session = sessions.use(sessionId(request));
    if (session.isEmpty()) {
      return new Presented.NoSession();
    }
    return session.get().csrfMatches(request.getHeaders().get(CSRF_HEADER))
        ? new Presented.Signed(session.get())
        : new Presented.WithoutToken(session.get().caller().user());
  }

  static String sessionId(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(COOKIE)) {
        return cookie.getValue();
      }
    }
    return null;
  }

  /**
   * Whether a browser's {@code Origin} is this door's own: the page that sends it was served here.
   * The {@code Host} the origin is compared with is the browser's too, so a page of another site
   * never matches.
   */
  static boolean sameOrigin(Request request, String origin) {
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = request.isSecure() ? "https" : "http";
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme.equalsIgnoreCase(uri.getScheme())
        && uri.getHost() != null
        && uri.getHost().equalsIgnoreCase(Request.getServerName(request))
        && port == Request.getServerPort(request)
        && uri.getRawPath().isEmpty()
        && request.getHeaders().get(HttpHeader.HOST) != null;
  }
}
