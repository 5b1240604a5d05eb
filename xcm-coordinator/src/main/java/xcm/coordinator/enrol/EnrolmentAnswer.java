package xcm.coordinator.enrol;

/** What the coordinator answers an agent asking to join. */
public sealed interface EnrolmentAnswer {

  /** Enrolled: the agent's certificate, and the authority's to trust. */
  record Issued(String certificate, String authority) implements EnrolmentAnswer {}

  /** Waiting for an operator; the fingerprint of the key, which the operator is shown too. */
  record Waiting(String fingerprint) implements EnrolmentAnswer {}

  /** This coordinator is a standby: ask the next one (the message names the active one). */
  record Standby(String message) implements EnrolmentAnswer {}

  /** Turned away, and why. */
  record Refused(Refusal reason, String message) implements EnrolmentAnswer {}
}
