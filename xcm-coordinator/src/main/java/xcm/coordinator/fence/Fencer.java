package xcm.coordinator.fence;

/**
 * Powers hosts on and off through their fence devices: the seam the failure handler uses.
 *
 * <pre>{@code
 * if (fencer.canFence("dmz01")) {
 *   fencer.off("dmz01"); // returns once the device says OFF, else throws
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface Fencer {
  /**
   * The host's power as its device reports it.
   *
   * @throws FenceException when no device is configured for the host, or the agent fails
   */
  PowerState status(String host) throws FenceException;

  /**
   * Powers the host off and returns once its device reports it OFF. A host already off counts as
   * powered off.
   *
   * @throws FenceException when the agent fails or the device does not say OFF afterwards
   */
  void off(String host) throws FenceException;

  /**
   * Powers the host on.
   *
   * @throws FenceException when the agent fails
   */
  void on(String host) throws FenceException;

  /** Whether a fence device is configured for the host. */
  boolean canFence(String host);
}
