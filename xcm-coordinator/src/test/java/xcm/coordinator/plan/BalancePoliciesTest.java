package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BalancePoliciesTest {
  @TempDir Path dir;

  private static final ClusterSnapshot CLUSTER =
      new ClusterSnapshot(
          List.of(
              ClusterSnapshot.Host.active("h1", 17 * GIB, GIB, 8),
              ClusterSnapshot.Host.active("h2", 17 * GIB, GIB, 8)),
          List.of(
              ClusterSnapshot.Domain.running("vm1", "h1", 2 * GIB, 2, 0.5),
              ClusterSnapshot.Domain.running("vm2", "h1", 2 * GIB, 2, 0.5).withPinned(true)));

  @Test
  void bothBuiltInsAreFoundThroughTheServiceLoader() {
    BalancePolicies policies = BalancePolicies.installed(getClass().getClassLoader());

    assertThat(policies.all())
        .extracting(BalancePolicy::name)
        .containsExactly("domain-count", "weighted");
    assertThat(policies.get("weighted")).isInstanceOf(WeightedPolicy.class);
  }

  @Test
  void aPolicyInADroppedInJarIsFoundByName() throws IOException {
    // What an operator's jar holds: the class (here already on the test class path) and the
    // service file naming it.
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(
        services.resolve(BalancePolicy.class.getName()),
        ExamplePluginPolicy.class.getName() + "\n");
    try (URLClassLoader plugins =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Planner planner = new Planner(BalancePolicies.installed(plugins));

      Plan plan = planner.balance(CLUSTER, "first-movable", Map.of(), PlanOptions.defaults());

      assertThat(planner.policies().all())
          .extracting(BalancePolicy::name)
          .containsExactly("domain-count", "first-movable", "weighted");
      assertThat(plan.moves()).containsExactly(new Move("vm1", "h1", "h2", 0, 0, "example"));
    }
  }

  @Test
  void aPluginPlanThatBreaksAConstraintIsRejected() {
    Planner planner =
        new Planner(BalancePolicies.of(List.of(new ExamplePluginPolicy.MovesPinned())));

    assertThatThrownBy(
            () -> planner.balance(CLUSTER, "moves-pinned", Map.of(), PlanOptions.defaults()))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "plan \"moves-pinned\": move 1 (vm2 from h1 to h2) is not allowed: it is pinned");
  }

  @Test
  void twoPoliciesWithOneNameAreRefused() {
    assertThatThrownBy(
            () -> BalancePolicies.of(List.of(new WeightedPolicy(), new WeightedPolicy())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "two balance policies are named \"weighted\": xcm.coordinator.plan.WeightedPolicy and"
                + " xcm.coordinator.plan.WeightedPolicy");
  }
}
