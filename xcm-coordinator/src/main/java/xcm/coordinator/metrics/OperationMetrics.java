package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.OperationRegistry;

/**
 * Migration and operation metrics: {@code xcm_migrations_total{result}}, {@code
 * xcm_migration_duration_seconds} and {@code xcm_operations{state}} (running and recent).
 *
 * <p>Thread-safe.
 */
public final class OperationMetrics implements MultiCollector {
  private final OperationRegistry operations;
  private final Counter migrations;
  private final Histogram duration;

  private OperationMetrics(OperationRegistry operations, Counter migrations, Histogram duration) {
    this.operations = operations;
    this.migrations = migrations;
    this.duration = duration;
  }

  public static OperationMetrics register(
      PrometheusRegistry registry, OperationRegistry operations) {
    Counter migrations =
        Counter.builder()
            .name("xcm_migrations")
            .help("Moves ended, by result: succeeded, failed, incomplete, cancelled")
            .labelNames("result")
            .register(registry);
    Histogram duration =
        Histogram.builder()
            .name("xcm_migration_duration_seconds")
            .help("Wall time of moves that ran, from dispatch to verified end")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
            .register(registry);
    for (MoveResult.Outcome outcome : MoveResult.Outcome.values()) {
      migrations.labelValues(label(outcome));
    }
    OperationMetrics metrics = new OperationMetrics(operations, migrations, duration);
    registry.register(metrics);
    return metrics;
  }

  /** Counts one ended move. */
  public void moved(MoveRequest move, MoveResult result) {
    migrations.labelValues(label(result.outcome())).inc();
    if (result.durationMillis() >= 0) {
      duration.observe(result.durationMillis() / 1000.0);
    }
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("xcm_operations")
            .help("Operations running now and ended within the retention, by state");
    for (Operation.State state : Operation.State.values()) {
      long count = operations.all().stream().filter(o -> o.state() == state).count();
      gauge.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("state", state.name()))
              .value(count)
              .build());
    }
    return MetricSnapshots.of(gauge.build());
  }

  private static String label(MoveResult.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
