package xcm.serve;

import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.serve.http.HttpDoor;

/**
 * A Prometheus endpoint: {@code /metrics} serving a registry plus the JVM's own metrics, in every
 * format the Prometheus library offers (text, OpenMetrics, protobuf, gzip, {@code name[]} filters),
 * through an {@link HttpDoor} that slow or idle clients cannot hold closed.
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
  static final String PATH = "/metrics";
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpDoor door;

  private MetricsEndpoint(HttpDoor door) {
    this.door = door;
  }

  /** Adds the JVM metrics to {@code registry} and serves it on the configured address and port. */
  public static MetricsEndpoint start(PrometheusRegistry registry, MetricsConfig config)
      throws IOException {
    JvmMetrics.builder().register(registry);
    PrometheusScrapeHandler scrape = new PrometheusScrapeHandler(registry);
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            // As the Prometheus library's own server did: /metrics and whatever is under it.
            String path = Request.getPathInContext(request);
            if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
              return false;
            }
            try (MetricsExchange exchange = new MetricsExchange(request, response, callback)) {
              scrape.handleRequest(exchange);
            } catch (IOException | RuntimeException e) {
              // The client is gone, or the scrape failed: closing the exchange answered 500 or
              // failed the response.
              log.debug("scrape of {} failed: {}", PATH, e.toString());
            }
            return true;
          }
        };
    HttpDoor door =
        HttpDoor.builder("metrics", handler)
            .address(config.address())
            .port(config.port())
            .limits(config.limits())
            .tls(Optional.empty())
            .start();
    return new MetricsEndpoint(door);
  }

  public int port() {
    return door.port();
  }

  /** {@code http://address:port/metrics}. */
  public String url() {
    return door.url(PATH);
  }

  @Override
  public void close() {
    door.close();
  }
}
