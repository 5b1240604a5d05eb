package xcm.trust;

/**
 * A value that came from outside, made safe to put in a message or a log line: quoted, control and
 * other invisible characters escaped, cut at {@value #MAX} characters. A name with a newline in it
 * then cannot forge a second log line.
 *
 * <pre>{@code
 * log.warn("refused host {}", Printable.quote(claimedName));   // a newline stays one line
 * }</pre>
 *
 * Stateless.
 */
public final class Printable {
  static final int MAX = 80;

  private Printable() {}

  /**
   * The value in double quotes, a newline shown as backslash and {@code n}, other control
   * characters as backslash, {@code u} and four hex digits; {@code null} as {@code null}.
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8).append('"');
    int shown = 0;
    for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
      if (shown++ == MAX) {
        return out.append("\"… (").append(value.length()).append(" characters)").toString();
      }
      int c = value.codePointAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT
              || Character.getType(c) == Character.UNASSIGNED
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
