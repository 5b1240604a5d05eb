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

    Map<String, Double> expected = new TreeMap<>();
    for (HostState state : HostState.values()) {
      if (state != HostState.REMOVED) {
        expected.put("dmz01 " + state, state == HostState.ACTIVE ? 1.0 : 0.0);
        expected.put("dmz02 " + state, state == HostState.MAINTENANCE ? 1.0 : 0.0);
      }
    }
    assertThat(states).containsExactlyEntriesOf(expected);
    assertThat(states)
        .containsKeys("dmz01 SUSPECT", "dmz01 FENCING", "dmz01 FENCE_FAILED", "dmz01 FAILED");
  }
}
