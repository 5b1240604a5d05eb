package xcm.serve;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jolokia.core.api.LogHandler;
import org.jolokia.core.util.LocalServiceFactory;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.jvmagent.handler.JolokiaHttpHandler;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.impl.ClasspathServiceCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia's HTTP bridge to the process's MBeans, served by XCM's own HTTP(S) server: basic
 * authentication with roles ({@link JolokiaAccess}: an operator, optionally a read-only monitor and
 * limited users who may only do what their {@link Grants} name), a request size limit, and XCM's
 * access policy (read on {@code xcm:*} and {@code java.lang:*}, exec only on the process's
 * operations MBean, everything else refused with 403).
 *
 * <pre>{@code
 * try (JolokiaEndpoint jolokia = JolokiaEndpoint.start("xcm-agent-dmz01",
 *     "classpath:/xcm/agent/jolokia-access.xml", new JolokiaConfig("127.0.0.1", 0, "xcm", secret), 1)) {
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
  static final String CONTEXT = "/jolokia";

  private final HttpServer server;
  private final JolokiaServiceManager services;
  private final ExecutorService threads;
  private final String url;

  private JolokiaEndpoint(
      HttpServer server, JolokiaServiceManager services, ExecutorService threads, String url) {
    this.server = server;
    this.services = services;
    this.threads = threads;
    this.url = url;
  }

  /**
   * Starts Jolokia on the configured address and port (0 picks a free one) under {@code /jolokia/}.
   *
   * @param agentId names Jolokia's own MBean; unique per endpoint in a JVM
   * @param policy {@code classpath:/...} or {@code file:/...} location of the access policy
   * @param threads requests served at once; an operation that calls out (the coordinator reading an
   *     agent) must not hold up every other request. Request threads are named {@code jolokia-*}.
   * @throws IOException when the address cannot be bound, or the policy or key store not read
   */
  public static JolokiaEndpoint start(
      String agentId, String policy, JolokiaConfig jolokia, int threads) throws IOException {
    PolicyRestrictor restrictor = RestrictorFactory.lookupPolicyRestrictor(policy);
    if (restrictor == null) {
      throw new IOException("no Jolokia access policy at " + policy);
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("agentContext", CONTEXT);
    settings.put("discoveryEnabled", "false");
    settings.put("includeStackTrace", "false");
    // Responses are streamed (chunked), so that ErrorStatus may change their length.
    settings.put("streaming", "true");
    settings.put("agentId", agentId);
    Configuration configuration = new JolokiaServerConfig(settings).getJolokiaConfig();
    JolokiaAccess access = new JolokiaAccess(jolokia);

    InetSocketAddress bind = new InetSocketAddress(jolokia.address(), jolokia.port());
    HttpServer server;
    if (jolokia.tls().isPresent()) {
      HttpsServer https = HttpsServer.create(bind, 0);
      https.setHttpsConfigurator(
          configurator(jolokia.tls().get().sslContext(), jolokia.tls().get().clientAuth()));
      server = https;
    } else {
      server = HttpServer.create(bind, 0);
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "jolokia-" + agentId + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);

    JolokiaServiceManager services =
        JolokiaServiceManagerFactory.createJolokiaServiceManager(
            configuration, new Slf4jLogHandler(), access.restrictor(restrictor), null);
    services.addServices(
        new ClasspathServiceCreator(LocalServiceFactory.class.getClassLoader(), "services"));
    JolokiaContext context = services.start();
    String host =
        server.getAddress().getAddress().getHostAddress().contains(":")
            ? "[" + server.getAddress().getAddress().getHostAddress() + "]"
            : server.getAddress().getAddress().getHostAddress();
    String url =
        (jolokia.tls().isPresent() ? "https" : "http")
            + "://"
            + host
            + ":"
            + server.getAddress().getPort()
            + CONTEXT
            + "/";
    context.getAgentDetails().updateAgentParameters(url, true);
    HttpContext http = server.createContext(CONTEXT, new JolokiaHttpHandler(context));
    http.getFilters().add(access.filter());
    server.start();
    return new JolokiaEndpoint(server, services, executor, url);
  }

  private static HttpsConfigurator configurator(SSLContext ssl, boolean clientAuth) {
    return new HttpsConfigurator(ssl) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = ssl.getDefaultSSLParameters();
        parameters.setNeedClientAuth(clientAuth);
        params.setSSLParameters(parameters);
      }
    };
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    services.stop();
    threads.shutdownNow();
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
