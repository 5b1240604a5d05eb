package xcm.testkit.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.SnapshotJson;

class SyntheticClustersTest {

  @Test
  void theSameArgumentsGiveTheSameCluster() {
    assertThat(SyntheticClusters.skewed(50, 1_000, 42))
        .isEqualTo(SyntheticClusters.skewed(50, 1_000, 42))
        .isNotEqualTo(SyntheticClusters.skewed(50, 1_000, 43));
  }

  /** The coordinator's MoveSetRefinerTest plans on a copy of this cluster, kept as a file. */
  @Test
  void theCoordinatorsCopyIsWhatTheGeneratorMakes() throws Exception {
    Path copy =
        Path.of(
            "..",
            "xcm-coordinator/src/test/resources/xcm/coordinator/plan",
            "skewed-10-hosts-100-domains.json");

    ClusterSnapshot cluster = SnapshotJson.read(Files.readString(copy));

    assertThat(cluster).isEqualTo(SyntheticClusters.skewed(10, 100, 42, false));
    assertThat(cluster.hosts()).hasSize(10);
    assertThat(cluster.domains()).hasSize(100);
  }
}
