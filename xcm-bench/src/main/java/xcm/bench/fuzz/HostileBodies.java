package xcm.bench.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import xcm.coordinator.webhook.AlertActions;

/**
 * Hostile request bodies: Alertmanager payloads whose alerts ask for what must be refused, JSON
 * that is malformed, truncated or of the wrong types, huge arrays and bodies over the coordinator's
 * limits. Each draws from the {@link Random} it is given, in a fixed order.
 *
 * <p>Thread-safe.
 */
final class HostileBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest huge-array body, in characters (all ASCII). */
  private static final int MAX_HUGE_ARRAY = 1_000_000;

  private final Hostile hostile;

  HostileBodies(Hostile hostile) {
    this.hostile = hostile;
  }

  /** A well-formed Alertmanager payload whose alerts ask for {@code action} on hostile hosts. */
  String alertsOnHosts(Random r, String action) throws JsonProcessingException {
    return alerts(r, action, false);
  }

  /** A well-formed Alertmanager payload whose alerts ask to balance with hostile policies. */
  String balanceAlerts(Random r) throws JsonProcessingException {
    return alerts(r, "balance", true);
  }

  private String alerts(Random r, String action, boolean policy) throws JsonProcessingException {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("version", "4").put("receiver", "xcm").put("status", "firing");
    ArrayNode alerts = payload.putArray("alerts");
    int n = 1 + r.nextInt(5);
    for (int k = 0; k < n; k++) {
      ObjectNode alert = alerts.addObject();
      alert.put("status", r.nextInt(5) == 0 ? "resolved" : "firing");
      ObjectNode labels = alert.putObject("labels");
      labels.put("alertname", hostile.name(r));
      labels.put(AlertActions.ACTION_LABEL, action);
      if (policy) {
        // An empty xcm_policy means the configured policy: a real balance, not hostile input.
        String hostilePolicy = hostile.policy(r);
        labels.put(AlertActions.POLICY_LABEL, hostilePolicy.isBlank() ? "nope" : hostilePolicy);
      } else {
        String host = hostile.name(r);
        labels.put(AlertActions.HOST_LABEL, host.isBlank() ? host + "?" : host);
      }
      alert.put("startsAt", Hostile.pick(r, "2025-01-01T00:00:00Z", "", "not a time", "-1"));
      alert.put("fingerprint", Hostile.pick(r, "", "0", Hostile.chars(r, 16)));
    }
    return JSON.writeValueAsString(payload);
  }

  static String malformedJson(Random r) {
    String[] bodies = {
      "",
      "{",
      "}",
      "[",
      "{\"alerts\":[",
      "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\"drain\",\"arguments\":[\"a\",",
      "null",
      "nul",
      "\"just a string\"",
      "42",
      "-1",
      "1e999999",
      "{\"a\":1}{\"b\":2}",
      "{\"alerts\":[],\"alerts\":[]}",
      "{'single':'quotes'}",
      "{\"a\":\"\\uD800\"}",
      "{\"a\":\"\\x00\"}",
      "\uFEFF{}",
      "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
      "[" + "{".repeat(3000),
      "<alerts/>",
      "version=4&alerts=",
      "\u0000\u0001\u0002",
    };
    String body = bodies[r.nextInt(bodies.length)];
    if (r.nextInt(4) == 0) {
      byte[] garbage = new byte[r.nextInt(2000)];
      r.nextBytes(garbage);
      body = new String(garbage, StandardCharsets.ISO_8859_1);
    }
    return body;
  }

  static String wrongTypes(Random r) {
    String[] bodies = {
      "{\"version\":4,\"alerts\":[]}",
      "{\"version\":\"3\",\"alerts\":[]}",
      "{\"version\":\"4\",\"alerts\":{}}",
      "{\"version\":\"4\",\"alerts\":\"drain\"}",
      "{\"version\":\"4\",\"alerts\":null}",
      "{\"version\":\"4\"}",
      "{\"version\":\"4\",\"receiver\":7,\"alerts\":[]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":7}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":[\"xcm_action\",\"drain\"]}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":1,\"labels\":{}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"FIRING\",\"labels\":{}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":null}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":[\"drain\"]}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"fingerprint\":-1}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":-1}]}",
      "{\"version\":\"4\",\"alerts\":[null]}",
      "{\"version\":\"4\",\"alerts\":[[]]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":{\"$gt\":\"\"}}}]}",
      "[{\"version\":\"4\",\"alerts\":[]}]",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\"}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":\"\"}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":-1}}]}",
    };
    return bodies[r.nextInt(bodies.length)];
  }

  static String hugeArray(Random r) {
    int n = 1000 + r.nextInt(20_000);
    StringBuilder body = new StringBuilder("{\"version\":\"4\",\"receiver\":\"xcm\",\"alerts\":[");
    String element =
        switch (r.nextInt(4)) {
          case 0 -> "-1";
          case 1 -> "{}";
          case 2 -> "{\"status\":\"firing\",\"labels\":{\"alertname\":\"x\"},\"startsAt\":1}";
          default -> "{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\"}}";
        };
    // Under the 1 MiB a door reads and drops of a body it refuses: past it, the door answers and
    // closes at once, by design, and the client may lose the answer to the kernel's reset (what
    // the verdict would count as a failure of the door, and FuzzIT as a flake).
    for (int k = 0; k < n && body.length() + element.length() < MAX_HUGE_ARRAY; k++) {
      body.append(k == 0 ? "" : ",").append(element);
    }
    return body.append("]}").toString();
  }

  /** Bodies over the coordinator's limits, made of hostile alerts. */
  static String oversized(Random r) {
    int size = (64 << 10) + 1 + r.nextInt(200 << 10);
    StringBuilder body = new StringBuilder("{\"version\":\"4\",\"alerts\":[");
    while (body.length() < size) {
      body.append(
          "{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":\"nope\"}},");
    }
    return body.append("{}]}").toString();
  }
}
