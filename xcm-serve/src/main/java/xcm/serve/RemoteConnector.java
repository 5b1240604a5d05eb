package xcm.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * A JMX remote (RMI) connector so that JConsole and VisualVM can attach from another machine:
 * registry and connector share one port, bound to one address, with password and access files as
 * the JDK's own {@code com.sun.management.jmxremote} uses them.
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

  private RemoteConnector(Registry registry, JMXConnectorServer connector) {
    this.registry = registry;
    this.connector = connector;
  }

  /** Starts the registry and the connector on the configured address and port. */
  public static RemoteConnector start(MBeanServer server, JmxRemoteConfig config)
      throws IOException {
    int port = config.port();
    InetAddress bind = InetAddress.getByName(config.address());
    RMIServerSocketFactory sockets =
        p -> {
          ServerSocket socket = new ServerSocket(p, 50, bind);
          socket.setReuseAddress(true);
          return socket;
        };
    Registry registry = LocateRegistry.createRegistry(port, null, sockets);
    try {
      Map<String, Object> env = new HashMap<>();
      env.put("jmx.remote.x.password.file", config.passwordFile().toString());
      env.put("jmx.remote.x.access.file", config.accessFile().toString());
      env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
      String host =
          bind.getHostAddress().contains(":")
              ? "[" + bind.getHostAddress() + "]"
              : bind.getHostAddress();
      JMXServiceURL url =
          new JMXServiceURL(
              "service:jmx:rmi://"
                  + host
                  + ":"
                  + port
                  + "/jndi/rmi://"
                  + host
                  + ":"
                  + port
                  + "/jmxrmi");
      JMXConnectorServer connector =
          JMXConnectorServerFactory.newJMXConnectorServer(url, env, server);
      connector.start();
      return new RemoteConnector(registry, connector);
    } catch (IOException | RuntimeException e) {
      UnicastRemoteObject.unexportObject(registry, true);
      throw e;
    }
  }

  /** The URL to give JConsole: {@code service:jmx:rmi://host:port/jndi/rmi://host:port/jmxrmi}. */
  public String serviceUrl() {
    return connector.getAddress().toString();
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
