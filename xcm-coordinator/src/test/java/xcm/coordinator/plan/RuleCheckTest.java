package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;

class RuleCheckTest {
  private static final ClusterSnapshot CLUSTER =
      new ClusterSnapshot(
          List.of(
              ClusterSnapshot.Host.active("h1", 32 * GIB, GIB, 8)
                  .withLabels(HostLabels.parse("rack=r1")),
              ClusterSnapshot.Host.active("h2", 32 * GIB, GIB, 8)
                  .withLabels(HostLabels.parse("rack=r2")),
              new ClusterSnapshot.Host(
                  "h3", HostState.MAINTENANCE, 64 * GIB, GIB, 8, HostLabels.parse("rack=r3"))),
          List.of(
              ClusterSnapshot.Domain.running("db1", "h1", 4 * GIB, 2, 0.1)
                  .withRules(PlacementRules.parse("apart db; together app")),
              ClusterSnapshot.Domain.running("db2", "h2", 4 * GIB, 2, 0.1),
              ClusterSnapshot.Domain.running("app1", "h1", 20 * GIB, 2, 0.1)
                  .withRules(PlacementRules.parse("together big")),
              ClusterSnapshot.Domain.running("app2", "h2", 12 * GIB, 2, 0.1),
              ClusterSnapshot.Domain.running("pin", "h2", 4 * GIB, 2, 0.1)
                  .withRules(PlacementRules.parse("pinned"))));

  @Test
  void aMigrationThatBreaksAHardRuleIsNamedAndOneThatDoesNotIsNot() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            CLUSTER.hosts(),
            CLUSTER.domains().stream()
                .map(
                    d -> d.name().equals("db2") ? d.withRules(PlacementRules.parse("apart db")) : d)
                .toList());

    assertThat(RuleCheck.migrationBreaks(cluster, "db2", "h1"))
        .contains("host h1 already holds db1 of its rule 'apart db'");
    assertThat(RuleCheck.migrationBreaks(cluster, "pin", "h1"))
        .contains("its rules pin it (rule 'pinned')");
    assertThat(RuleCheck.migrationBreaks(cluster, "app2", "h1")).isEmpty();
  }

  @Test
  void rulesThatCannotHoldAreRefusedNamingBothSides() {
    assertThat(RuleCheck.conflicts(CLUSTER, "db2", PlacementRules.parse("apart db; together app")))
        .containsExactly(
            "rules 'together app' and 'apart db' contradict each other: db2 and db1 would have to"
                + " share a host and not share one");
    assertThat(RuleCheck.conflicts(CLUSTER, "db2", PlacementRules.parse("on rack=r3")))
        .containsExactly(
            "no ACTIVE host meets 'on rack=r3'; the ACTIVE hosts are h1 (rack=r1), h2 (rack=r2)");
    assertThat(RuleCheck.conflicts(CLUSTER, "app2", PlacementRules.parse("together big")))
        .containsExactly(
            "rule 'together big': its running members need 32768 MiB on one host and the largest"
                + " ACTIVE host has 31744 MiB");
    assertThat(RuleCheck.conflicts(CLUSTER, "db2", PlacementRules.parse("together app soft")))
        .containsExactly(
            "rule 'together app' would be soft for db2 and is hard for db1: a group is hard or"
                + " soft for all its members");
    assertThat(RuleCheck.conflicts(CLUSTER, "pin", PlacementRules.parse("apart db; on rack=r2")))
        .isEmpty();
  }
}
