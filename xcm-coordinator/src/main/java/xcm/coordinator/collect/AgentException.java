package xcm.coordinator.collect;

/**
 * An agent that could not be read: it does not answer, refuses the credentials, or answers with
 * something that is not an XCM agent's Jolokia. The message names the URL and the reason.
 */
public final class AgentException extends Exception {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
