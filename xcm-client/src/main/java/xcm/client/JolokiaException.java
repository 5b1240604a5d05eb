package xcm.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import xcm.mbeans.StaleEpochException;
import xcm.mbeans.StandbyException;

/**
 * A Jolokia call that gave no value, with what the caller may conclude from it: its {@link
 * Outcome}, and for a refusal its {@link Refusal}. The message names the callee's URL and the
 * reason (a refusal by the callee's operation: the operation's own message, which names its host).
 *
 * <p>This class is the one place where what came back becomes an outcome:
 *
 * <table>
 * <caption>Wire answer → outcome</caption>
 * <tr><th>answer</th><th>outcome</th><th>refusal</th></tr>
 * <tr><td>reply status 200</td><td>a value</td><td></td></tr>
 * <tr><td>reply with {@code error_type} {@link StaleEpochException} (any status)</td>
 *     <td>REFUSED</td><td>SUPERSEDED</td></tr>
 * <tr><td>reply with {@code error_type} {@link StandbyException} (any status)</td>
 *     <td>REFUSED</td><td>STANDBY</td></tr>
 * <tr><td>reply with {@code error_type} IllegalArgumentException (any status)</td>
 *     <td>REFUSED</td><td>BAD_REQUEST</td></tr>
 * <tr><td>reply with {@code error_type} IllegalStateException (any status)</td>
 *     <td>REFUSED</td><td>NOT_NOW</td></tr>
 * <tr><td>HTTP 401 or 403; reply status 401 or 403 (access policy)</td>
 *     <td>REFUSED</td><td>FORBIDDEN</td></tr>
 * <tr><td>HTTP 404; reply status 404 (no such MBean or attribute); {@code error_type}
 *     NoSuchMethodException (no such operation)</td>
 *     <td>REFUSED</td><td>NOT_FOUND</td></tr>
 * <tr><td>HTTP 400 or 413; reply status 400 of another type (a malformed request)</td>
 *     <td>REFUSED</td><td>BAD_REQUEST</td></tr>
 * <tr><td>bad URL, credentials that cannot be derived, connection refused, connect timeout,
 *     TLS handshake failed, any failure before the request had a connection, a timeout before its head was written</td>
 *     <td>FAILED</td><td></td></tr>
 * <tr><td>timeout after sending, connection lost, unreadable answer, another HTTP status,
 *     a reply error of another type (a 500 from a bug), the caller interrupted while waiting</td>
 *     <td>UNKNOWN</td><td></td></tr>
 * </table>
 *
 * <p>The rule this rests on, which every XCM MBean operation keeps: an operation throws {@link
 * IllegalArgumentException} (the request is wrong) or {@link IllegalStateException} (the callee
 * cannot do it now) exactly when it changed nothing; anything else it throws may follow a change.
 * The two refusals of fencing are illegal states of their own, told apart by their type: the
 * caller's coordinator epoch is superseded, or the coordinator called is a standby.
 *
 * <pre>{@code
 * try {
 *   client.send(url, Request.exec(ObjectNames.hostOperations(), "finishIncoming", "web01"));
 * } catch (JolokiaException e) {
 *   if (e.outcome().changedNothing()) { ... roll back ... } else { ... leave for an operator ... }
 * }
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 */
public final class JolokiaException extends Exception {

  /** What a call that gave no value may have done on the callee. */
  public enum Outcome {
    /**
     * The callee turned the request down before changing anything, saying why ({@link #refusal()}):
     * its operation refused, or Jolokia turned it away first.
     */
    REFUSED,
    /**
     * Certainly not done, and no answer from the callee: the request never left (bad URL, no
     * credentials) or never got through (connection refused, connect timeout).
     */
    FAILED,
    /**
     * The request may have reached the callee and taken effect: the answer never came, was lost or
     * cannot be read, or the operation failed in a way that does not say it changed nothing.
     */
    UNKNOWN;

    /** True when the callee certainly did not carry the request out. */
    public boolean changedNothing() {
      return this != UNKNOWN;
    }
  }

  /** Why the callee refused. */
  public enum Refusal {
    /**
     * The request is wrong: the operation (or Jolokia checking the request against it) threw {@link
     * IllegalArgumentException}, e.g. an unknown domain; asked again, it is refused again.
     */
    BAD_REQUEST,
    /**
     * The callee cannot do it in its present state: the operation threw {@link
     * IllegalStateException} (other than the two fencing refusals below), e.g. a domain held by a
     * migration, or libvirt failing the call.
     */
    NOT_NOW,
    /** Jolokia turned the caller away: credentials (HTTP 401, 403) or access policy (403). */
    FORBIDDEN,
    /** No such MBean, attribute or operation (404): no operation ran. */
    NOT_FOUND,
    /**
     * The caller's coordinator epoch is older than the newest the callee has seen ({@link
     * StaleEpochException}): the caller is no longer the active coordinator, and nothing it asks of
     * an agent is done any more.
     */
    SUPERSEDED,
    /**
     * The coordinator called is a standby, not the active one ({@link StandbyException}): the
     * message names the active coordinator when one is known.
     */
    STANDBY;

    /**
     * True when the callee's operation itself refused, having looked at the request; false when
     * Jolokia turned the request away before any operation ran.
     */
    public boolean byOperation() {
      return this == BAD_REQUEST || this == NOT_NOW || this == SUPERSEDED || this == STANDBY;
    }
  }

  private final Outcome outcome;
  private final Refusal refusal;

  /**
   * For callers and fakes that stand in for a Jolokia callee; the client itself decides outcomes
   * only through the factories of this class.
   *
   * @param refusal why, for {@link Outcome#REFUSED}; null otherwise
   */
  public JolokiaException(Outcome outcome, Refusal refusal, String message, Throwable cause) {
    super(message, cause);
    if ((outcome == Outcome.REFUSED) != (refusal != null)) {
      throw new IllegalArgumentException("a refusal, and only a refusal, says why: " + outcome);
    }
    this.outcome = outcome;
    this.refusal = refusal;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Why the callee refused; null unless the outcome is {@link Outcome#REFUSED}. */
  public Refusal refusal() {
    return refusal;
  }

  /** The same outcome in other words, e.g. what a missing MBean means to the caller. */
  public JolokiaException reworded(String message) {
    return new JolokiaException(outcome, refusal, message, this);
  }

  /**
   * The JolokiaException behind a failed future of {@link JolokiaClient}, unwrapped from {@link
   * CompletionException} and {@link ExecutionException}; anything else (a bug) as UNKNOWN.
   */
  public static JolokiaException of(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof JolokiaException jolokia
        ? jolokia
        : new JolokiaException(Outcome.UNKNOWN, null, "unexpected failure: " + t, t);
  }

  /**
   * How a client reads an operation that threw {@code thrown}, decided as every Jolokia reply is:
   * for stand-ins that run a callee's operation in-process instead of over Jolokia.
   *
   * @param where how messages name the callee: "agent at URL"
   */
  public static JolokiaException ofOperation(
      String where, String operation, RuntimeException thrown) {
    return ofReply(
        where, operation, 500, thrown.getClass().getName(), String.valueOf(thrown.getMessage()));
  }

  /**
   * A call its caller stopped waiting for (interrupted, e.g. while stopping): the request may have
   * reached {@code url} and taken effect.
   */
  public static JolokiaException interrupted(String url, InterruptedException e) {
    return unknown("interrupted while waiting for the answer of " + url, e);
  }

  static JolokiaException failed(String message, Throwable cause) {
    return new JolokiaException(Outcome.FAILED, null, message, cause);
  }

  static JolokiaException unknown(String message, Throwable cause) {
    return new JolokiaException(Outcome.UNKNOWN, null, message, cause);
  }

  /**
   * The HTTP exchange itself failed: before sending (FAILED) or after (UNKNOWN).
   *
   * @param progress how far the request had got when it failed
   */
  static JolokiaException ofSendFailure(
      String where,
      Throwable failure,
      Wire.Progress progress,
      Duration connectTimeout,
      Duration timeout) {
    Throwable t = unwrap(failure);
    boolean timedOut = t instanceof TimeoutException || t instanceof SocketTimeoutException;
    // A connection whose head was not written within the timeout never delivered a request the
    // callee could act on (a TLS handshake held up, a full send buffer); any other failure on a
    // connection may have come after the callee read the request.
    boolean sent =
        progress == Wire.Progress.WRITTEN || (progress == Wire.Progress.CONNECTED && !timedOut);
    if (t instanceof ConnectException) {
      // The JDK's ConnectException often has no message; its type says it.
      String message = t.getMessage();
      return failed(
          where
              + " does not answer: "
              + (message == null
                      || message.isBlank()
                      || message.equalsIgnoreCase("connection refused")
                  ? "connection refused"
                  : message),
          t);
    }
    if (t instanceof SSLHandshakeException) {
      // Nothing is sent before the callee's certificate is verified.
      return failed(where + " cannot be reached over TLS: " + t.getMessage(), t);
    }
    if (!sent) {
      return timedOut
          ? failed(
              where + " does not accept connections within " + connectTimeout.toMillis() + " ms", t)
          : failed(where + " cannot be reached: " + message(t), t);
    }
    if (timedOut) {
      return unknown(where + " does not answer within " + timeout.toMillis() + " ms", t);
    }
    if (t instanceof IOException) {
      return unknown(where + " does not answer: " + message(t), t);
    }
    return unknown(where + " cannot be read: " + t, t);
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /**
   * An HTTP status other than 200: Jolokia (or the server before it) turned the request away, or
   * something that is not Jolokia answered.
   *
   * @param credentials how the message names what was presented, e.g. "the coordinator's
   *     credentials"
   * @param error what the answer says, or ""
   */
  static JolokiaException ofHttpStatus(String where, int status, String credentials, String error) {
    String http = " (HTTP " + status + ")";
    return switch (status) {
      case 401, 403 ->
          new JolokiaException(
              Outcome.REFUSED, Refusal.FORBIDDEN, where + " refused " + credentials + http, null);
      case 404 ->
          new JolokiaException(
              Outcome.REFUSED, Refusal.NOT_FOUND, where + " answered HTTP 404, not Jolokia", null);
      case 400, 413 ->
          new JolokiaException(
              Outcome.REFUSED,
              Refusal.BAD_REQUEST,
              where + " refused the request" + http + (error.isEmpty() ? "" : ": " + error),
              null);
      default -> unknown(where + " answered HTTP " + status + ", not Jolokia", null);
    };
  }

  /**
   * One Jolokia reply's error.
   *
   * @param request how the message names the request: the operation, or "a read of MBEAN"
   * @param errorType the reply's {@code error_type}, or ""
   */
  static JolokiaException ofReply(
      String where, String request, int status, String errorType, String error) {
    // The operation's own refusal: its message names its host and the reason. The fencing
    // refusals first: they are illegal states too.
    if (errorType.equals(StaleEpochException.class.getName())) {
      return new JolokiaException(
          Outcome.REFUSED, Refusal.SUPERSEDED, ownMessage(errorType, error), null);
    }
    if (errorType.equals(StandbyException.class.getName())) {
      return new JolokiaException(
          Outcome.REFUSED, Refusal.STANDBY, ownMessage(errorType, error), null);
    }
    if (errorType.equals(IllegalArgumentException.class.getName())) {
      return new JolokiaException(
          Outcome.REFUSED, Refusal.BAD_REQUEST, ownMessage(errorType, error), null);
    }
    if (errorType.equals(IllegalStateException.class.getName())) {
      return new JolokiaException(
          Outcome.REFUSED, Refusal.NOT_NOW, ownMessage(errorType, error), null);
    }
    // Jolokia answers an operation the MBean does not have with a 500 of this type.
    Refusal refusal =
        errorType.equals(NoSuchMethodException.class.getName())
            ? Refusal.NOT_FOUND
            : switch (status) {
              case 401, 403 -> Refusal.FORBIDDEN;
              case 404 -> Refusal.NOT_FOUND;
              case 400 -> Refusal.BAD_REQUEST;
              default -> null;
            };
    String message = where + " answered " + request + " with status " + status + ": " + error;
    return refusal != null
        ? new JolokiaException(Outcome.REFUSED, refusal, message, null)
        : unknown(message, null);
  }

  /** An answer that cannot be read as what was asked: "WHERE PREDICATE". */
  static JolokiaException unreadable(String where, String predicate) {
    return unknown(where + " " + predicate, null);
  }

  /** The operation's message: Jolokia may put its exception's class name before it. */
  private static String ownMessage(String errorType, String error) {
    if (errorType.isEmpty() || !error.startsWith(errorType)) {
      return error;
    }
    String rest = error.substring(errorType.length());
    int start = 0;
    while (start < rest.length() && (rest.charAt(start) == ' ' || rest.charAt(start) == ':')) {
      start++;
    }
    return rest.substring(start);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
