package xcm.coordinator.enrol;

/** Why an enrolment request was turned away; the label is the metric's {@code reason}. */
public enum Refusal {
  /** A field is missing, too long or malformed, or the certificate request does not verify. */
  INVALID("invalid"),
  /** Another key holds this host name. */
  NAME_TAKEN("name_taken"),
  /** Another host holds this libvirt host UUID. */
  UUID_TAKEN("uuid_taken"),
  /** The token is unknown, for another name, used or expired. */
  BAD_TOKEN("bad_token"),
  /** An enrolled host's agent asked to move to a new URL without presenting its certificate. */
  UNPROVEN_MOVE("unproven_move"),
  /** Too many requests wait already, for this name or in all. */
  TOO_MANY_WAITING("too_many_waiting");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
