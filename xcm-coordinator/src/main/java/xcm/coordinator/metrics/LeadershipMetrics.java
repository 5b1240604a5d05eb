package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import xcm.coordinator.leader.Leadership;

/**
 * Which coordinator acts: {@code xcm_coordinator_acting} (1 on the active coordinator while its
 * lease holds, 0 on a standby) and {@code xcm_coordinator_epoch} (the lease's epoch as this
 * coordinator last read it). Summed over the coordinators, {@code xcm_coordinator_acting} is 1; 0
 * for longer than a takeover takes means that nothing acts, 2 must never be seen.
 */
public final class LeadershipMetrics {
  private LeadershipMetrics() {}

  public static void register(PrometheusRegistry registry, Leadership leadership) {
    GaugeWithCallback.builder()
        .name("xcm_coordinator_acting")
        .help("1 while this coordinator is the active one and its lease holds, else 0")
        .callback(callback -> callback.call(leadership.active() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("xcm_coordinator_epoch")
        .help("The epoch of the coordinators' lease, as this coordinator last read it")
        .callback(callback -> callback.call(leadership.seen().epoch()))
        .register(registry);
  }
}
