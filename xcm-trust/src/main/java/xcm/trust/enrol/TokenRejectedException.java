package xcm.trust.enrol;

/**
 * An enrolment token that does not let this host in; the {@link Reason} says why, the message says
 * it for people and names the host that presented it, never the token.
 *
 * <pre>{@code
 * } catch (TokenRejectedException e) {
 *   pending.add(host);    // no valid token: the host waits for an operator's approval
 * }
 * }</pre>
 */
public final class TokenRejectedException extends Exception {
  /** Why a token was refused. */
  public enum Reason {
    /** No such token was issued (or it was cancelled, or so long expired that it is forgotten). */
    UNKNOWN,
    /** The token was issued for another host name. */
    WRONG_NAME,
    /** The token has expired. */
    EXPIRED,
    /** The token was redeemed before: a token lets one host in, once. */
    ALREADY_REDEEMED
  }

  private final Reason reason;

  public TokenRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
