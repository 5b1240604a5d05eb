package xcm.trust.enrol;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import xcm.trust.Subject;

/**
 * What is kept of an enrolment token: the host name it is for, the SHA-256 of the token (never the
 * token), when it was issued, until when it holds, and when it was redeemed.
 *
 * <pre>{@code
 * for (TokenRecord open : tokens.open()) show(open.name(), open.expiresAt());
 * }</pre>
 *
 * Immutable.
 *
 * @param sha256 64 lower-case hex digits
 */
public record TokenRecord(
    String name, String sha256, Instant issuedAt, Instant expiresAt, Optional<Instant> redeemedAt) {

  public TokenRecord {
    Subject.requireValidName(name, "host name");
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length() != 64
        || !sha256.chars().allMatch(c -> "0123456789abcdef".indexOf(c) >= 0)) {
      throw new IllegalArgumentException("a token's SHA-256 is 64 lower-case hex digits");
    }
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(redeemedAt, "redeemedAt");
  }

  byte[] hash() {
    return HexFormat.of().parseHex(sha256);
  }

  TokenRecord redeemed(Instant at) {
    return new TokenRecord(name, sha256, issuedAt, expiresAt, Optional.of(at));
  }

  /** Neither redeemed nor expired at that time. */
  public boolean isOpen(Instant now) {
    return redeemedAt.isEmpty() && now.isBefore(expiresAt);
  }
}
