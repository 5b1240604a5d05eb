package xcm.agent.enrol;

/**
 * What the coordinator's enrolment desk answered ({@code xcm.coordinator.enrol.EnrolmentDoor}):
 * each of its three states. Every other answer is an {@code IOException} of {@link
 * EnrolmentClient}. The texts are the coordinator's, unchecked and unescaped.
 */
sealed interface CoordinatorAnswer {

  /**
   * 200 {@code ENROLLED}: this host's certificate (PEM, possibly with the authority's after it).
   */
  record Enrolled(String certificate, String authority) implements CoordinatorAnswer {}

  /** 202 {@code WAITING} for an operator, who is shown the key's fingerprint. */
  record Waiting(String fingerprint) implements CoordinatorAnswer {}

  /** 400, 403 or 429 {@code REFUSED}: the desk's reason label and message. */
  record Refused(String reason, String message) implements CoordinatorAnswer {}
}
