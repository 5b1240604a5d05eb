package xcm.serve.http;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * One HTTP(S) door of an XCM process — Jolokia, {@code /metrics}, the webhook — on Jetty's core
 * server: a connection that is still sending its request holds no thread (Jetty reads it as its
 * bytes come), the {@link ConnectionGuard} drops it when it takes longer than {@link DoorLimits}
 * allow and caps connections per client address and in all, and request headers have a size limit.
 *
 * <pre>{@code
 * try (HttpDoor door = HttpDoor.builder("metrics", handler)
 *     .address("127.0.0.1").port(0).limits(DoorLimits.defaults(2)).start()) {
 *   System.out.println(door.url("/metrics"));   // http://127.0.0.1:41234/metrics
 * }
 * }</pre>
 *
 * <p>The handler is Jetty's {@link Handler}: it runs on one of the door's {@link
 * DoorLimits#threads()} threads and may block (reading the body, calling an MBean); whatever it
 * does not handle gets 404. Thread-safe.
 */
public final class HttpDoor implements AutoCloseable {
  // The one selector thread also accepts (a thread of its own would wait for a rare event); it
  // never runs a request.
  private static final int ACCEPTORS = 0;
  private static final int SELECTORS = 1;

  private final Server server;
  private final ServerConnector connector;
  private final ConnectionGuard guard;
  private final String host;
  private final boolean secure;

  private HttpDoor(
      Server server,
      ServerConnector connector,
      ConnectionGuard guard,
      String host,
      boolean secure) {
    this.server = server;
    this.connector = connector;
    this.guard = guard;
    this.host = host;
    this.secure = secure;
  }

  /**
   * A door named {@code name} (its threads are {@code xcm-<name>-http-*}, its log lines name it)
   * serving {@code handler}.
   */
  public static Builder builder(String name, Handler handler) {
    return new Builder(name, handler);
  }

  /** How a door is set up; {@link #start()} opens it. */
  public static final class Builder {
    private final String name;
    private final Handler handler;
    private String address = "127.0.0.1";
    private int port;
    private DoorLimits limits = DoorLimits.defaults(2);
    private Optional<ServerTls> tls = Optional.empty();

    private Builder(String name, Handler handler) {
      this.name = name;
      this.handler = handler;
    }

    /** Optional: the address to listen on. Default is {@code 127.0.0.1}. */
    public Builder address(String address) {
      this.address = address;
      return this;
    }

    /** Optional: the port; 0 picks a free one. Default is 0. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Optional: threads, timeouts and caps. Default is {@link DoorLimits#defaults(int)} of 2. */
    public Builder limits(DoorLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Optional: HTTPS with this context and client authentication. Default is plain HTTP. */
    public Builder tls(Optional<ServerTls> tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Opens the door.
     *
     * @throws IOException when the address cannot be bound
     */
    public HttpDoor start() throws IOException {
      int max = limits.threads() + ACCEPTORS + SELECTORS;
      QueuedThreadPool threads =
          new QueuedThreadPool(max, Math.min(max, ACCEPTORS + SELECTORS + 1));
      threads.setName("xcm-" + name + "-http");
      threads.setDaemon(true);
      // No threads parked for Jetty's own use: the limit is the limit.
      threads.setReservedThreads(0);
      ScheduledExecutorScheduler scheduler =
          new ScheduledExecutorScheduler("xcm-" + name + "-timer", true);
      Server server = new Server(threads, scheduler, null);
      server.setStopTimeout(0);
      server.setErrorHandler(new JsonErrors());

      HttpConfiguration http = new HttpConfiguration();
      http.setRequestHeaderSize(limits.maxHeaderBytes());
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      http.setIdleTimeout(limits.idleTimeout().toMillis());
      // Buffers on the heap, within the process's -Xmx: an agent's memory belongs to its VMs.
      http.setUseInputDirectByteBuffers(false);
      http.setUseOutputDirectByteBuffers(false);
      // Jolokia reads its own paths (and escapes "/" in them its own way): the JDK server that
      // served it before took every path as sent.
      http.setUriCompliance(UriCompliance.LEGACY);
      if (tls.isPresent()) {
        // Jetty would add this customizer itself, checking that the name a client asked for (its
        // SNI, else the address) is one the certificate names: a cluster certificate names no DNS
        // host (its identity is a urn:xcm: URI, which the TLS trust managers check), so every
        // request would get 400 "Invalid SNI". A door has one certificate, so the check protects
        // nothing here.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
      }
      ConnectionFactory[] factories =
          tls.isPresent()
              ? new ConnectionFactory[] {
                new SslConnectionFactory(sslContextFactory(tls.get()), "http/1.1"),
                new HttpConnectionFactory(http)
              }
              : new ConnectionFactory[] {new HttpConnectionFactory(http)};
      ServerConnector connector = new ServerConnector(server, ACCEPTORS, SELECTORS, factories);
      connector.setHost(address);
      connector.setPort(port);
      connector.setIdleTimeout(limits.idleTimeout().toMillis());
      ConnectionGuard guard = new ConnectionGuard(name, limits, System::nanoTime);
      connector.addBean(guard);
      server.addConnector(connector);
      server.setHandler(new GuardedHandler(guard, handler));
      try {
        server.start();
      } catch (IOException e) {
        stopQuietly(server);
        throw e;
      } catch (Exception e) {
        stopQuietly(server);
        throw new IOException(name + ": cannot start on " + address + ":" + port + ": " + e, e);
      }
      guard.start(server.getScheduler());
      // As the address was bound: a name resolved, so that the URL says where the door is.
      String host = InetAddress.getByName(address).getHostAddress();
      return new HttpDoor(server, connector, guard, host, tls.isPresent());
    }
  }

  private static SslContextFactory.Server sslContextFactory(ServerTls tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.context());
    switch (tls.clientAuth()) {
      case NEED -> ssl.setNeedClientAuth(true);
      case WANT -> ssl.setWantClientAuth(true);
      case NONE -> {
        // No certificate asked for.
      }
    }
    return ssl;
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // Starting failed already; that failure is the one reported.
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** True when the door speaks HTTPS. */
  public boolean secure() {
    return secure;
  }

  /** {@code http(s)://address:port<path>}, an IPv6 address in brackets. */
  public String url(String path) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (secure ? "https" : "http") + "://" + h + ":" + port() + path;
  }

  /** Connections closed at once for being over a cap, since the door opened. */
  public long refusedConnections() {
    return guard.refused();
  }

  /** Connections dropped for sending their request too slowly, since the door opened. */
  public long timedOutConnections() {
    return guard.timedOut();
  }

  @Override
  public void close() {
    guard.stop();
    stopQuietly(server);
  }
}
