package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RestartPriority;

/**
 * {@link FailoverCapacity}, which tries every failure on copies of one placement, against {@link
 * FailoverCapacityReference}, which built a snapshot and a placement per failed host: the same
 * answers on seeded random clusters with every kind of rule, pins, cooldowns, shut-off VMs, hosts
 * in other states, tight memory and CPU, and every restart priority.
 */
class FailoverCapacityEquivalenceTest {
  private static final RestartPriority[] PRIORITIES = RestartPriority.values();

  @Test
  void triesOnCopiesOfOnePlacementAnswerAsAPlacementPerTrialDoes() {
    SplittableRandom seeds = new SplittableRandom(20261204);
    int tolerating = 0;
    for (int i = 0; i < 600; i++) {
      long seed = seeds.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      // Now and then more hosts than are checked one by one.
      TestClusters.Shape shape =
          i % 50 == 0
              ? TestClusters.Shape.constrained(90, 400)
              : TestClusters.Shape.constrained(14, 60);
      ClusterSnapshot cluster = withPriorities(TestClusters.random(random, shape), random);
      int upTo = 1 + random.nextInt(4);
      int cpuPercent = 40 + random.nextInt(120);

      int expected = FailoverCapacityReference.tolerated(cluster, upTo, cpuPercent);
      assertThat(FailoverCapacity.tolerated(cluster, upTo, cpuPercent))
          .as("seed %d, up to %d, CPU %d%%", seed, upTo, cpuPercent)
          .isEqualTo(expected);
      tolerating += expected > 0 ? 1 : 0;

      // Every failure set, not only those tolerated() reaches before it stops.
      Placement base =
          new Placement(RestartPlanner.released(cluster, d -> true), new PlanOptions(0));
      for (int k = 0; k < 3; k++) {
        List<String> failing = failing(cluster, random);
        if (!failing.isEmpty()) {
          assertThat(FailoverCapacity.absorbs(base, failing, cpuPercent))
              .as("seed %d, %s failing, CPU %d%%", seed, failing, cpuPercent)
              .isEqualTo(FailoverCapacityReference.absorbs(cluster, failing, cpuPercent));
        }
      }
    }
    // Both answers occur, or the comparison says little.
    assertThat(tolerating).isBetween(60, 540);
  }

  /** The cluster with restart priorities, NEVER among them, on its VMs. */
  private static ClusterSnapshot withPriorities(ClusterSnapshot cluster, SplittableRandom random) {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      PlacementRules r = d.rules();
      RestartPriority priority = PRIORITIES[random.nextInt(PRIORITIES.length)];
      domains.add(
          new ClusterSnapshot.Domain(
              d.name(),
              d.host(),
              d.state(),
              d.memoryBytes(),
              d.vcpus(),
              d.cpuUtilisation(),
              new PlacementRules(r.apart(), r.together(), r.hosts(), r.pinned(), priority),
              d.pinned(),
              d.lastMovedSecondsAgo()));
    }
    return new ClusterSnapshot(cluster.hosts(), domains);
  }

  /** One to three hosts that are not ACTIVE in the trial, in a random order. */
  private static List<String> failing(ClusterSnapshot cluster, SplittableRandom random) {
    List<String> failing = new ArrayList<>();
    List<ClusterSnapshot.Host> hosts = cluster.hosts();
    int n = 1 + random.nextInt(Math.min(3, hosts.size()));
    for (int i = 0; i < n; i++) {
      String name = hosts.get(random.nextInt(hosts.size())).name();
      if (!failing.contains(name)) {
        failing.add(name);
      }
    }
    return failing;
  }
}
