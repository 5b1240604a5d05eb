package xcm.agent.libvirt;

/** No domain of that name is defined on the host. */
public final class DomainNotFoundException extends HypervisorException {
  public DomainNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
