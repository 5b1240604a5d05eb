package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import xcm.coordinator.failure.FailoverWatch;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;

/**
 * Host failures: {@code xcm_ha_restarts_total{result}}, a fenced host's domains started again
 * elsewhere by how each restart ended (succeeded, failed, cancelled; restarts are not counted as
 * migrations), {@code xcm_cluster_failover_hosts_tolerated} (host failures the cluster absorbs with
 * every VM restarted; -1 until first worked out) and {@code xcm_cluster_failover_level} (the level
 * configured).
 *
 * <p>Thread-safe.
 */
public final class FailureMetrics {
  private final Counter restarts;

  private FailureMetrics(Counter restarts) {
    this.restarts = restarts;
  }

  public static FailureMetrics register(PrometheusRegistry registry, FailoverWatch failover) {
    GaugeWithCallback.builder()
        .name("xcm_cluster_failover_hosts_tolerated")
        .help(
            "Host failures the cluster absorbs with every VM that restarts started again elsewhere"
                + " (-1 until worked out)")
        .callback(callback -> callback.call(failover.tolerated()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("xcm_cluster_failover_level")
        .help("Host failures the cluster must absorb, as configured (failure.failover-level)")
        .callback(callback -> callback.call(failover.level()))
        .register(registry);
    Counter restarts =
        Counter.builder()
            .name("xcm_ha_restarts")
            .help("Domains of fenced hosts started again on other hosts, by result")
            .labelNames("result")
            .register(registry);
    for (MoveResult.Outcome outcome :
        new MoveResult.Outcome[] {
          MoveResult.Outcome.SUCCEEDED, MoveResult.Outcome.FAILED, MoveResult.Outcome.CANCELLED
        }) {
      restarts.labelValues(label(outcome));
    }
    return new FailureMetrics(restarts);
  }

  /** Counts one ended restart; other moves are the migration metrics' business. */
  public void moved(MoveRequest move, MoveResult result) {
    if (move.method() == MoveRequest.Method.RESTART
        && result.outcome() != MoveResult.Outcome.UNSETTLED) {
      restarts.labelValues(label(result.outcome())).inc();
    }
  }

  private static String label(MoveResult.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
