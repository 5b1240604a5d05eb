package xcm.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import xcm.coordinator.operation.FakeCluster;
import xcm.mbeans.HostState;

class ClusterMetricsTest {

  @Test
  void hostStateIsOneForTheHostsStateAndZeroForTheOthers() {
    FakeCluster cluster = new FakeCluster().host("dmz01", 32, 2).host("dmz02", 32).join();
    cluster.inventory.setMode("dmz02", HostState.MAINTENANCE);
    PrometheusRegistry registry = new PrometheusRegistry();
    ClusterMetrics.register(registry, cluster.inventory::snapshot);

    Map<String, Double> states = new TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals("xcm_host_state")) {
        for (GaugeSnapshot.GaugeDataPointSnapshot point :
            ((GaugeSnapshot) snapshot).getDataPoints()) {
          states.put(
              point.getLabels().get("host") + " " + point.getLabels().get("state"),
              point.getValue());
        }
      }
    }

    assertThat(states)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "dmz01 ACTIVE", 1.0,
                    "dmz01 DRAINING", 0.0,
                    "dmz01 MAINTENANCE", 0.0,
                    "dmz01 UNREACHABLE", 0.0,
                    "dmz02 ACTIVE", 0.0,
                    "dmz02 DRAINING", 0.0,
                    "dmz02 MAINTENANCE", 1.0,
                    "dmz02 UNREACHABLE", 0.0)));
  }
}
