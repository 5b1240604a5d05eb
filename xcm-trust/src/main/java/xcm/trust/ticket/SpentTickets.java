package xcm.trust.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tickets a destination has already used, so that each allows one hand-over: a source that kept
 * a ticket cannot send the domain again after it moved back. Kept until the ticket expires (and the
 * clock skew after), so it holds no more than the tickets of one lifetime; in memory, as a restart
 * outlives few tickets' validity.
 *
 * <pre>{@code
 * SpentTickets spent = new SpentTickets(Clock.systemUTC(), Duration.ofSeconds(60));
 * HandoverTicket ticket = verifier.verify(text, expected);
 * spent.spend(ticket);   // at the start of the hand-over; its later phases check, not spend
 * }</pre>
 *
 * Thread-safe.
 */
public final class SpentTickets {
  private final Clock clock;
  private final Duration clockSkew;
  private final Map<String, Instant> spent = new HashMap<>();

  /**
   * @param clockSkew as the verifier's: how long after expiry a ticket could still pass
   */
  public SpentTickets(Clock clock, Duration clockSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
  }

  /**
   * Records a ticket as used.
   *
   * @throws TicketRejectedException {@code REPLAYED} when it was used before
   */
  public synchronized void spend(HandoverTicket ticket) throws TicketRejectedException {
    Instant now = clock.instant();
    spent.values().removeIf(expiry -> now.isAfter(expiry.plus(clockSkew)));
    if (spent.putIfAbsent(ticket.nonce(), ticket.expiresAt()) != null) {
      throw new TicketRejectedException(
          TicketRejectedException.Reason.REPLAYED,
          "it was already used (nonce " + ticket.nonce() + ") for " + ticket.handover());
    }
  }

  /** Whether a ticket was used (and is not yet forgotten). */
  public synchronized boolean isSpent(HandoverTicket ticket) {
    return spent.containsKey(ticket.nonce());
  }
}
