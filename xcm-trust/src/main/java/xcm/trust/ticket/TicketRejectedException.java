package xcm.trust.ticket;

/**
 * A hand-over ticket that does not allow what was asked; the {@link Reason} says why, for the
 * caller to act on, and the message says it for people: {@code hand-over ticket refused
 * (WRONG_DESTINATION): it is for hv02, this is hv03}.
 *
 * <pre>{@code
 * } catch (TicketRejectedException e) {
 *   throw new IllegalArgumentException(e.getMessage());   // refused, nothing changed
 * }
 * }</pre>
 */
public final class TicketRejectedException extends Exception {
  /** Why a ticket was refused. */
  public enum Reason {
    /** Not a ticket: too long, not two base64url parts, a payload not in the ticket's form. */
    MALFORMED,
    /** Not signed by this cluster's authority, or changed after it was signed. */
    BAD_SIGNATURE,
    /** Issued later than now (beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** Past its expiry (beyond the allowed clock skew). */
    EXPIRED,
    /** Valid for longer than a verifier accepts. */
    LIFETIME_TOO_LONG,
    /** For another domain (UUID or name). */
    WRONG_DOMAIN,
    /** For a hand-over from another host. */
    WRONG_SOURCE,
    /** For a hand-over to another host. */
    WRONG_DESTINATION,
    /** Already used for a hand-over. */
    REPLAYED
  }

  private final Reason reason;

  public TicketRejectedException(Reason reason, String detail) {
    super("hand-over ticket refused (" + reason + "): " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
