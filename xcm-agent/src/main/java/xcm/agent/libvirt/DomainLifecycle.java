package xcm.agent.libvirt;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * Changes domains through a libvirt connection: defines, starts (running or paused), suspends,
 * resumes, destroys and undefines them.
 *
 * <p>Thread-safe: it keeps no state besides the connection.
 */
final class DomainLifecycle {

  /** The argument name libvirt's virCheckFlags reports a refused flag under (virError.str2). */
  private static final String FLAGS_ARGUMENT = "flags";

  private final LibvirtConnection connection;

  DomainLifecycle(LibvirtConnection connection) {
    this.connection = connection;
  }

  String defineDomain(String xml) throws HypervisorException {
    if (xml == null || xml.isBlank()) {
      throw new InvalidDomainException(connection.uri() + ": domain XML is empty", null);
    }
    try {
      Domain domain = connection.current().domainDefineXML(xml);
      try {
        return domain.getName();
      } finally {
        LibvirtConnection.free(domain);
      }
    } catch (LibvirtException e) {
      throw connection.translate(e, "cannot define domain");
    }
  }

  void startDomain(String name) throws HypervisorException {
    connection.onDomain(name, "start", Domain::create);
  }

  /** See {@link Hypervisor#startDomainPaused(String)}. */
  boolean startDomainPaused(String name) throws HypervisorException {
    return connection.onDomain(
        name,
        "start",
        domain -> {
          try {
            domain.create(Domain.CreateFlags.PAUSED);
            return true;
          } catch (LibvirtException e) {
            if (isUnsupportedFlag(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  /**
   * True when the driver refused the call's flags, and so did nothing. libvirt has no error code of
   * its own for that: a driver's flag check (virCheckFlags, e.g. in the test driver's
   * testDomainCreateWithFlags) fails with VIR_ERR_INVALID_ARG, as any invalid argument does, and
   * names the argument it refused, "flags", in the error's str2. That name comes from libvirt's
   * source: it reads the same in every locale, and the remote protocol carries it. The message
   * ("unsupported flags (0x1) in function ...") is translated, and has been reworded before.
   */
  private static boolean isUnsupportedFlag(LibvirtException e) {
    ErrorNumber code = e.getError().getCode();
    return code == ErrorNumber.VIR_ERR_NO_SUPPORT
        || (code == ErrorNumber.VIR_ERR_INVALID_ARG
            && FLAGS_ARGUMENT.equals(e.getError().getStr2()));
  }

  void suspendDomain(String name) throws HypervisorException {
    connection.onDomain(
        name,
        "suspend",
        domain -> {
          domain.suspend();
          return 0;
        });
  }

  void resumeDomain(String name) throws HypervisorException {
    connection.onDomain(
        name,
        "resume",
        domain -> {
          domain.resume();
          return 0;
        });
  }

  void destroyDomain(String name) throws HypervisorException {
    connection.onDomain(
        name,
        "destroy",
        domain -> {
          domain.destroy();
          return 0;
        });
  }

  void undefineDomain(String name) throws HypervisorException {
    connection.onDomain(
        name,
        "undefine",
        domain -> {
          if (domain.isActive() == 1) {
            throw new InvalidDomainException(
                connection.uri()
                    + ": cannot undefine domain '"
                    + name
                    + "': it is running; destroy it first",
                null);
          }
          domain.undefine();
          return 0;
        });
  }
}
