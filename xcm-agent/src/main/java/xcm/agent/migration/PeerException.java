package xcm.agent.migration;

/**
 * A call to the destination's agent that did not succeed, with what the source can conclude from
 * it: a rollback may only resume the source's copy when the destination certainly does not run the
 * domain.
 */
public final class PeerException extends Exception {

  /** What the failed call may have done on the destination. */
  public enum Outcome {
    /**
     * The destination's operation ran and refused, saying why; it changed nothing. A refused
     * finishIncoming means the domain does not run there.
     */
    REFUSED,
    /**
     * The request never reached the operation: connection refused, connect time-out, or turned away
     * by Jolokia first (credentials, access policy, no such operation).
     */
    NOT_DELIVERED,
    /** The request may have reached it and taken effect: the answer was lost or never came. */
    UNKNOWN
  }

  private final Outcome outcome;

  public PeerException(Outcome outcome, String message) {
    super(message);
    this.outcome = outcome;
  }

  public PeerException(Outcome outcome, String message, Throwable cause) {
    super(message, cause);
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** True when the call certainly changed nothing on the destination. */
  public boolean changedNothing() {
    return outcome != Outcome.UNKNOWN;
  }
}
