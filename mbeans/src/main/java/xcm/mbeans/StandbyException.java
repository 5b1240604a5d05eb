package xcm.mbeans;

/**
 * A request that acts, sent to a coordinator that is not the active one: nothing was done. The
 * message names the active coordinator and where it is reached, when one is known.
 */
public final class StandbyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StandbyException(String message) {
    super(message);
  }
}
