package xcm.coordinator.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;
import xcm.coordinator.rules.RulesReport;
import xcm.mbeans.placement.Strength;

/**
 * {@code xcm_placement_rule_violations{kind,strength}}: the placement rules broken now, by kind
 * ({@code apart}, {@code together}, {@code host}, {@code pinned}, {@code metadata} — VMs whose
 * metadata cannot be read) and strength, from the rules report at each scrape. Every series is
 * there from the start, at 0, so alerts see a rule break rather than a series appear.
 */
public final class RuleMetrics {
  private RuleMetrics() {}

  public static void register(PrometheusRegistry registry, Supplier<RulesReport> report) {
    GaugeWithCallback.builder()
        .name("xcm_placement_rule_violations")
        .help(
            "Placement rules broken now, by kind (apart, together, host, pinned, metadata: VMs"
                + " whose rules cannot be read) and strength (hard, soft)")
        .labelNames("kind", "strength")
        .callback(
            callback -> {
              RulesReport now = report.get();
              for (String kind : RulesReport.KINDS) {
                for (Strength strength : Strength.values()) {
                  callback.call(now.violations(kind, strength), kind, strength.word());
                }
              }
            })
        .register(registry);
  }
}
