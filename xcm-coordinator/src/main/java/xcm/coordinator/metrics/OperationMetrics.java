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
import xcm.coordinator.operation.OperationRegistry;
import xcm.mbeans.OperationState;

/**
 * Migration and operation metrics: {@code xcm_migrations_total{result}}, {@code
 * xcm_migration_duration_seconds}, {@code xcm_migration_downtime_seconds} (as the source agent
 * reported it: libvirt's own figure for live migrations), {@code
 * xcm_migration_transferred_bytes_total} (what libvirt's live migrations sent) and {@code
 * xcm_operations{state}} (running and recent).
 *
 * <p>Thread-safe.
 */
public final class OperationMetrics implements MultiCollector {
  private final OperationRegistry operations;
  private final Counter migrations;
  private final Histogram duration;
  private final Histogram downtime;
  private final Counter transferred;

  private OperationMetrics(
      OperationRegistry operations,
      Counter migrations,
      Histogram duration,
      Histogram downtime,
      Counter transferred) {
    this.operations = operations;
    this.migrations = migrations;
    this.duration = duration;
    this.downtime = downtime;
    this.transferred = transferred;
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
    Histogram downtime =
        Histogram.builder()
            .name("xcm_migration_downtime_seconds")
            .help(
                "Time a moved domain ran on no host (libvirt's figure for live migrations), for"
                    + " moves whose source agent reported it")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    Counter transferred =
        Counter.builder()
            .name("xcm_migration_transferred_bytes")
            .help("Data libvirt's live migrations sent, as their source agents reported it")
            .unit(Unit.BYTES)
            .register(registry);
    for (MoveResult.Outcome outcome : MoveResult.Outcome.values()) {
      if (outcome == MoveResult.Outcome.UNSETTLED) {
        continue;
      }
      migrations.labelValues(label(outcome));
    }
    OperationMetrics metrics =
        new OperationMetrics(operations, migrations, duration, downtime, transferred);
    registry.register(metrics);
    return metrics;
  }

  /**
   * Counts one ended move; an UNSETTLED one is counted when it is settled, by its real end. A
   * restart of a fenced host's domain is no migration ({@link FailureMetrics}).
   */
  public void moved(MoveRequest move, MoveResult result) {
    if (result.outcome() == MoveResult.Outcome.UNSETTLED
        || move.method() == MoveRequest.Method.RESTART) {
      return;
    }
    migrations.labelValues(label(result.outcome())).inc();
    if (result.durationMillis() >= 0) {
      duration.observe(result.durationMillis() / 1000.0);
    }
    if (result.downtimeMillis() >= 0) {
      downtime.observe(result.downtimeMillis() / 1000.0);
    }
    if (result.dataTransferredBytes() > 0) {
      transferred.inc(result.dataTransferredBytes());
    }
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("xcm_operations")
            .help("Operations running now and ended within the retention, by state");
    for (OperationState state : OperationState.values()) {
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
