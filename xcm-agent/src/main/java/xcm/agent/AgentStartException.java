package xcm.agent;

/** The agent could not start; the message says which part and why. */
public final class AgentStartException extends Exception {
  public AgentStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
