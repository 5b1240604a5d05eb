package xcm.trust.ticket;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * The coordinator's word that a domain may go from one host to another until a given time: a
 * statement signed with the cluster authority's key, which every host can check with the
 * authority's certificate alone. The source sends it along with the hand-over; the destination
 * takes the domain only with a ticket that {@link TicketVerifier} accepts for exactly that domain,
 * that source (the host it sees in TLS) and itself.
 *
 * <p>Its {@link #text()} is {@code base64url(payload) "." base64url(signature)}, without padding,
 * at most {@value #MAX_TEXT_LENGTH} characters; the payload is UTF-8 lines in this order, nothing
 * else:
 *
 * <pre>
 * xcm-handover-ticket/1
 * domain-uuid: 9c1e2f3a-…            lower-case
 * domain-name: web%201               percent-encoded UTF-8 (all but A-Z a-z 0-9 - . _ ~)
 * source: hv01
 * destination: hv02
 * issued-at: 2025-03-01T10:00:00Z    whole seconds, UTC
 * expires-at: 2025-03-01T10:15:00Z
 * nonce: 3q2-7w…                     128 random bits, base64url: tells two tickets apart
 * epoch: 7                           the coordinator's epoch, or "none"
 * </pre>
 *
 * The signature is ECDSA with SHA-256 (DER) over the payload's bytes.
 *
 * <pre>{@code
 * // coordinator
 * HandoverTicket ticket = authority.ticketIssuer().issue(handover, Duration.ofMinutes(15));
 * send(ticket.text());
 * // destination
 * HandoverTicket ok = verifier.verify(text, new Handover(uuid, name, peer.name(), "hv02"));
 * }</pre>
 *
 * Immutable.
 */
public final class HandoverTicket {
  /** The longest ticket text read; a real one is about 500 characters. */
  public static final int MAX_TEXT_LENGTH = 4096;

  private final Handover handover;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final String nonce;
  private final OptionalLong epoch;
  private final String text;

  HandoverTicket(
      Handover handover,
      Instant issuedAt,
      Instant expiresAt,
      String nonce,
      OptionalLong epoch,
      String text) {
    this.handover = handover;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.nonce = nonce;
    this.epoch = epoch;
    this.text = text;
  }

  public Handover handover() {
    return handover;
  }

  public Instant issuedAt() {
    return issuedAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** 128 random bits (base64url) that tell this ticket from any other. */
  public String nonce() {
    return nonce;
  }

  /** The coordinator's epoch when it signed, if it said one. */
  public OptionalLong epoch() {
    return epoch;
  }

  /** The signed ticket, to send. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return "hand-over ticket for "
        + handover
        + ", issued "
        + issuedAt
        + ", expires "
        + expiresAt
        + (epoch.isPresent() ? ", epoch " + epoch.getAsLong() : "")
        + ", nonce "
        + nonce;
  }
}
