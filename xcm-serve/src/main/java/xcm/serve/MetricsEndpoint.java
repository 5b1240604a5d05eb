package xcm.serve;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus endpoint: {@code /metrics} serving a registry plus the JVM's own metrics.
 *
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * registry.register(new AgentCollector(sampler::latest));
 * try (MetricsEndpoint metrics = MetricsEndpoint.start(registry, new MetricsConfig("127.0.0.1", 0))) {
 *   System.out.println(metrics.url());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final String address;

  private MetricsEndpoint(HTTPServer server, String address) {
    this.server = server;
    this.address = address;
  }

  /** Adds the JVM metrics to {@code registry} and serves it on the configured address and port. */
  public static MetricsEndpoint start(PrometheusRegistry registry, MetricsConfig config)
      throws IOException {
    String address = config.address();
    JvmMetrics.builder().register(registry);
    // Prometheus scrapes one at a time; the library's default of 10 threads would each keep a
    // response-sized buffer alive, on hosts where every megabyte belongs to the VMs.
    ExecutorService threads =
        new ThreadPoolExecutor(
            1,
            2,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "xcm-metrics-http");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    HTTPServer server =
        HTTPServer.builder()
            .hostname(address)
            .port(config.port())
            .registry(registry)
            .executorService(threads)
            .buildAndStart();
    return new MetricsEndpoint(server, address);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code http://address:port/metrics}. */
  public String url() {
    String host = address.contains(":") ? "[" + address + "]" : address;
    return "http://" + host + ":" + port() + "/metrics";
  }

  @Override
  public void close() {
    server.close();
  }
}
