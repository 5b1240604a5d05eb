package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.serve.LogText;

/**
 * Every operation asked of the coordinator, by whatever door it came: who, through which door,
 * what, when, and the result. Written as one line to the {@code xcm.audit} log and to the journal,
 * and the last {@value #KEPT} entries kept in memory for the MBean and {@code ./xcm history}.
 *
 * <p>Thread-safe.
 */
public final class AuditLog {
  static final int KEPT = 1000;
  static final int MAX_TEXT = 1000;
  private static final Logger log = LoggerFactory.getLogger("xcm.audit");

  private final Clock clock;
  private final Journal journal;
  private final Deque<Entry> entries = new ArrayDeque<>();

  /** One audited request. */
  public record Entry(Instant at, Requester requester, String action, String result) {
    @Override
    public String toString() {
      return at + " " + requester + " " + action + ": " + result;
    }
  }

  /** Keeps entries in {@code journal} too, and starts with the newest ones found there. */
  public AuditLog(Clock clock, Journal journal) {
    this.clock = clock;
    this.journal = journal;
    for (Journal.AuditRow row : journal.recentAudit(KEPT)) {
      entries.addLast(
          new Entry(
              row.at(), new Requester(row.door(), row.principal()), row.action(), row.result()));
    }
  }

  public void record(Requester requester, String action, String result) {
    Entry entry =
        new Entry(clock.instant(), requester, shorten(action), shorten(String.valueOf(result)));
    log.info(
        "{} {}: {}",
        LogText.escape(requester),
        LogText.escape(entry.action()),
        LogText.escape(entry.result()));
    try {
      journal.audit(entry.at(), requester.door(), requester.user(), entry.action(), entry.result());
    } catch (JournalException e) {
      // The entry is logged and kept in memory; losing it from the journal must not stop XCM.
      log.error("audit entry not journaled: {}", LogText.escape(e.getMessage()));
    }
    synchronized (entries) {
      entries.addFirst(entry);
      while (entries.size() > KEPT) {
        entries.removeLast();
      }
    }
  }

  /**
   * Runs a request and audits it: what {@code result} says of its value, or why it was refused. A
   * refusal reaches the caller unchanged.
   */
  public <T> T audited(
      Requester who, String action, Supplier<T> request, Function<? super T, String> result) {
    T value;
    try {
      value = request.get();
    } catch (RuntimeException e) {
      record(who, action, "refused: " + e.getMessage());
      throw e;
    }
    record(who, action, result.apply(value));
    return value;
  }

  /**
   * Deletes the entries the retention no longer keeps, from the journal and from memory.
   *
   * @return how many entries the journal deleted
   * @throws JournalException when the journal cannot delete them; memory is left as it was
   */
  public int prune(AuditRetention retention) {
    Instant before = clock.instant().minus(retention.maxAge());
    int deleted = journal.pruneAudit(before, retention.maxRows());
    synchronized (entries) {
      entries.removeIf(entry -> entry.at().isBefore(before));
      while (entries.size() > retention.maxRows()) {
        entries.removeLast();
      }
    }
    if (deleted > 0) {
      log.info(
          "pruned {} audit entries from the journal (from before {} or beyond the newest {})",
          deleted,
          before,
          retention.maxRows());
    }
    return deleted;
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
