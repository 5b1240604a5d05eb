package xcm.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;

/**
 * The one place where an MBean operation's exception becomes a Jolokia status. Jolokia answers 500
 * for any exception an operation throws; XCM's operations throw {@link IllegalArgumentException}
 * for what the caller got wrong (an unknown host, a domain already being moved, a drain that does
 * not fit), which is the caller's fault: status 400, with the operation's message as the reason. So
 * is a platform MBean's {@link UnsupportedOperationException}. Everything else keeps Jolokia's
 * status.
 *
 * <p>Applied to a response as Jolokia streams it: the response is held until complete, and
 * rewritten only when it holds such an error.
 */
final class ErrorStatus {
  private static final Map<String, Integer> STATUS =
      Map.of(
          IllegalArgumentException.class.getName(),
          400,
          // A platform MBean's answer to reading what this JVM does not support (a memory pool's
          // usage threshold), e.g. in a read of every MBean a caller's pattern matches.
          UnsupportedOperationException.class.getName(),
          400);
  private static final List<byte[]> MARKERS =
      STATUS.keySet().stream()
          .map(type -> ("\"" + type + "\"").getBytes(StandardCharsets.UTF_8))
          .toList();

  private ErrorStatus() {}

  /** A stream that writes what Jolokia wrote to {@code out} on close, statuses mapped. */
  static OutputStream mapping(OutputStream out) {
    return new OutputStream() {
      private final ByteArrayOutputStream held = new ByteArrayOutputStream();
      private boolean closed;

      @Override
      public void write(int b) {
        held.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        held.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try (out) {
          out.write(map(held.toByteArray()));
        }
      }
    };
  }

  /** The response with every mapped error's status replaced; unchanged if there is none. */
  static byte[] map(byte[] response) {
    if (MARKERS.stream().noneMatch(marker -> contains(response, marker))) {
      return response;
    }
    Object parsed;
    try {
      parsed = new JSONParser().parse(new String(response, StandardCharsets.UTF_8));
    } catch (ParseException | IOException | RuntimeException e) {
      // Not JSON (a JSONP callback): left as Jolokia wrote it.
      return response;
    }
    List<?> replies = parsed instanceof JSONArray array ? array : List.of(parsed);
    boolean changed = false;
    for (Object reply : replies) {
      if (reply instanceof JSONObject object
          && object.get("error_type") instanceof String type
          && STATUS.containsKey(type)
          && object.get("status") instanceof Number status
          && status.intValue() == 500) {
        object.put("status", STATUS.get(type));
        changed = true;
      }
    }
    return changed
        ? ((JSONStructure) parsed).toJSONString().getBytes(StandardCharsets.UTF_8)
        : response;
  }

  private static boolean contains(byte[] text, byte[] part) {
    outer:
    for (int i = 0; i <= text.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (text[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
