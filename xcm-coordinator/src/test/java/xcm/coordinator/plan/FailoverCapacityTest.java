package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.mbeans.placement.PlacementRules;

class FailoverCapacityTest {
  private static final long GIB = 1L << 30;

  private static ClusterSnapshot.Host host(String name) {
    return ClusterSnapshot.Host.active(name, 17 * GIB, GIB, 8);
  }

  private static ClusterSnapshot.Domain vm(String name, String host, long gib) {
    return ClusterSnapshot.Domain.running(name, host, gib * GIB, 2, 0.1);
  }

  @Test
  void oneHostsVmsFittingOnTheOthersMakesOneFailureTolerated() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2"), host("h3")),
            List.of(vm("a", "h1", 8), vm("b", "h2", 8), vm("c", "h3", 4)));

    assertThat(FailoverCapacity.tolerated(cluster, 3, 100)).isEqualTo(1);
  }

  @Test
  void aHostWhoseVmsFitNowhereMakesNoFailureTolerated() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2")), List.of(vm("a", "h1", 12), vm("b", "h2", 8)));

    assertThat(FailoverCapacity.tolerated(cluster, 3, 100)).isZero();
  }

  @Test
  void vmsThatStayDownTakeNoRoom() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2")),
            List.of(
                vm("a", "h1", 12).withRules(PlacementRules.parse("restart never")),
                vm("b", "h2", 4)));

    assertThat(FailoverCapacity.tolerated(cluster, 3, 100)).isEqualTo(1);
  }

  @Test
  void hardRulesCountAsTheRestartPlannerObeysThem() {
    ClusterSnapshot spread =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2"), host("h3")),
            List.of(
                vm("db1", "h1", 2).withRules(PlacementRules.parse("apart db")),
                vm("db2", "h2", 2).withRules(PlacementRules.parse("apart db")),
                vm("db3", "h3", 2).withRules(PlacementRules.parse("apart db"))));

    assertThat(FailoverCapacity.tolerated(spread, 3, 100))
        .as("three VMs kept apart on three hosts: any failure leaves one nowhere to go")
        .isZero();
  }

  @Test
  void severalFailuresAreAbsorbedWhileTheHostsLeftHoldEverything() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2"), host("h3"), host("h4")),
            List.of(vm("a", "h1", 2), vm("b", "h2", 2), vm("c", "h3", 2), vm("d", "h4", 2)));

    assertThat(FailoverCapacity.tolerated(cluster, 5, 100)).isEqualTo(3);
    assertThat(FailoverCapacity.tolerated(cluster, 2, 100))
        .as("checked up to what is asked")
        .isEqualTo(2);
  }

  @Test
  void aClusterWhoseHostsCpusCannotTakeAFailedHostsLoadToleratesNoFailureUntilTheLimitIsRaised() {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            List.of(host("h1"), host("h2")),
            List.of(
                ClusterSnapshot.Domain.running("a", "h1", 2 * GIB, 6, 1.0),
                ClusterSnapshot.Domain.running("b", "h2", 2 * GIB, 6, 1.0)));

    assertThat(FailoverCapacity.tolerated(cluster, 3, 100))
        .as("each host keeps 6 of its 8 CPUs busy: the other's 6 do not fit")
        .isZero();
    assertThat(FailoverCapacity.tolerated(cluster, 3, 150)).isEqualTo(1);
  }
}
