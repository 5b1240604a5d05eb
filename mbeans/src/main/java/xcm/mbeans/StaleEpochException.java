package xcm.mbeans;

/**
 * An agent-changing request whose coordinator epoch is older than the newest the agent has seen: it
 * comes from a coordinator that has since been replaced as the active one, and nothing was done.
 */
public final class StaleEpochException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StaleEpochException(String message) {
    super(message);
  }
}
