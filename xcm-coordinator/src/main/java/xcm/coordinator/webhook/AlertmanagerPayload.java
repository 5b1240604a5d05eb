package xcm.coordinator.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xcm.coordinator.webhook.RejectedRequestException.Reason;

/**
 * The part of Alertmanager's webhook payload (version 4) that XCM reads: the receiver and every
 * alert's status, labels, start and fingerprint. Anything else in it is ignored.
 *
 * <pre>{@code
 * AlertmanagerPayload payload = AlertmanagerPayload.parse(body);
 * }</pre>
 */
public record AlertmanagerPayload(String receiver, List<Alert> alerts) {

  /**
   * One alert as Alertmanager sent it.
   *
   * @param firing false when Alertmanager reports it resolved
   * @param startsAt as sent (RFC 3339), or empty; the same for every notification of one firing
   * @param fingerprint Alertmanager's, or one made from the labels when the payload has none
   */
  public record Alert(
      boolean firing, Map<String, String> labels, String startsAt, String fingerprint) {

    public Alert {
      labels = Map.copyOf(labels);
    }

    public String label(String name) {
      return labels.getOrDefault(name, "");
    }

    /** The alert's name, for messages. */
    public String name() {
      String name = label("alertname");
      return name.isEmpty() ? "(no alertname)" : name;
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Parses a request body.
   *
   * @throws RejectedRequestException (400) naming what is wrong, when it is not JSON or not the
   *     shape of a version 4 payload
   */
  public static AlertmanagerPayload parse(byte[] body) throws RejectedRequestException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed("expected a JSON object (Alertmanager's webhook payload)");
    }
    JsonNode version = root.get("version");
    if (version != null && !(version.isTextual() && version.asText().equals("4"))) {
      throw malformed(
          "payload version " + version + " is not supported; XCM reads Alertmanager's version 4");
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray()) {
      throw malformed("\"alerts\" must be an array");
    }
    String receiver = text(root, "receiver", "payload");
    List<Alert> parsed = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      parsed.add(alert(alerts.get(i), "alerts[" + i + "]"));
    }
    return new AlertmanagerPayload(receiver, parsed);
  }

  private static Alert alert(JsonNode node, String where) throws RejectedRequestException {
    if (!node.isObject()) {
      throw malformed(where + " must be an object");
    }
    JsonNode labelsNode = node.get("labels");
    if (labelsNode == null || !labelsNode.isObject()) {
      throw malformed(where + ".labels must be an object");
    }
    Map<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, JsonNode> label : labelsNode.properties()) {
      if (!label.getValue().isTextual()) {
        throw malformed(where + ".labels." + label.getKey() + " must be a string");
      }
      labels.put(label.getKey(), label.getValue().asText());
    }
    String status = text(node, "status", where);
    if (!status.equals("firing") && !status.equals("resolved")) {
      throw malformed(
          where + ".status must be \"firing\" or \"resolved\", found \"" + status + "\"");
    }
    String fingerprint = text(node, "fingerprint", where);
    if (fingerprint.isEmpty()) {
      fingerprint = fingerprintOf(labels);
    }
    return new Alert(status.equals("firing"), labels, text(node, "startsAt", where), fingerprint);
  }

  private static String text(JsonNode node, String field, String where)
      throws RejectedRequestException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw malformed(where + "." + field + " must be a string");
    }
    return value.asText();
  }

  /** A stable fingerprint of a label set: the first 16 hex digits of its SHA-256. */
  static String fingerprintOf(Map<String, String> labels) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(labels).forEach((k, v) -> text.append(k).append('\0').append(v).append('\0'));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        hex.append(String.format("%02x", hash[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static RejectedRequestException malformed(String message) {
    return new RejectedRequestException(Reason.MALFORMED, "malformed payload: " + message);
  }
}
