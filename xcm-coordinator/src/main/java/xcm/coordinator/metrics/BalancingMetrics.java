package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.balancing.RoundResult;

/**
 * Continuous balancing: {@code xcm_balance_rounds_total{result}} (every result there from the
 * start, at 0), {@code xcm_cluster_imbalance} (the last round's, on smoothed demand) and {@code
 * xcm_balance_recommended_moves} (the standing recommendation's moves at level manual).
 */
public final class BalancingMetrics {
  private BalancingMetrics() {}

  public static void register(PrometheusRegistry registry, ContinuousBalancing balancing) {
    CounterWithCallback.builder()
        .name("xcm_balance_rounds_total")
        .help(
            "Rounds of continuous balancing by result: off, busy, capped, balanced, no_gain,"
                + " mended, recommended, moved")
        .labelNames("result")
        .callback(
            callback -> {
              for (RoundResult result : RoundResult.values()) {
                callback.call(balancing.rounds(result), result.label());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("xcm_cluster_imbalance")
        .help(
            "The cluster's imbalance at the last balancing round: the standard deviation of the"
                + " ACTIVE hosts' CPU utilisation plus that of their memory utilisation")
        .callback(
            callback ->
                callback.call(balancing.last().map(r -> r.decision().imbalance()).orElse(0.0)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("xcm_balance_recommended_moves")
        .help("Moves of the standing recommendation (automation level manual); 0 when none")
        .callback(
            callback ->
                callback.call(
                    balancing.recommendation().map(r -> r.decision().moves().size()).orElse(0)))
        .register(registry);
  }
}
