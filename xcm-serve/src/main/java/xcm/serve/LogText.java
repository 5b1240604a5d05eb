package xcm.serve;

/**
 * Text that came from outside the process — a label, a host or domain name, a URL, a user name, a
 * reason quoted from a request, an error message carrying any of them — made fit for one log line:
 * nothing in it can end the line or start a forged one. Line breaks and other control characters
 * are written as escapes, visibly: {@code \n}, {@code \r}, {@code \t}, {@code \\} for the backslash
 * itself (so that an escape in the log always means an escaped character), and {@code \}{@code
 * uXXXX} for the rest of C0 and C1, DEL, the Unicode line and paragraph separators and the
 * bidirectional controls that can make a line read otherwise than it is.
 *
 * <pre>{@code
 * log.info("host {} joined from {}", LogText.escape(name), LogText.escape(url));
 * }</pre>
 *
 * <p>Thread-safe: a pure function.
 */
public final class LogText {
  private LogText() {}

  /** {@code value}'s text with every character that could forge a log line escaped. */
  public static String escape(Object value) {
    String text = String.valueOf(value);
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (escaped(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean escaped(char c) {
    return c < 0x20
        || c == '\\'
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
