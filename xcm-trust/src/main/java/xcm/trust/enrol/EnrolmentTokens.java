package xcm.trust.enrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import xcm.trust.Printable;
import xcm.trust.Subject;
import xcm.trust.enrol.TokenRejectedException.Reason;

/**
 * One-time enrolment tokens: an operator issues one for exactly one host name with an expiry, and
 * the host that presents it (with that name) is enrolled without waiting for approval, once.
 *
 * <p>A token is {@value #PREFIX} and 192 random bits in base64url. It is shown once, at issue; only
 * its SHA-256 is stored (a 192-bit secret needs no slow hash), and a presented token is compared
 * with every stored hash in constant time. Issuing a token for a name replaces the one the name
 * had. Redemption is written to the store before it is answered, so a token is never redeemed
 * twice, a restart in between included. Records are forgotten {@value #RETAIN_DAYS} days after they
 * expire.
 *
 * <pre>{@code
 * EnrolmentTokens tokens = new EnrolmentTokens(new FileTokenStore(caDirectory), Clock.systemUTC(), new SecureRandom());
 * IssuedToken token = tokens.issue("hv07", Duration.ofHours(24));
 * System.out.println(token.secret());            // shown once, to the operator
 * // later, the host hv07 asks to join with it:
 * tokens.redeem(presented, "hv07");              // or TokenRejectedException
 * }</pre>
 *
 * Thread-safe.
 */
public final class EnrolmentTokens {
  /** What every token starts with, so that a secret scanner or a person knows one. */
  public static final String PREFIX = "xcm-enrol-";

  static final int RETAIN_DAYS = 7;
  private static final int SECRET_BYTES = 24;
  private static final int MAX_PRESENTED_LENGTH = 128;

  private final TokenStore store;
  private final Clock clock;
  private final SecureRandom random;

  public EnrolmentTokens(TokenStore store, Clock clock, SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Issues a token for one host name, replacing any token the name had.
   *
   * @throws IllegalArgumentException when the name is not valid or the validity not positive
   */
  public synchronized IssuedToken issue(String name, Duration validity) throws IOException {
    Subject.requireValidName(name, "host name");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("a token's validity must be positive, found " + validity);
    }
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(validity);
    List<TokenRecord> records = new ArrayList<>(current(now));
    records.removeIf(r -> r.name().equals(name));
    records.add(new TokenRecord(name, hex(secret), now, expiresAt, Optional.empty()));
    store.save(records);
    return new IssuedToken(name, secret, expiresAt);
  }

  /**
   * Redeems a token for the host name presenting it.
   *
   * @return the record as redeemed
   * @throws TokenRejectedException {@code UNKNOWN}, {@code WRONG_NAME}, {@code ALREADY_REDEEMED} or
   *     {@code EXPIRED}; the message names the host, never the token
   */
  public synchronized TokenRecord redeem(String presented, String name)
      throws TokenRejectedException, IOException {
    String host = Printable.quote(name);
    Instant now = clock.instant();
    List<TokenRecord> records = new ArrayList<>(current(now));
    int found = -1;
    if (presented != null && presented.length() <= MAX_PRESENTED_LENGTH) {
      byte[] hash = sha256(presented);
      // Every stored hash is compared, all the way: the time says nothing of which one matched.
      for (int i = 0; i < records.size(); i++) {
        if (MessageDigest.isEqual(hash, records.get(i).hash())) {
          found = i;
        }
      }
    }
    if (found < 0) {
      throw new TokenRejectedException(
          Reason.UNKNOWN, "enrolment token presented by " + host + " is not one that was issued");
    }
    TokenRecord record = records.get(found);
    if (!record.name().equals(name)) {
      throw new TokenRejectedException(
          Reason.WRONG_NAME,
          "enrolment token presented by " + host + " was issued for another host");
    }
    if (record.redeemedAt().isPresent()) {
      throw new TokenRejectedException(
          Reason.ALREADY_REDEEMED,
          "enrolment token for " + host + " was already redeemed at " + record.redeemedAt().get());
    }
    if (!now.isBefore(record.expiresAt())) {
      throw new TokenRejectedException(
          Reason.EXPIRED, "enrolment token for " + host + " expired at " + record.expiresAt());
    }
    TokenRecord redeemed = record.redeemed(now.truncatedTo(ChronoUnit.SECONDS));
    records.set(found, redeemed);
    store.save(records);
    return redeemed;
  }

  /**
   * Withdraws the token of a host name, if it has one.
   *
   * @return whether there was one
   */
  public synchronized boolean cancel(String name) throws IOException {
    List<TokenRecord> records = new ArrayList<>(current(clock.instant()));
    boolean removed = records.removeIf(r -> r.name().equals(name));
    if (removed) {
      store.save(records);
    }
    return removed;
  }

  /** The tokens neither redeemed nor expired, for views: names and times, no secrets. */
  public synchronized List<TokenRecord> open() throws IOException {
    Instant now = clock.instant();
    return current(now).stream().filter(r -> r.isOpen(now)).toList();
  }

  private List<TokenRecord> current(Instant now) throws IOException {
    Instant forgetBefore = now.minus(Duration.ofDays(RETAIN_DAYS));
    return store.load().stream().filter(r -> r.expiresAt().isAfter(forgetBefore)).toList();
  }

  private static String hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
