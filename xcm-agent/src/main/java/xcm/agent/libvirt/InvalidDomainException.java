package xcm.agent.libvirt;

/** A request the hypervisor refused because of its input: bad XML, a domain in the wrong state. */
public final class InvalidDomainException extends HypervisorException {
  public InvalidDomainException(String message, Throwable cause) {
    super(message, cause);
  }
}
