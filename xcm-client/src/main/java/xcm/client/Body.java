package xcm.client;

import java.nio.charset.StandardCharsets;

/**
 * The body of a callee's HTTP 200 answer, for a {@link BodyReader} that parses it itself (e.g.
 * streaming, without a tree): the bytes, and the errors it may raise, whose outcomes are decided
 * where every other outcome is ({@link JolokiaException}).
 *
 * <p>Immutable, so thread-safe; the bytes are the answer's own, not to be changed.
 */
public final class Body {
  private final String where;
  private final byte[] bytes;

  Body(String where, byte[] bytes) {
    this.where = where;
    this.bytes = bytes;
  }

  /** The answer as sent: Jolokia's JSON, or whatever else answered. */
  public byte[] bytes() {
    return bytes;
  }

  /** How messages name the callee: "agent at http://10.0.0.5:8778/jolokia/". */
  public String where() {
    return where;
  }

  /**
   * One reply's error, as Jolokia put it: {@code status}, {@code error_type} ("" when none) and
   * {@code error}.
   */
  public JolokiaException error(Request request, int status, String errorType, String error) {
    return JolokiaException.ofReply(where, request.toString(), status, errorType, error);
  }

  /** An answer that is not what was asked: "WHERE PREDICATE", outcome unknown. */
  public JolokiaException unreadable(String predicate) {
    return JolokiaException.unreadable(where, predicate);
  }

  /** An answer that is not Jolokia's JSON, quoting its start. */
  public JolokiaException notJolokia() {
    String start =
        new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8).strip();
    if (start.length() > 60) {
      start = start.substring(0, 60) + "...";
    }
    return unreadable("answers with something that is not Jolokia: \"" + start + "\"");
  }
}
