package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Supplier;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.HostState;

/**
 * The coordinator's Prometheus metrics. Per-host series come from the current snapshot at scrape
 * time, so a host the dead-host collector dropped disappears from them at once.
 *
 * <pre>{@code
 * ClusterMetrics metrics = ClusterMetrics.register(registry, inventory::snapshot);
 * collector = new ClusterCollector(inventory, client, urls, metrics::observeRound);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ClusterMetrics implements MultiCollector {
  private final Supplier<ClusterSnapshot> snapshot;
  private final Histogram roundDuration;

  private ClusterMetrics(Supplier<ClusterSnapshot> snapshot, Histogram roundDuration) {
    this.snapshot = snapshot;
    this.roundDuration = roundDuration;
  }

  public static ClusterMetrics register(
      PrometheusRegistry registry, Supplier<ClusterSnapshot> snapshot) {
    Histogram rounds =
        Histogram.builder()
            .name("xcm_collect_duration_seconds")
            .help("Wall time of one collection round over every agent")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    ClusterMetrics metrics = new ClusterMetrics(snapshot, rounds);
    registry.register(metrics);
    return metrics;
  }

  /** Records the wall time of one collection round. */
  public void observeRound(double seconds) {
    roundDuration.observe(seconds);
  }

  @Override
  public MetricSnapshots collect() {
    ClusterSnapshot s = snapshot.get();
    GaugeSnapshot.Builder up =
        GaugeSnapshot.builder()
            .name("xcm_host_up")
            .help("1 when the host's agent answered within the configured missed rounds, else 0");
    GaugeSnapshot.Builder states =
        GaugeSnapshot.builder()
            .name("xcm_host_state")
            .help(
                "1 for the host's state (ACTIVE, UNREACHABLE, DRAINING, MAINTENANCE, SUSPECT,"
                    + " FENCING, FENCE_FAILED, FAILED, STANDBY), 0 for the"
                    + " others");
    CounterSnapshot.Builder errors =
        CounterSnapshot.builder()
            .name("xcm_collect_errors")
            .help("Collection rounds in which the host's agent did not answer");
    for (HostRecord host : s.hosts().values()) {
      if (host.state() == HostState.REMOVED) {
        continue;
      }
      Labels labels = Labels.of("host", host.name());
      up.dataPoint(
          GaugeDataPointSnapshot.builder().labels(labels).value(host.reachable() ? 1 : 0).build());
      errors.dataPoint(
          CounterDataPointSnapshot.builder().labels(labels).value(host.errorsTotal()).build());
      for (HostState state : HostState.values()) {
        if (state != HostState.REMOVED) {
          states.dataPoint(
              GaugeDataPointSnapshot.builder()
                  .labels(Labels.of("host", host.name(), "state", state.name()))
                  .value(host.state() == state ? 1 : 0)
                  .build());
        }
      }
    }
    GaugeSnapshot.Builder hosts =
        GaugeSnapshot.builder().name("xcm_cluster_hosts").help("Hosts in each state");
    for (HostState state : HostState.values()) {
      if (state != HostState.REMOVED) {
        hosts.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", state.name()))
                .value(s.count(state))
                .build());
      }
    }
    GaugeSnapshot domains =
        GaugeSnapshot.builder()
            .name("xcm_cluster_domains")
            .help("Domains on all hosts as their agents last reported them")
            .dataPoint(GaugeDataPointSnapshot.builder().value(s.domainCount()).build())
            .build();
    GaugeSnapshot pending =
        GaugeSnapshot.builder()
            .name("xcm_cluster_pending_agents")
            .help("Configured agent URLs that never answered")
            .dataPoint(GaugeDataPointSnapshot.builder().value(s.pending().size()).build())
            .build();
    return new MetricSnapshots(
        up.build(), states.build(), errors.build(), hosts.build(), domains, pending);
  }
}
