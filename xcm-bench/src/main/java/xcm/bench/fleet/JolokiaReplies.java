package xcm.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.function.BiFunction;
import javax.management.AttributeNotFoundException;
import org.jolokia.core.service.serializer.SerializeOptions;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.service.serializer.JolokiaSerializer;

/**
 * Jolokia's wire format, as the agent's Jolokia 2 writes it: a reply per request (the request
 * echoed, the value or the error, the status, a timestamp), an array of them for a bulk request,
 * values turned into JSON by Jolokia's own {@link JolokiaSerializer} and written by Jolokia's own
 * JSON classes. The shape is checked against a real agent's by FleetContractIT.
 *
 * <p>Thread-safe: it adds no state to Jolokia's serialiser, which serves all of an agent's request
 * threads at once.
 */
final class JolokiaReplies {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys of a request Jolokia echoes in its reply. */
  private static final String[] ECHOED = {
    "mbean", "attribute", "path", "operation", "arguments", "type"
  };

  private final JolokiaSerializer serializer = new JolokiaSerializer();

  /**
   * The answer to a POST body: {@code reply} answers each request (with the time of the answer); a
   * body that is no JSON object or array is answered as Jolokia answers it.
   */
  byte[] answer(byte[] body, long nowMillis, BiFunction<JsonNode, Long, JSONObject> reply) {
    JsonNode requests;
    try {
      requests = JSON.readTree(body);
    } catch (IOException e) {
      requests = null;
    }
    String text;
    if (requests != null && requests.isArray()) {
      JSONArray replies = new JSONArray();
      for (JsonNode request : requests) {
        replies.add(reply.apply(request, nowMillis));
      }
      text = replies.toJSONString();
    } else if (requests != null && requests.isObject()) {
      text = reply.apply(requests, nowMillis).toJSONString();
    } else {
      text =
          error(
                  JSON.createObjectNode(),
                  400,
                  IllegalArgumentException.class,
                  "Invalid JSON request: neither an object nor an array")
              .toJSONString();
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A successful reply carrying {@code value}, already serialised ({@link #serialise}). */
  JSONObject value(JsonNode request, Object value, long nowMillis) {
    JSONObject reply = new JSONObject();
    reply.put("request", echo(request));
    reply.put("value", value);
    reply.put("status", 200);
    reply.put("timestamp", nowMillis / 1000);
    return reply;
  }

  /** An error reply, as Jolokia writes one with stack traces off. */
  JSONObject error(JsonNode request, int status, Class<?> type, String message) {
    JSONObject reply = new JSONObject();
    reply.put("request", echo(request));
    reply.put("error_type", type.getName());
    reply.put(".error", true);
    reply.put("error", message);
    reply.put("status", status);
    return reply;
  }

  /** An open-type value (what an MXBean attribute or operation gives) as Jolokia writes it. */
  Object serialise(Object value) {
    try {
      return serializer.serialize(value, new ArrayList<>(), SerializeOptions.DEFAULT);
    } catch (AttributeNotFoundException e) {
      // Only a path into the value can be missing, and none is given.
      throw new IllegalStateException(e);
    }
  }

  private static JSONObject echo(JsonNode request) {
    JSONObject echo = new JSONObject();
    for (String key : ECHOED) {
      JsonNode value = request.get(key);
      if (value != null) {
        echo.put(key, plain(value));
      }
    }
    return echo;
  }

  /** A JSON tree as the plain values Jolokia's JSON classes write. */
  private static Object plain(JsonNode node) {
    if (node.isArray()) {
      JSONArray array = new JSONArray();
      node.forEach(n -> array.add(plain(n)));
      return array;
    }
    if (node.isObject()) {
      JSONObject object = new JSONObject();
      node.properties().forEach(e -> object.put(e.getKey(), plain(e.getValue())));
      return object;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.isNull() ? null : node.asText();
  }
}
