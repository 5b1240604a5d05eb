package xcm.trust;

import java.security.GeneralSecurityException;

/**
 * A certificate request that is refused before anyone looks at it; the message says why.
 *
 * <pre>{@code
 * try {
 *   CertificateRequest request = CertificateRequest.parse(pem);
 * } catch (InvalidRequestException e) {
 *   throw new IllegalArgumentException(host + ": " + e.getMessage());
 * }
 * }</pre>
 */
public final class InvalidRequestException extends GeneralSecurityException {
  public InvalidRequestException(String reason) {
    super("certificate request " + reason);
  }

  public InvalidRequestException(String reason, Throwable cause) {
    super("certificate request " + reason, cause);
  }
}
