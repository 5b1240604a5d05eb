package xcm.agent.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import xcm.agent.sample.HostSample;

/**
 * The agent's Prometheus endpoint: {@code /metrics} with the XCM metrics of {@link AgentCollector}
 * and the JVM's own.
 *
 * <pre>{@code
 * try (MetricsEndpoint metrics = MetricsEndpoint.start(new PrometheusRegistry(), sampler::latest,
 *     "127.0.0.1", 0)) {
 *   System.out.println(metrics.url());
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final String address;

  private MetricsEndpoint(HTTPServer server, String address) {
    this.server = server;
    this.address = address;
  }

  /** Registers the collectors in {@code registry} and serves it on {@code address:port}. */
  public static MetricsEndpoint start(
      PrometheusRegistry registry, Supplier<HostSample> latest, String address, int port)
      throws IOException {
    registry.register(new AgentCollector(latest));
    JvmMetrics.builder().register(registry);
    // Prometheus scrapes one at a time; the library's default of 10 threads would each keep a
    // response-sized buffer alive on a host where every megabyte belongs to the VMs.
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
            .port(port)
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
