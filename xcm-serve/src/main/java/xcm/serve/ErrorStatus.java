package xcm.serve;

import java.util.List;
import java.util.Map;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;

/**
 * The one place where an MBean operation's exception becomes a Jolokia status. Jolokia answers 500
 * for any exception an operation throws; XCM's operations throw {@link IllegalArgumentException}
 * for what the caller got wrong (an unknown host, a domain already being moved, a drain that does
 * not fit), which is the caller's fault: status 400, with the operation's message as the reason. So
 * is a platform MBean's {@link UnsupportedOperationException}. Everything else keeps Jolokia's
 * status.
 *
 * <p>Applied to Jolokia's answer before it is written, to each reply of a bulk answer.
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

  private ErrorStatus() {}

  /** Replaces the status of every reply in {@code answer} whose error is the caller's. */
  static void map(JSONStructure answer) {
    List<?> replies = answer instanceof JSONArray array ? array : List.of(answer);
    for (Object reply : replies) {
      if (reply instanceof JSONObject object
          && object.get("error_type") instanceof String type
          && STATUS.containsKey(type)
          && object.get("status") instanceof Number status
          && status.intValue() == 500) {
        object.put("status", STATUS.get(type));
      }
    }
  }
}
