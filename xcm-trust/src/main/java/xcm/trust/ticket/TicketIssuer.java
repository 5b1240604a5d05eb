package xcm.trust.ticket;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;
import xcm.trust.Keys;

/**
 * Signs hand-over tickets; made by {@code ClusterAuthority#ticketIssuer()}, which holds the key.
 *
 * <pre>{@code
 * TicketIssuer issuer = authority.ticketIssuer();
 * HandoverTicket ticket = issuer.issue(new Handover(uuid, "web-1", "hv01", "hv02"), Duration.ofMinutes(15));
 * }</pre>
 *
 * Thread-safe.
 */
public final class TicketIssuer {
  private final PrivateKey key;
  private final Clock clock;
  private final SecureRandom random;

  /** A signer with the cluster authority's key: only the authority makes one. */
  public TicketIssuer(PrivateKey key, Clock clock, SecureRandom random) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A ticket valid from now for that long, without an epoch. */
  public HandoverTicket issue(Handover handover, Duration validity) {
    return issue(handover, validity, OptionalLong.empty());
  }

  /**
   * A ticket valid from now (whole seconds) for that long.
   *
   * @param epoch the coordinator's epoch, for destinations to refuse a deposed coordinator's
   *     tickets
   * @throws IllegalArgumentException when the validity is not at least one second
   */
  public HandoverTicket issue(Handover handover, Duration validity, OptionalLong epoch) {
    Objects.requireNonNull(handover, "handover");
    if (validity.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "a ticket's validity must be 1s or more, found " + validity);
    }
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = issuedAt.plus(validity).truncatedTo(ChronoUnit.SECONDS);
    byte[] nonce = new byte[TicketPayload.NONCE_BYTES];
    random.nextBytes(nonce);
    TicketPayload.Fields fields =
        new TicketPayload.Fields(handover, issuedAt, expiresAt, TicketPayload.encode(nonce), epoch);
    byte[] payload = TicketPayload.write(fields);
    byte[] signature;
    try {
      Signature signer = Signature.getInstance(Keys.SIGNATURE);
      signer.initSign(key, random);
      signer.update(payload);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a ticket: " + e.getMessage(), e);
    }
    String text = TicketPayload.encode(payload) + "." + TicketPayload.encode(signature);
    if (text.length() > HandoverTicket.MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          handover + ": the ticket would be longer than " + HandoverTicket.MAX_TEXT_LENGTH);
    }
    return new HandoverTicket(handover, issuedAt, expiresAt, fields.nonce(), epoch, text);
  }

  @Override
  public String toString() {
    return "TicketIssuer[key ***]";
  }
}
