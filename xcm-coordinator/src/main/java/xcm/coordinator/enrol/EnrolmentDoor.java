package xcm.coordinator.enrol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import xcm.coordinator.enrol.EnrolmentAnswer.Issued;
import xcm.coordinator.enrol.EnrolmentAnswer.Refused;
import xcm.coordinator.enrol.EnrolmentAnswer.Standby;
import xcm.coordinator.enrol.EnrolmentAnswer.Waiting;
import xcm.mbeans.StandbyException;

/**
 * {@code POST /enrol} on the coordinator: the one request a host may send before it holds a
 * certificate. The body is one JSON object, {@code host}, {@code url}, {@code libvirtUuid}, {@code
 * certificateRequest} and optionally {@code token}; the answer is JSON too, with its {@code state}:
 *
 * <ul>
 *   <li>200 {@code ENROLLED}, {@code certificate} and {@code authority} (PEM);
 *   <li>202 {@code WAITING} for an operator, {@code fingerprint} of the key;
 *   <li>400, 403 or 429 {@code REFUSED}, {@code reason} and {@code message};
 *   <li>503 {@code STANDBY} on a coordinator that is not the active one, {@code message} naming the
 *       active one: the agent asks the next coordinator it knows.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class EnrolmentDoor {
  /** A certificate request is under 8 KiB; the rest is a few short fields. */
  public static final int MAX_BODY = 16 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EnrolmentDesk desk;

  public EnrolmentDoor(EnrolmentDesk desk) {
    this.desk = desk;
  }

  /** An HTTP answer: status and JSON body. */
  public record Answer(int status, String body, EnrolmentAnswer decision) {}

  /**
   * Answers one request.
   *
   * @param from the caller's address, as shown to operators
   * @param presentedBy the host name of the cluster certificate the caller presented, if any
   */
  public Answer answer(byte[] body, String from, Optional<String> presentedBy) {
    if (body.length > MAX_BODY) {
      return refused(
          new Refused(Refusal.INVALID, "the request is larger than " + MAX_BODY + " bytes"));
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return refused(new Refused(Refusal.INVALID, "the request is not JSON"));
    }
    if (json == null || !json.isObject()) {
      return refused(new Refused(Refusal.INVALID, "the request is not a JSON object"));
    }
    JsonNode token = json.path("token");
    if (!token.isMissingNode() && !token.isTextual()) {
      // Taken as no token, it would let the request wait for an operator as if none was sent.
      return refused(
          new Refused(
              Refusal.INVALID, "token must be a string when given, found " + token.getNodeType()));
    }
    EnrolmentAnswer decision;
    try {
      decision =
          desk.submit(
              new EnrolmentRequest(
                  text(json, "host"),
                  text(json, "url"),
                  text(json, "libvirtUuid"),
                  text(json, "certificateRequest"),
                  token.isMissingNode() ? Optional.empty() : Optional.of(token.asText()),
                  from,
                  presentedBy));
    } catch (StandbyException e) {
      decision = new Standby(e.getMessage());
    }
    if (decision instanceof Standby standby) {
      return answer(
          503,
          JSON.createObjectNode().put("state", "STANDBY").put("message", standby.message()),
          decision);
    }
    if (decision instanceof Issued issued) {
      return answer(
          200,
          JSON.createObjectNode()
              .put("state", "ENROLLED")
              .put("certificate", issued.certificate())
              .put("authority", issued.authority()),
          decision);
    }
    if (decision instanceof Waiting waiting) {
      return answer(
          202,
          JSON.createObjectNode().put("state", "WAITING").put("fingerprint", waiting.fingerprint()),
          decision);
    }
    return refused((Refused) decision);
  }

  /** A request refused before the desk saw it (wrong method, too large), with its HTTP status. */
  static Answer refusal(int status, String message) {
    return answer(
        status,
        JSON.createObjectNode()
            .put("state", "REFUSED")
            .put("reason", Refusal.INVALID.label())
            .put("message", message),
        new Refused(Refusal.INVALID, message));
  }

  private static Answer refused(Refused refused) {
    int status =
        switch (refused.reason()) {
          case INVALID -> 400;
          case TOO_MANY_WAITING -> 429;
          case NAME_TAKEN, UUID_TAKEN, BAD_TOKEN, UNPROVEN_MOVE -> 403;
        };
    return answer(
        status,
        JSON.createObjectNode()
            .put("state", "REFUSED")
            .put("reason", refused.reason().label())
            .put("message", refused.message()),
        refused);
  }

  private static Answer answer(int status, ObjectNode body, EnrolmentAnswer decision) {
    try {
      return new Answer(status, JSON.writeValueAsString(body), decision);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an enrolment answer", e);
    }
  }

  /** A field's text, or null when it is absent or not a string (the desk names it). */
  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
