package xcm.coordinator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.mbeans.RuleStatus;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.Strength;

class RulesReportTest {
  private static final long GIB = 1L << 30;

  @Test
  void everyRuleIsListedWithItsMembersAndWhyItIsBroken() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 32 * GIB, GIB, 8)
                    .withLabels(HostLabels.parse("rack=r1")),
                ClusterSnapshot.Host.active("h2", 32 * GIB, GIB, 8)),
            List.of(
                ClusterSnapshot.Domain.running("db1", "h1", GIB, 1, 0)
                    .withRules(PlacementRules.parse("apart db; together app soft")),
                ClusterSnapshot.Domain.running("db2", "h1", GIB, 1, 0)
                    .withRules(PlacementRules.parse("apart db; on rack=r1")),
                ClusterSnapshot.Domain.running("web", "h2", GIB, 1, 0)
                    .withRules(PlacementRules.parse("together app soft; prefer rack=r1; pinned"))));

    RulesReport report = RulesReport.of(cluster, Map.of("vm9", "<near> is not a placement rule"));

    assertThat(report.rows())
        .containsExactly(
            new RuleStatus(
                "apart db", "apart", "hard", List.of("db1", "db2"), false, "db1 and db2 share h1"),
            new RuleStatus(
                "together app",
                "together",
                "soft",
                List.of("db1", "web"),
                false,
                "spread over 2 hosts: db1 on h1; web on h2"),
            new RuleStatus(
                "on rack=r1", "host", "hard", List.of("db2"), true, "db2 runs on h1 (rack=r1)"),
            new RuleStatus(
                "prefer rack=r1",
                "host",
                "soft",
                List.of("web"),
                false,
                "not met: web runs on h2 (no labels)"),
            new RuleStatus("pinned", "pinned", "hard", List.of("web"), true, "stays on h2"),
            new RuleStatus(
                "metadata",
                "metadata",
                "hard",
                List.of("vm9"),
                false,
                "its placement metadata cannot be read, so it is planned as having no rules:"
                    + " <near> is not a placement rule"));
    assertThat(report.violations(Strength.HARD)).isEqualTo(2);
    assertThat(report.violations(Strength.SOFT)).isEqualTo(2);
    assertThat(report.violations("apart", Strength.HARD)).isEqualTo(1);
  }
}
