package xcm.coordinator.webhook;

/**
 * A webhook request refused as a whole, before any alert in it is acted on. Its {@link Reason}
 * carries the HTTP status: the one place where refusals map to status codes.
 */
public final class RejectedRequestException extends Exception {

  /** Why a request is refused, and the HTTP status that says so. */
  public enum Reason {
    MALFORMED(400),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Reason reason;

  public RejectedRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public int status() {
    return reason.status();
  }
}
