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

/**
 * A JMX remote (RMI) connector so that JConsole and VisualVM can attach from another machine:
 * registry and connector share one port, bound to one address, with password and access files as
 * the JDK's own {@code com.sun.management.jmxremote} uses them. With TLS configured, registry and
 * connector accept only SSL connections (and, with client authentication, only clients presenting a
 * certificate of the trust store): {@code jconsole -J-Djavax.net.ssl.trustStore=... URL}.
 *
 * <pre>{@code
 * try (RemoteConnector jmx = RemoteConnector.start(server, jmxRemoteConfig)) {
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

  /** Starts the registry and the connector on the configured address and port. */
  public static RemoteConnector start(MBeanServer server, JmxRemoteConfig config)
      throws IOException {
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
      env.put("jmx.remote.x.access.file", config.accessFile().toString());
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
