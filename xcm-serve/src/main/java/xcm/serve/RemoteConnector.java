package xcm.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JMX remote (RMI) connector so that JConsole and VisualVM can attach from another machine:
 * registry and connector share one port, bound to one address, with the JDK's {@code
 * com.sun.management.jmxremote} password file and roles from its access file. With TLS configured,
 * registry and connector accept only SSL connections (and, with client authentication, only clients
 * presenting a certificate of the trust store): {@code jconsole -J-Djavax.net.ssl.trustStore=...
 * URL}.
 *
 * <p>What a client sends is read through serial filters: before authentication only its credentials
 * ({@link #CREDENTIALS_FILTER}), after it only what JMX calls carry ({@link #SERIAL_FILTER});
 * anything else is refused before it is instantiated, so no class on the class path gets to run
 * code of its own. Every call then passes the process's Jolokia access policy for the caller's role
 * ({@link PolicyForwarder}). The RMI registry in front reads with its own filter, which only the
 * JVM option {@code sun.rmi.registry.registryFilter} narrows ({@code conf/*.jvm} set it; without it
 * a warning is logged).
 *
 * <pre>{@code
 * try (RemoteConnector jmx = RemoteConnector.start(server, jmxRemoteConfig,
 *     "classpath:/xcm/agent/jolokia-access.xml")) {
 *   System.out.println(jmx.serviceUrl());   // jconsole <that URL>
 * }
 * }</pre>
 */
public final class RemoteConnector implements AutoCloseable {
  private final Registry registry;
  private final JMXConnectorServer connector;
  private final String serviceUrl;

  private RemoteConnector(Registry registry, JMXConnectorServer connector, String serviceUrl) {
    this.registry = registry;
    this.connector = connector;
    this.serviceUrl = serviceUrl;
  }

  /**
   * Before authentication a client sends only its credentials: a {@code String[]} of user and
   * password, nothing else and nothing nested. The JDK's own agent sets {@code
   * jmx.remote.rmi.server.credential.types} to the same two types; this pattern ({@link
   * RMIConnectorServer#CREDENTIALS_FILTER_PATTERN}, which replaces it) also bounds the array, which
   * would otherwise be allocated at any length a stranger names.
   */
  static final String CREDENTIALS_FILTER = "maxdepth=1;maxarray=2;java.lang.String;!*";

  /**
   * After authentication: what JMX calls carry, found by running JConsole's calls ({@code
   * RemoteConnectorPolicyTest}). An array matches its element type; arrays of primitives ({@code
   * long[]} thread ids, the bytes of a {@link java.rmi.MarshalledObject}) pass on their size alone.
   * No query classes: a {@code QueryExp} is evaluated by reading attributes, past the access
   * policy; an ObjectName pattern still queries.
   */
  static final String SERIAL_FILTER =
      String.join(
          ";",
          "maxdepth=20",
          "maxarray=1048576",
          "maxrefs=100000",
          // Every parameter list, attribute and notification filter comes wrapped in one.
          "java.rmi.MarshalledObject",
          // Parameters and attribute values: the simple open types, in an Object[].
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Character",
          "java.lang.Number",
          "java.lang.Byte",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.util.Date",
          "java.lang.Object",
          "javax.management.ObjectName",
          // setAttribute(s): read, then refused by the policy with a reason rather than here.
          "javax.management.Attribute",
          "javax.management.AttributeList",
          "java.util.ArrayList",
          // Notification filters: the JDK's own, whose lists are Vectors.
          "javax.management.NotificationFilterSupport",
          "javax.management.relation.MBeanServerNotificationFilter",
          "javax.management.AttributeChangeNotificationFilter",
          "java.util.Vector",
          // A listener's delegation subjects come as a Subject[] of nulls. A Subject itself cannot
          // come: its principals need Subject$SecureSet, refused, so no caller acts as another.
          "javax.security.auth.Subject",
          "!*");

  private static final String REGISTRY_FILTER = "sun.rmi.registry.registryFilter";
  private static final Logger log = LoggerFactory.getLogger(RemoteConnector.class);

  /**
   * Starts the registry and the connector on the configured address and port.
   *
   * @param policy {@code classpath:/...} or {@code file:/...} location of the process's Jolokia
   *     access policy, which decides for JMX callers too
   * @throws IOException when the address cannot be bound, or the policy or the access and password
   *     files cannot be read or are invalid (the message names the file and why)
   */
  public static RemoteConnector start(MBeanServer server, JmxRemoteConfig config, String policy)
      throws IOException {
    PolicyRestrictor restrictor = RestrictorFactory.lookupPolicyRestrictor(policy);
    if (restrictor == null) {
      throw new IOException("no Jolokia access policy at " + policy);
    }
    JmxRoles roles;
    try {
      roles = JmxRoles.read(config.passwordFile(), config.accessFile());
    } catch (JmxRoles.InvalidException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (System.getProperty(REGISTRY_FILTER) == null) {
      log.warn(
          "JMX: -D{} is not set: the RMI registry on {}:{} reads what local processes bind with"
              + " the JDK's default filter only (conf/*.jvm set it)",
          REGISTRY_FILTER,
          config.address(),
          config.port());
    }
    int port = config.port();
    InetAddress bind = InetAddress.getByName(config.address());
    RMIServerSocketFactory sockets;
    RMIClientSocketFactory clients = null;
    if (config.tls().isPresent()) {
      TlsConfig tls = config.tls().get();
      SSLServerSocketFactory ssl = tls.sslContext().getServerSocketFactory();
      sockets =
          p -> {
            SSLServerSocket socket = (SSLServerSocket) ssl.createServerSocket(p, 50, bind);
            socket.setNeedClientAuth(tls.clientAuth());
            socket.setReuseAddress(true);
            return socket;
          };
      // Clients connect with their JVM's default SSL context (javax.net.ssl.trustStore ...).
      clients = new SslRMIClientSocketFactory();
    } else {
      sockets =
          p -> {
            ServerSocket socket = new ServerSocket(p, 50, bind);
            socket.setReuseAddress(true);
            return socket;
          };
    }
    // Registry and connector share the port, so both speak SSL when one does.
    Registry registry = LocateRegistry.createRegistry(port, clients, sockets);
    try {
      Map<String, Object> env = new HashMap<>();
      env.put("jmx.remote.x.password.file", config.passwordFile().toString());
      // No jmx.remote.x.access.file: the JDK's access controller would allow its readwrite
      // users everything; the roles are the forwarder's.
      env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, CREDENTIALS_FILTER);
      env.put(RMIConnectorServer.SERIAL_FILTER_PATTERN, SERIAL_FILTER);
      String host =
          bind.getHostAddress().contains(":")
              ? "[" + bind.getHostAddress() + "]"
              : bind.getHostAddress();
      String address = host + ":" + port;
      // The connector's stub goes straight into the registry object, as the JDK's own
      // jmxremote agent does: binding it through JNDI would open a client connection to the
      // registry, which over SSL this process itself need not trust.
      RMIJRMPServerImpl rmi = new RMIJRMPServerImpl(port, clients, sockets, env);
      RMIConnectorServer connector =
          new RMIConnectorServer(
              new JMXServiceURL("service:jmx:rmi://" + address), env, rmi, server);
      connector.setMBeanServerForwarder(new PolicyForwarder(new JmxAccess(restrictor, roles)));
      connector.start();
      try {
        registry.bind("jmxrmi", rmi.toStub());
      } catch (AlreadyBoundException e) {
        connector.stop();
        throw new IOException("the RMI registry on " + address + " already has a jmxrmi", e);
      }
      return new RemoteConnector(
          registry,
          connector,
          "service:jmx:rmi://" + address + "/jndi/rmi://" + address + "/jmxrmi");
    } catch (IOException | RuntimeException e) {
      UnicastRemoteObject.unexportObject(registry, true);
      throw e;
    }
  }

  /** The URL to give JConsole: {@code service:jmx:rmi://host:port/jndi/rmi://host:port/jmxrmi}. */
  public String serviceUrl() {
    return serviceUrl;
  }

  @Override
  public void close() throws IOException {
    try {
      connector.stop();
    } finally {
      try {
        UnicastRemoteObject.unexportObject(registry, true);
      } catch (NoSuchObjectException e) {
        // Not exported any more: nothing to stop.
      }
    }
  }
}
