package xcm.serve;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.jolokia.core.api.LogHandler;
import org.jolokia.core.util.LocalServiceFactory;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.impl.ClasspathServiceCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.serve.http.HttpDoor;
import xcm.serve.http.ServerTls;

/**
 * Jolokia's HTTP bridge to the process's MBeans, served on XCM's own {@link HttpDoor}: basic
 * authentication with roles ({@link JolokiaAccess}: an operator, optionally a read-only monitor and
 * limited users who may only do what their {@link Grants} name), request size and JSON limits, CORS
 * only for configured origins, no JSONP, and XCM's access policy (read on {@code xcm:*} and {@code
 * java.lang:*}, exec only on the process's operations MBean, everything else refused with 403).
 * {@link JolokiaHandler} says in which order a request is checked.
 *
 * <pre>{@code
 * try (JolokiaEndpoint jolokia = JolokiaEndpoint.start("xcm-agent-dmz01",
 *     "classpath:/xcm/agent/jolokia-access.xml", new JolokiaConfig("127.0.0.1", 0, "xcm", secret))) {
 *   System.out.println(jolokia.url());   // http://127.0.0.1:41234/jolokia/
 * }
 * }</pre>
 *
 * <p>XCM does not use Jolokia's {@code JolokiaServer}: besides knowing one user only, it also
 * serves {@code /jolokia/config} without authentication, and that context answers POSTed requests,
 * {@code exec} included. Here {@code /jolokia} is the only context, and every request on it is
 * authenticated.
 *
 * <p>Jolokia serves every MBeanServer of the JVM (the platform one and those created through {@link
 * javax.management.MBeanServerFactory#createMBeanServer()}). Thread-safe.
 */
public final class JolokiaEndpoint implements AutoCloseable {
  static final String CONTEXT = JolokiaHandler.CONTEXT;

  private final HttpDoor door;
  private final JolokiaServiceManager services;

  private final boolean console;

  private JolokiaEndpoint(HttpDoor door, JolokiaServiceManager services, boolean console) {
    this.door = door;
    this.services = services;
    this.console = console;
  }

  /**
   * Starts Jolokia on the configured address and port (0 picks a free one) under {@code /jolokia/},
   * over HTTPS when {@link JolokiaConfig#tls()} is set.
   *
   * @param agentId names Jolokia's own MBean; unique per endpoint in a JVM
   * @param policy {@code classpath:/...} or {@code file:/...} location of the access policy
   * @throws IOException when the address cannot be bound, or the policy or key store not read
   */
  public static JolokiaEndpoint start(String agentId, String policy, JolokiaConfig jolokia)
      throws IOException {
    return start(agentId, policy, jolokia, configuredTls(jolokia), CertificateUsers.NONE);
  }

  /** The TLS of the {@code jolokia.tls.*} key stores, empty for plain HTTP. */
  static Optional<ServerTls> configuredTls(JolokiaConfig jolokia) throws IOException {
    return jolokia.tls().isPresent()
        ? Optional.of(jolokia.tls().get().serverTls())
        : Optional.empty();
  }

  /**
   * As {@link #start(String, String, JolokiaConfig)}, over HTTPS with {@code tls} whatever {@link
   * JolokiaConfig#tls()} says (TLS made from elsewhere than key store files: the cluster's own
   * certificates), a client's certificate standing for the user {@code certificateUsers} say.
   */
  public static JolokiaEndpoint start(
      String agentId,
      String policy,
      JolokiaConfig jolokia,
      Optional<ServerTls> tls,
      CertificateUsers certificateUsers)
      throws IOException {
    return start(agentId, policy, jolokia, tls, certificateUsers, Optional.empty());
  }

  /**
   * As {@link #start(String, String, JolokiaConfig, Optional, CertificateUsers)}, serving {@code
   * console} at {@code /ui/} beside Jolokia when present (its sessions stand for the same users).
   */
  public static JolokiaEndpoint start(
      String agentId,
      String policy,
      JolokiaConfig jolokia,
      Optional<ServerTls> tls,
      CertificateUsers certificateUsers,
      Optional<Console> console)
      throws IOException {
    PolicyRestrictor restrictor = RestrictorFactory.lookupPolicyRestrictor(policy);
    if (restrictor == null) {
      throw new IOException("no Jolokia access policy at " + policy);
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("agentContext", CONTEXT);
    settings.put("discoveryEnabled", "false");
    settings.put("includeStackTrace", "false");
    settings.put("agentId", agentId);
    Configuration configuration = new JolokiaServerConfig(settings).getJolokiaConfig();
    JolokiaAccess access = new JolokiaAccess(jolokia, certificateUsers);

    JolokiaServiceManager services =
        JolokiaServiceManagerFactory.createJolokiaServiceManager(
            configuration, new Slf4jLogHandler(), access.restrictor(restrictor), null);
    services.addServices(
        new ClasspathServiceCreator(LocalServiceFactory.class.getClassLoader(), "services"));
    JolokiaContext context = services.start();
    HttpDoor door;
    try {
      door =
          HttpDoor.builder("jolokia", handler(context, access, jolokia, console))
              .address(jolokia.address())
              .port(jolokia.port())
              .limits(jolokia.limits())
              .tls(tls)
              .start();
    } catch (IOException | RuntimeException e) {
      services.stop();
      throw e;
    }
    context.getAgentDetails().updateAgentParameters(door.url(CONTEXT + "/"), door.secure());
    return new JolokiaEndpoint(door, services, console.isPresent());
  }

  private static Handler handler(
      JolokiaContext context,
      JolokiaAccess access,
      JolokiaConfig jolokia,
      Optional<Console> console) {
    JolokiaHandler handler = new JolokiaHandler(context, access, jolokia, console);
    return console.isPresent()
        ? new Handler.Sequence(new ConsoleHandler(console.get(), access), handler)
        : handler;
  }

  /** The console's URL when one is served, e.g. {@code http://127.0.0.1:8778/ui/}. */
  public Optional<String> consoleUrl() {
    return console ? Optional.of(door.url(ConsoleHandler.CONTEXT + "/")) : Optional.empty();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String url() {
    return door.url(CONTEXT + "/");
  }

  public int port() {
    return door.port();
  }

  /**
   * New handshakes present {@code tls}'s certificate ({@link HttpDoor#reloadTls}).
   *
   * @throws IllegalStateException when Jolokia speaks plain HTTP
   */
  public void reloadTls(ServerTls tls) throws IOException {
    door.reloadTls(tls);
  }

  /** Connections closed at once for being over a cap, since the endpoint started. */
  public long refusedConnections() {
    return door.refusedConnections();
  }

  /** Connections dropped for sending their request too slowly, since the endpoint started. */
  public long timedOutConnections() {
    return door.timedOutConnections();
  }

  @Override
  public void close() {
    door.close();
    services.stop();
  }

  /** Sends Jolokia's own log lines to SLF4J so that the process has one log. */
  private static final class Slf4jLogHandler implements LogHandler {
    private static final Logger log = LoggerFactory.getLogger("xcm.serve.Jolokia");

    @Override
    public void debug(String message) {
      log.debug("{}", LogText.escape(message));
    }

    @Override
    public void info(String message) {
      log.info("{}", LogText.escape(message));
    }

    @Override
    public void error(String message, Throwable t) {
      log.error("{}", LogText.escape(message), t);
    }

    @Override
    public boolean isDebug() {
      return log.isDebugEnabled();
    }
  }
}
