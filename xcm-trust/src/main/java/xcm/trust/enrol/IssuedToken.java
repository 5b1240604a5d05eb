package xcm.trust.enrol;

import java.time.Instant;

/**
 * A token just issued: the one time its secret is shown (give it to the host's operator); only its
 * hash is kept.
 *
 * <pre>{@code
 * IssuedToken token = tokens.issue("hv07", Duration.ofHours(24));
 * out.println("enrolment token for hv07 (once): " + token.secret());
 * }</pre>
 *
 * @param secret the token itself; {@link #toString()} never shows it
 */
public record IssuedToken(String name, String secret, Instant expiresAt) {
  @Override
  public String toString() {
    return "enrolment token for " + name + " until " + expiresAt + " (secret ***)";
  }
}
