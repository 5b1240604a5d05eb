package xcm.trust;

import java.security.GeneralSecurityException;

/** A certificate request that is refused before anyone looks at it; the message says why. */
public final class InvalidRequestException extends GeneralSecurityException {
  public InvalidRequestException(String reason) {
    super("certificate request " + reason);
  }

  public InvalidRequestException(String reason, Throwable cause) {
    super("certificate request " + reason, cause);
  }
}
