package xcm.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's signed-in users: a session is a random id the browser keeps in an HttpOnly
 * cookie, the caller it stands for, and a second random token (the CSRF token) the page holds in
 * memory and sends in a header with every request, which a page of another site cannot read.
 * Sessions live in memory only: a restarted coordinator signs everybody out. Thread-safe.
 */
final class ConsoleSessions {
  /** A live session. */
  record Session(String id, String csrf, JolokiaAccess.Caller caller, Instant started) {
    /** Whether {@code presented} is this session's CSRF token, in time independent of where not. */
    boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              presented.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
    }
  }

  private record Entry(Session session, Instant lastUsed) {}

  private final SecureRandom random = new SecureRandom();
  private final ConsoleSettings settings;
  private final Clock clock;
  private final Map<String, Entry> sessions = new HashMap<>();

  ConsoleSessions(ConsoleSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** A new session for {@code caller}; the least recently used one ends if there are too many. */
  synchronized Session start(JolokiaAccess.Caller caller) {
    Instant now = clock.instant();
    sessions.values().removeIf(e -> expired(e, now));
    if (sessions.size() >= settings.maxSessions()) {
      sessions.values().stream()
          .min(Comparator.comparing(Entry::lastUsed))
          .ifPresent(e -> sessions.remove(e.session().id()));
    }
    Session session = new Session(token(), token(), caller, now);
    sessions.put(session.id(), new Entry(session, now));
    return session;
  }

  /** The live session {@code id} names, which this use keeps alive; empty if none. */
  synchronized Optional<Session> use(String id) {
    Entry entry = id == null ? null : sessions.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(entry, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    sessions.put(id, new Entry(entry.session(), now));
    return Optional.of(entry.session());
  }

  synchronized void end(String id) {
    sessions.remove(id);
  }

  synchronized int size() {
    return sessions.size();
  }

  private boolean expired(Entry entry, Instant now) {
    return !now.isBefore(entry.lastUsed().plus(settings.idle()))
        || !now.isBefore(entry.session().started().plus(settings.lifetime()));
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
