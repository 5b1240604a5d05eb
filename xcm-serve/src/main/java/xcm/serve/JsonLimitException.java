package xcm.serve;

/** A request body over one of the {@link JsonLimits}; the message names the limit and where. */
public final class JsonLimitException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonLimitException(String message) {
    super(message);
  }
}
