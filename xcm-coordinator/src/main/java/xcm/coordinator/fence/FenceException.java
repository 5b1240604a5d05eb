package xcm.coordinator.fence;

/** A fence agent that failed, naming the host, the program, the action and the reason. */
public final class FenceException extends Exception {
  private static final long serialVersionUID = 1L;

  public FenceException(String message) {
    super(message);
  }
}
