package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The enrolment door's metrics: {@code xcm_enrolment_requests_total{result}} (every request by what
 * became of it: enrolled, waiting, refused) and {@code xcm_enrolments_waiting} (hosts waiting for
 * an operator's approval now). A refusal is a host claiming a name another key holds, a bad token
 * or a malformed request: someone to look at.
 *
 * <p>Thread-safe.
 */
public final class EnrolmentMetrics {
  /** Every result a request can have. */
  public static final List<String> RESULTS = List.of("enrolled", "waiting", "standby", "refused");

  private final Counter requests;

  private EnrolmentMetrics(Counter requests) {
    this.requests = requests;
  }

  /**
   * @param waiting how many hosts wait for approval, asked at each scrape
   */
  public static EnrolmentMetrics register(PrometheusRegistry registry, IntSupplier waiting) {
    Counter requests =
        Counter.builder()
            .name("xcm_enrolment_requests")
            .help("Requests to the enrolment door, by result: enrolled, waiting, standby, refused")
            .labelNames("result")
            .register(registry);
    RESULTS.forEach(requests::labelValues);
    GaugeWithCallback.builder()
        .name("xcm_enrolments_waiting")
        .help("Hosts waiting for an operator to approve their enrolment (./xcm hosts)")
        .callback(callback -> callback.call(waiting.getAsInt()))
        .register(registry);
    return new EnrolmentMetrics(requests);
  }

  /** One request answered with {@code result}, one of {@link #RESULTS}. */
  public void request(String result) {
    requests.labelValues(result).inc();
  }
}
