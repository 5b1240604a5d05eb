package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The Alertmanager webhook's metrics: {@code xcm_webhook_requests_total{code}} (every request by
 * HTTP status) and {@code xcm_webhook_alerts_total{result}} (every alert by what became of it:
 * started, already-started, refused, ignored). A refused action or a rejected request shows here,
 * so that a rule can tell people that XCM did not act.
 *
 * <p>Thread-safe.
 */
public final class WebhookMetrics {
  private final Counter requests;
  private final Counter alerts;

  private WebhookMetrics(Counter requests, Counter alerts) {
    this.requests = requests;
    this.alerts = alerts;
  }

  /**
   * @param codes every HTTP status the webhook answers with, and
   * @param results every alert result it can give, so that each series exists from the start (an
   *     {@code increase()} over a series that appears with its first event misses that event)
   */
  public static WebhookMetrics register(
      PrometheusRegistry registry, List<Integer> codes, List<String> results) {
    Counter requests =
        Counter.builder()
            .name("xcm_webhook_requests")
            .help("Requests to the Alertmanager webhook, by HTTP status")
            .labelNames("code")
            .register(registry);
    Counter alerts =
        Counter.builder()
            .name("xcm_webhook_alerts")
            .help(
                "Alerts the Alertmanager webhook received, by result: started, already-started,"
                    + " refused, ignored")
            .labelNames("result")
            .register(registry);
    codes.forEach(code -> requests.labelValues(Integer.toString(code)));
    results.forEach(alerts::labelValues);
    return new WebhookMetrics(requests, alerts);
  }

  public void request(int status) {
    requests.labelValues(Integer.toString(status)).inc();
  }

  public void alert(String result) {
    alerts.labelValues(result).inc();
  }
}
