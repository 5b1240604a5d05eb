package xcm.serve;

/** An agent or coordinator could not start; the message says which part and why. */
public final class StartException extends Exception {
  public StartException(String message, Throwable cause) {
    super(message, cause);
  }
}
