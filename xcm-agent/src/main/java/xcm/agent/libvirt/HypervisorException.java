package xcm.agent.libvirt;

/** A hypervisor call that failed; the message names the URI or domain and libvirt's reason. */
public class HypervisorException extends Exception {
  public HypervisorException(String message) {
    super(message);
  }

  public HypervisorException(String message, Throwable cause) {
    super(message, cause);
  }
}
