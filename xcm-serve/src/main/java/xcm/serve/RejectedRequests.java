package xcm.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests a door turns away before anything acts on them — no or wrong credentials, a method or a
 * body the door does not take. Anyone who reaches the port can send them, as fast as they like, so
 * they cost a counter and, now and then, a log line, never a journal row or an audit entry: each is
 * counted in {@code xcm_rejected_requests_total{door, reason}}, and per door and reason at most one
 * line is logged per interval (the {@code xcm.rejected} logger, WARN), saying how many went
 * unlogged since the line before. Requests that an operation refuses after the caller authenticated
 * are the audit log's, not this class's.
 *
 * <p>Both labels come from the code, never from a request: the door's name is a constant, its
 * reasons the constants of an enum (in lower case: {@code unauthorized}, {@code malformed}), every
 * series there from the start.
 *
 * <pre>{@code
 * RejectedRequests rejected = RejectedRequests.register(registry, Clock.systemUTC());
 * RejectedRequests.Door<Reason> webhook = rejected.door("webhook", Reason.class);
 * webhook.reject(Reason.UNAUTHORIZED, "203.0.113.7", "wrong bearer token");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RejectedRequests {
  /** At most one line per door and reason this often. */
  public static final Duration LOG_EVERY = Duration.ofMinutes(1);

  /** A detail quoting a request is cut to this many characters in the log. */
  static final int MAX_DETAIL = 300;

  private static final Logger log = LoggerFactory.getLogger("xcm.rejected");

  private final Counter counter;
  private final Clock clock;
  private final Duration logEvery;

  private RejectedRequests(Counter counter, Clock clock, Duration logEvery) {
    this.counter = counter;
    this.clock = clock;
    this.logEvery = logEvery;
  }

  /** Registers {@code xcm_rejected_requests_total}; one per registry, shared by its doors. */
  public static RejectedRequests register(PrometheusRegistry registry, Clock clock) {
    return register(registry, clock, LOG_EVERY);
  }

  /**
   * As {@link #register(PrometheusRegistry, Clock)}, logging at most one line per door and reason
   * every {@code logEvery}.
   */
  public static RejectedRequests register(
      PrometheusRegistry registry, Clock clock, Duration logEvery) {
    Counter counter =
        Counter.builder()
            .name("xcm_rejected_requests")
            .help(
                "Requests turned away before anything acted on them (no or wrong credentials, a"
                    + " request the door does not take), by door and reason")
            .labelNames("door", "reason")
            .register(registry);
    return new RejectedRequests(counter, clock, logEvery);
  }

  /**
   * The counter and log of one door, whose refusals are the constants of {@code reasons}.
   *
   * @param name the door, e.g. {@code webhook}: a constant of the caller's, never request text
   */
  public <R extends Enum<R>> Door<R> door(String name, Class<R> reasons) {
    Map<R, LogBudget> budgets = new EnumMap<>(reasons);
    for (R reason : reasons.getEnumConstants()) {
      budgets.put(reason, new LogBudget(logEvery));
      counter.labelValues(name, label(reason));
    }
    return new Door<>(name, budgets);
  }

  private static String shorten(String detail) {
    return detail.length() <= MAX_DETAIL
        ? detail
        : detail.substring(0, MAX_DETAIL) + "... (" + detail.length() + " characters)";
  }

  private static String label(Enum<?> reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  /** One door's rejections. Thread-safe. */
  public final class Door<R extends Enum<R>> {
    private final String name;
    private final Map<R, LogBudget> budgets;

    private Door(String name, Map<R, LogBudget> budgets) {
      this.name = name;
      this.budgets = budgets;
    }

    /**
     * Counts one rejected request, and logs it unless a line for this reason was logged within the
     * interval.
     *
     * @param from the client's address
     * @param detail why, as the client was told; may quote the request (it is escaped)
     */
    public void reject(R reason, String from, String detail) {
      counter.labelValues(name, label(reason)).inc();
      OptionalLong held = budgets.get(reason).take(clock.instant());
      if (held.isEmpty()) {
        return;
      }
      log.warn(
          "{}: rejected a request from {} ({}): {}{}",
          name,
          LogText.escape(from),
          label(reason),
          LogText.escape(shorten(detail)),
          held.getAsLong() == 0
              ? ""
              : "; "
                  + held.getAsLong()
                  + " more rejected for the same reason since the last line were not logged"
                  + " (at most one line every "
                  + logEvery.toSeconds()
                  + " s)");
    }
  }
}
