package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /metrics} on its door, as Prometheus and a person with curl read it. */
class MetricsEndpointTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String url, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheRegistryAndTheJvmInTheFormatAskedFor() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("xcm_test_events_total").help("events").register(registry).inc(3);
    try (MetricsEndpoint metrics =
        MetricsEndpoint.start(registry, new MetricsConfig("127.0.0.1", 0))) {
      assertThat(metrics.url()).isEqualTo("http://127.0.0.1:" + metrics.port() + "/metrics");

      HttpResponse<String> text = get(metrics.url(), null);
      HttpResponse<String> open = get(metrics.url(), "application/openmetrics-text; version=1.0.0");
      HttpResponse<String> filtered = get(metrics.url() + "?name[]=xcm_test_events_total", null);

      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/plain; version=0.0.4");
      assertThat(text.body()).contains("xcm_test_events_total 3.0").contains("jvm_threads_");
      assertThat(open.body()).contains("xcm_test_events_total 3.0").endsWith("# EOF\n");
      assertThat(filtered.body()).contains("xcm_test_events_total").doesNotContain("jvm_");
      assertThat(get(metrics.url() + "/", null).body()).contains("xcm_test_events_total 3.0");
      assertThat(get(metrics.url().replace("/metrics", "/"), null).statusCode()).isEqualTo(404);
    }
  }
}
