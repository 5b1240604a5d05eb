package xcm.coordinator.collect;

/**
 * An agent that could not be read: it does not answer, refuses the credentials, or answers with
 * something that is not an XCM agent's Jolokia. The message names the URL and the reason.
 */
public final class AgentException extends Exception {
  private final boolean refused;

  public AgentException(String message) {
    this(message, false);
  }

  /**
   * @param refused the agent refused the request for what it asked (bad input, wrong state), so
   *     asking again would not help
   */
  public AgentException(String message, boolean refused) {
    super(message);
    this.refused = refused;
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
    this.refused = false;
  }

  /** True when the agent refused the request itself; retrying the same request would not help. */
  public boolean refused() {
    return refused;
  }
}
