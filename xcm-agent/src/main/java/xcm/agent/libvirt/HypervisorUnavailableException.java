package xcm.agent.libvirt;

/** The connection to the hypervisor cannot be opened or was lost. */
public final class HypervisorUnavailableException extends HypervisorException {
  public HypervisorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
