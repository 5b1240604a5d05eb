package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every operation asked of the coordinator, by whatever door it came: who, through which door,
 * what, when, and the result. Written as one line to the {@code xcm.audit} log and kept in memory
 * (the last {@value #KEPT} entries).
 *
 * <p>Thread-safe.
 */
public final class AuditLog {
  static final int KEPT = 1000;
  static final int MAX_TEXT = 1000;
  private static final Logger log = LoggerFactory.getLogger("xcm.audit");

  private final Clock clock;
  private final Deque<Entry> entries = new ArrayDeque<>();

  /** One audited request. */
  public record Entry(Instant at, Requester requester, String action, String result) {
    @Override
    public String toString() {
      return at + " " + requester + " " + action + ": " + result;
    }
  }

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  public void record(Requester requester, String action, String result) {
    Entry entry =
        new Entry(clock.instant(), requester, shorten(action), shorten(String.valueOf(result)));
    log.info("{} {}: {}", requester, entry.action(), entry.result());
    synchronized (entries) {
      entries.addFirst(entry);
      while (entries.size() > KEPT) {
        entries.removeLast();
      }
    }
  }

  /** Newest first. */
  public List<Entry> entries() {
    synchronized (entries) {
      return new ArrayList<>(entries);
    }
  }

  /**
   * Requests may carry whatever a client sent (a megabyte-long host name): each entry keeps at most
   * {@value #MAX_TEXT} characters of it, so that a thousand entries cannot fill the heap.
   */
  static String shorten(String text) {
    return text.length() <= MAX_TEXT
        ? text
        : text.substring(0, MAX_TEXT) + "... (" + text.length() + " characters)";
  }
}
