package xcm.agent.libvirt;

import java.util.EnumSet;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The libvirt connection behind one {@link LibvirtHypervisor}: opening it, replacing it on {@link
 * #reconnect()}, calls on one domain looked up by name, and libvirt's errors turned into XCM's
 * exceptions, which say whether the connection, the domain or the request was at fault.
 *
 * <p>Thread-safe: libvirt connections are, and the connection is swapped atomically.
 */
final class LibvirtConnection {

  /** Errors that mean the connection, not the request, is broken. */
  private static final Set<ErrorNumber> CONNECTION_ERRORS =
      EnumSet.of(
          ErrorNumber.VIR_ERR_NO_CONNECT,
          ErrorNumber.VIR_ERR_INVALID_CONN,
          ErrorNumber.VIR_ERR_SYSTEM_ERROR,
          ErrorNumber.VIR_ERR_RPC,
          ErrorNumber.VIR_ERR_AUTH_FAILED,
          ErrorNumber.VIR_ERR_OPEN_FAILED);

  private static final Set<ErrorNumber> INPUT_ERRORS =
      EnumSet.of(
          ErrorNumber.VIR_ERR_XML_ERROR,
          ErrorNumber.VIR_ERR_XML_DETAIL,
          ErrorNumber.VIR_ERR_INVALID_ARG,
          ErrorNumber.VIR_ERR_OPERATION_INVALID,
          ErrorNumber.VIR_ERR_DOM_EXIST,
          ErrorNumber.VIR_ERR_NO_NAME,
          ErrorNumber.VIR_ERR_NO_OS,
          ErrorNumber.VIR_ERR_OS_TYPE,
          ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED);

  private final String uri;
  private volatile Connect connection;

  private LibvirtConnection(String uri, Connect connection) {
    this.uri = uri;
    this.connection = connection;
  }

  /**
   * Opens a read-write connection.
   *
   * @throws HypervisorUnavailableException naming the URI and libvirt's message when it cannot
   */
  static LibvirtConnection open(String uri) throws HypervisorUnavailableException {
    return new LibvirtConnection(uri, connect(uri));
  }

  String uri() {
    return uri;
  }

  /**
   * The connection now. A caller making several calls reads it once, so that all of them go to the
   * same connection even when {@link #reconnect()} swaps it meanwhile.
   */
  Connect current() {
    return connection;
  }

  boolean isAlive() {
    try {
      return connection.isAlive();
    } catch (LibvirtException e) {
      return false;
    }
  }

  void reconnect() throws HypervisorUnavailableException {
    Connect fresh = connect(uri);
    Connect old = connection;
    connection = fresh;
    closeQuietly(old);
  }

  void close() {
    closeQuietly(connection);
  }

  /** One call on a domain handle; it may fail as libvirt does, or as XCM does. */
  interface DomainCall<T> {
    T apply(Domain domain) throws LibvirtException, HypervisorException;
  }

  /**
   * Looks the domain up by name, applies {@code call} to it and frees the handle; a libvirt error
   * of either reads "cannot {action} domain '{name}'" and libvirt's reason. A name holding a NUL
   * character is refused before libvirt sees it: libvirt reads a name up to its first NUL, so
   * {@code "web01\0x"} would be web01, reached past everything that holds web01 by its name (a
   * migration's hold on it).
   */
  <T> T onDomain(String name, String action, DomainCall<T> call) throws HypervisorException {
    if (name == null || name.isEmpty()) {
      throw new InvalidDomainException(
          uri + ": cannot " + action + " a domain without a name", null);
    }
    if (name.indexOf('\0') >= 0) {
      throw new InvalidDomainException(
          uri
              + ": cannot "
              + action
              + " domain '"
              + name.replace("\0", "\\0")
              + "': a domain name holds no NUL character",
          null);
    }
    Domain domain;
    try {
      domain = connection.domainLookupByName(name);
    } catch (LibvirtException e) {
      throw translate(e, "cannot " + action + " domain '" + name + "'");
    }
    try {
      return call.apply(domain);
    } catch (LibvirtException e) {
      throw translate(e, "cannot " + action + " domain '" + name + "'");
    } finally {
      free(domain);
    }
  }

  /**
   * The exception for a failed call, chosen by libvirt's error code: the domain is not there, the
   * connection is broken, the request was invalid, or anything else.
   */
  HypervisorException translate(LibvirtException e, String what) {
    String message = uri + ": " + what + ": " + e.getError().getMessage();
    ErrorNumber code = e.getError().getCode();
    if (code == ErrorNumber.VIR_ERR_NO_DOMAIN) {
      return new DomainNotFoundException(message, e);
    }
    if (isConnectionError(e)) {
      return new HypervisorUnavailableException(message, e);
    }
    if (INPUT_ERRORS.contains(code)) {
      return new InvalidDomainException(message, e);
    }
    return new HypervisorException(message, e);
  }

  /** True when the error's code is one of a broken connection, or the connection is dead now. */
  boolean isConnectionError(LibvirtException e) {
    return CONNECTION_ERRORS.contains(e.getError().getCode()) || !isAlive();
  }

  static void free(Domain domain) {
    try {
      domain.free();
    } catch (LibvirtException e) {
      // Freeing a handle only fails for an already invalid handle: nothing left to release.
    }
  }

  private static Connect connect(String uri) throws HypervisorUnavailableException {
    LibvirtRuntime.init();
    try {
      Connect conn = new Connect(uri, false);
      LibvirtRuntime.keepAlive(conn);
      return conn;
    } catch (LibvirtException e) {
      throw new HypervisorUnavailableException(
          "cannot connect to libvirt at " + uri + ": " + e.getError().getMessage(), e);
    }
  }

  private static void closeQuietly(Connect conn) {
    try {
      conn.close();
    } catch (LibvirtException e) {
      // A connection being replaced or shut down may already be dead; closing it cannot fail
      // usefully.
    }
  }
}
