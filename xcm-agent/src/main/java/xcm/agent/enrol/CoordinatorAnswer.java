package xcm.agent.enrol;

/**
 * What a coordinator's enrolment desk answered ({@code xcm.coordinator.enrol.EnrolmentDoor}): each
 * of its four states. Every other answer is an {@code IOException} of {@link EnrolmentClient}. The
 * texts are the coordinator's, unchecked and unescaped.
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

  /**
   * 503 {@code STANDBY}: this coordinator is not the active one and enrols nobody; its message
   * (which may name the active coordinator) is at most {@link EnrolmentClient#QUOTED} characters.
   */
  record Standby(String message) implements CoordinatorAnswer {}
}
