package xcm.trust.ticket;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import xcm.trust.Keys;
import xcm.trust.Printable;
import xcm.trust.ticket.TicketRejectedException.Reason;

/**
 * Checks hand-over tickets against the cluster authority's certificate and a clock: the form, then
 * the signature (before anything of the payload is believed), then the time, then that the ticket
 * is for exactly the hand-over asked.
 *
 * <pre>{@code
 * TicketVerifier verifier = TicketVerifier.builder().authority(caCertificate).build();
 * // the destination, asked by the peer it sees in TLS to take a domain:
 * HandoverTicket ticket =
 *     verifier.verify(text, new Handover(uuid, name, peer.name(), ownName));
 * spent.spend(ticket);   // once per hand-over, see SpentTickets
 * }</pre>
 *
 * Thread-safe.
 */
public final class TicketVerifier {
  private final PublicKey authorityKey;
  private final Clock clock;
  private final Duration clockSkew;
  private final Duration maxLifetime;

  private TicketVerifier(Builder b) {
    this.authorityKey = b.authority.getPublicKey();
    this.clock = b.clock;
    this.clockSkew = b.clockSkew;
    this.maxLifetime = b.maxLifetime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a ticket and that it is for exactly this hand-over.
   *
   * @throws TicketRejectedException with the first reason found, in the order above
   */
  public HandoverTicket verify(String text, Handover expected) throws TicketRejectedException {
    HandoverTicket ticket = verify(text);
    Handover stated = ticket.handover();
    if (!stated.domainUuid().equals(expected.domainUuid())
        || !stated.domainName().equals(expected.domainName())) {
      throw new TicketRejectedException(
          Reason.WRONG_DOMAIN,
          "it is for domain "
              + Printable.quote(stated.domainName())
              + " ("
              + stated.domainUuid()
              + "), asked for "
              + Printable.quote(expected.domainName())
              + " ("
              + expected.domainUuid()
              + ")");
    }
    if (!stated.source().equals(expected.source())) {
      throw new TicketRejectedException(
          Reason.WRONG_SOURCE,
          "it is for a hand-over from "
              + stated.source()
              + ", this one is from "
              + expected.source());
    }
    if (!stated.destination().equals(expected.destination())) {
      throw new TicketRejectedException(
          Reason.WRONG_DESTINATION,
          "it is for " + stated.destination() + ", this is " + expected.destination());
    }
    return ticket;
  }

  /**
   * Checks a ticket's form, signature and time, and returns what it states.
   *
   * @throws TicketRejectedException {@code MALFORMED}, {@code BAD_SIGNATURE}, {@code
   *     NOT_YET_VALID}, {@code EXPIRED} or {@code LIFETIME_TOO_LONG}
   */
  public HandoverTicket verify(String text) throws TicketRejectedException {
    if (text == null || text.length() > HandoverTicket.MAX_TEXT_LENGTH) {
      throw new TicketRejectedException(
          Reason.MALFORMED,
          text == null
              ? "no ticket"
              : "it is "
                  + text.length()
                  + " characters long, more than "
                  + HandoverTicket.MAX_TEXT_LENGTH);
    }
    int dot = text.indexOf('.');
    if (dot < 0 || text.indexOf('.', dot + 1) >= 0) {
      throw new TicketRejectedException(
          Reason.MALFORMED, "it is not two base64url parts joined by a dot");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = Base64.getUrlDecoder().decode(text.substring(0, dot));
      signature = Base64.getUrlDecoder().decode(text.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new TicketRejectedException(Reason.MALFORMED, "it is not base64url: " + e.getMessage());
    }
    if (!signedByAuthority(payload, signature)) {
      throw new TicketRejectedException(
          Reason.BAD_SIGNATURE,
          "its signature is not this cluster authority's, or it was changed after signing");
    }
    TicketPayload.Fields fields;
    try {
      fields = TicketPayload.read(payload);
    } catch (IllegalArgumentException e) {
      throw new TicketRejectedException(Reason.MALFORMED, e.getMessage());
    }
    Instant now = clock.instant();
    if (fields.issuedAt().isAfter(now.plus(clockSkew))) {
      throw new TicketRejectedException(
          Reason.NOT_YET_VALID,
          "it was issued at " + fields.issuedAt() + ", later than now, " + now);
    }
    if (!now.isBefore(fields.expiresAt().plus(clockSkew))) {
      throw new TicketRejectedException(
          Reason.EXPIRED, "it expired at " + fields.expiresAt() + ", now is " + now);
    }
    Duration lifetime = Duration.between(fields.issuedAt(), fields.expiresAt());
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw new TicketRejectedException(
          Reason.LIFETIME_TOO_LONG,
          "it is valid for " + lifetime + ", more than the " + maxLifetime + " accepted");
    }
    return new HandoverTicket(
        fields.handover(),
        fields.issuedAt(),
        fields.expiresAt(),
        fields.nonce(),
        fields.epoch(),
        text);
  }

  private boolean signedByAuthority(byte[] payload, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(Keys.SIGNATURE);
      verifier.initVerify(authorityKey);
      verifier.update(payload);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // A signature that is not even DER is as bad as a wrong one.
      return false;
    }
  }

  /** Sets up a verifier. */
  public static final class Builder {
    private X509Certificate authority;
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofSeconds(60);
    private Duration maxLifetime = Duration.ofHours(24);

    private Builder() {}

    /** Required: the cluster authority's certificate, whose key signs tickets. */
    public Builder authority(X509Certificate authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
      return this;
    }

    /** Optional: the time tickets are checked by. Default is the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Optional: how far this host's clock may be from the coordinator's, both ways. Default 60s.
     */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must not be negative, found " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /** Optional: the longest validity a ticket may have. Default 24h. */
    public Builder maxLifetime(Duration maxLifetime) {
      if (maxLifetime.isNegative() || maxLifetime.isZero()) {
        throw new IllegalArgumentException("maxLifetime must be positive, found " + maxLifetime);
      }
      this.maxLifetime = maxLifetime;
      return this;
    }

    public TicketVerifier build() {
      if (authority == null) {
        throw new IllegalStateException(
            "authority is required: the cluster authority's certificate");
      }
      return new TicketVerifier(this);
    }
  }
}
