package xcm.agent.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
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
    HTTPServer server =
        HTTPServer.builder().hostname(address).port(port).registry(registry).buildAndStart();
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
