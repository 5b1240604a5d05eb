package xcm.serve;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.jolokia.core.api.LogHandler;
import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia's HTTP bridge to the agent's MBeans, with basic authentication and XCM's access policy:
 * read on {@code xcm:*} and {@code java.lang:*}, exec only on {@code xcm:type=HostOperations},
 * everything else refused with 403.
 *
 * <pre>{@code
 * try (JolokiaEndpoint jolokia = JolokiaEndpoint.start("dmz01", "127.0.0.1", 0, "xcm", secret)) {
 *   System.out.println(jolokia.url());   // http://127.0.0.1:41234/jolokia/
 * }
 * }</pre>
 *
 * <p>Jolokia serves every MBeanServer of the JVM (the platform one and those created through {@link
 * javax.management.MBeanServerFactory#createMBeanServer()}).
 */
public final class JolokiaEndpoint implements AutoCloseable {
  private final JolokiaServer server;

  private JolokiaEndpoint(JolokiaServer server) {
    this.server = server;
  }

  /**
   * Starts Jolokia on the configured address and port (0 picks a free one) under {@code /jolokia/}.
   *
   * @param agentId names Jolokia's own MBean; unique per endpoint in a JVM
   * @param policy {@code classpath:/...} or {@code file:/...} location of the access policy
   * @param threads requests served at once; an operation that calls out (the coordinator reading an
   *     agent) must not hold up every other request
   */
  public static JolokiaEndpoint start(
      String agentId, String policy, JolokiaConfig jolokia, int threads) throws IOException {
    Map<String, String> config = new HashMap<>();
    if (threads > 1) {
      config.put("executor", "fixed");
      config.put("threadNr", Integer.toString(threads));
    }
    config.put("host", jolokia.address());
    config.put("port", Integer.toString(jolokia.port()));
    config.put("agentContext", "/jolokia");
    config.put("user", jolokia.user());
    config.put("password", jolokia.password());
    config.put("policyLocation", policy);
    config.put("discoveryEnabled", "false");
    config.put("includeStackTrace", "false");
    config.put("agentId", agentId);
    JolokiaServer server =
        new JolokiaServer(new JolokiaServerConfig(config), new Slf4jLogHandler());
    server.start();
    return new JolokiaEndpoint(server);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String url() {
    String url = server.getUrl();
    return url.endsWith("/") ? url : url + "/";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** Sends Jolokia's own log lines to SLF4J so that the process has one log. */
  private static final class Slf4jLogHandler implements LogHandler {
    private static final Logger log = LoggerFactory.getLogger("xcm.serve.Jolokia");

    @Override
    public void debug(String message) {
      log.debug(message);
    }

    @Override
    public void info(String message) {
      log.info(message);
    }

    @Override
    public void error(String message, Throwable t) {
      log.error(message, t);
    }

    @Override
    public boolean isDebug() {
      return log.isDebugEnabled();
    }
  }
}
