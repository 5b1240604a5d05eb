package xcm.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import xcm.coordinator.webhook.AlertActions;

/**
 * What the answer to a hostile input says: refused with a reason, as every input must be (or, at
 * the enrolment door, a well-formed request without a token waiting for an operator), or a failure
 * and what is wrong with it. The answer is read as sent, on the wire: an HTTP status and a body,
 * Jolokia's own status and error per request, the webhook's result per alert.
 *
 * @param failure what is wrong; null unless {@link Kind#FAILED}
 * @param reason what the client was told, for a Jolokia refusal (its error, or the HTTP body); null
 *     otherwise
 */
record Verdict(Kind kind, String failure, String reason) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How an input ended. */
  enum Kind {
    /** Refused with a reason: HTTP 4xx with a body, or Jolokia's status 4xx with an error. */
    REFUSED,
    /** The webhook's HTTP 200 with every alert refused or ignored, each with a reason. */
    ALERTS_REFUSED,
    /**
     * The enrolment door's 202 {@code WAITING} with the key's fingerprint: a well-formed request
     * without a token waits for an operator (the waiting room holds 256 at most), and nothing is
     * enrolled.
     */
    WAITING,
    /** Carried out, a 5xx, a refusal without a reason, or no answer. */
    FAILED
  }

  private static final Verdict REFUSED = new Verdict(Kind.REFUSED, null, null);
  private static final Verdict ALERTS_REFUSED = new Verdict(Kind.ALERTS_REFUSED, null, null);
  private static final Verdict WAITING = new Verdict(Kind.WAITING, null, null);

  static Verdict failed(String failure) {
    return new Verdict(Kind.FAILED, failure, null);
  }

  private static Verdict refused(String reason) {
    return new Verdict(Kind.REFUSED, null, reason);
  }

  boolean isFailure() {
    return kind == Kind.FAILED;
  }

  /** An answer of the coordinator's Jolokia, to one request or a bulk of them. */
  static Verdict ofJolokia(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      return response.body().isBlank()
          ? failed("HTTP " + status + " without a reason")
          : refused("HTTP " + status + ": " + response.body());
    }
    if (status != 200) {
      return failed("HTTP " + status + ": " + response.body());
    }
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      return failed("HTTP 200 with a body that is not JSON: " + response.body());
    }
    if (reply == null) {
      return failed("HTTP 200 with an empty body");
    }
    String reason = null;
    for (JsonNode one : reply.isArray() ? reply : List.of(reply)) {
      int inner = one.path("status").asInt(-1);
      if (inner == 200) {
        return failed("accepted: " + one);
      }
      if (inner < 400 || inner >= 500) {
        return failed("status " + inner + ": " + one);
      }
      if (one.path("error").asText("").isBlank()) {
        return failed("status " + inner + " without a reason: " + one);
      }
      if (reason == null) {
        reason = inner + " " + one.path("error").asText();
      }
    }
    return refused(reason);
  }

  /** An answer of the coordinator's Alertmanager webhook. */
  static Verdict ofWebhook(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      return failed("HTTP " + status + " with a body that is not JSON: " + response.body());
    }
    if (status >= 400 && status < 500) {
      return reply != null && !reply.path("error").asText("").isBlank()
          ? REFUSED
          : failed("HTTP " + status + " without {\"error\": reason}: " + response.body());
    }
    if (status != 200 || reply == null) {
      return failed("HTTP " + status + ": " + response.body());
    }
    for (JsonNode result : reply.path("results")) {
      String label = result.path("result").asText();
      Optional<AlertActions.Outcome> outcome = outcome(label);
      if (outcome.isEmpty()
          || outcome.get() != AlertActions.Outcome.REFUSED
              && outcome.get() != AlertActions.Outcome.IGNORED) {
        return failed("alert " + label + ": " + result);
      }
      if (result.path("reason").asText("").isBlank()) {
        return failed("alert " + label + " without a reason: " + result);
      }
    }
    return ALERTS_REFUSED;
  }

  /**
   * An answer of the enrolment door. A refusal is 4xx with the desk's JSON {@code reason} and
   * {@code message}, or, for what never reaches the desk (another path, a request Jetty cannot
   * parse), the doors' own JSON {@code error}.
   *
   * @param mayWait true for a well-formed request without a token, which may be answered 202
   *     WAITING
   */
  static Verdict ofEnrolment(HttpResponse<String> response, boolean mayWait) {
    int status = response.statusCode();
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      return failed("HTTP " + status + " with a body that is not JSON: " + response.body());
    }
    if (reply == null || !reply.isObject()) {
      return failed("HTTP " + status + " without a JSON object: " + response.body());
    }
    if (status >= 400 && status < 500) {
      boolean desk =
          !reply.path("reason").asText("").isBlank() && !reply.path("message").asText("").isBlank();
      return desk || !reply.path("error").asText("").isBlank()
          ? REFUSED
          : failed("HTTP " + status + " without a reason and a message: " + response.body());
    }
    if (status == 202
        && mayWait
        && reply.path("state").asText().equals("WAITING")
        && !reply.path("fingerprint").asText("").isBlank()) {
      return WAITING;
    }
    return failed("HTTP " + status + ": " + response.body());
  }

  /** The outcome an alert's {@code result} names, as the webhook writes it. */
  private static Optional<AlertActions.Outcome> outcome(String label) {
    return Arrays.stream(AlertActions.Outcome.values())
        .filter(o -> o.label().equals(label))
        .findFirst();
  }
}
