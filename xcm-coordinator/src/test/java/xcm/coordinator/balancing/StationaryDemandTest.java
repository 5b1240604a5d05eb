package xcm.coordinator.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.mbeans.AutomationLevel;

/**
 * Half a day of rounds on demand that does not change but for its noise: no domain moves twice, so
 * none goes back to a host it left. The cooldown is off, so what holds the domains still is the
 * noise test alone. (A few moves come hours after the rest, when a real but small gain clears the
 * noise test on a quiet round: the cluster still only gets better.)
 */
class StationaryDemandTest {
  private static final int HOSTS = 8;
  private static final int DOMAINS = 160;

  @ParameterizedTest(name = "threshold {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void aStationaryNoisyClusterSettlesAndNeverPingPongs(int threshold) {
    Random random = new Random(42 + threshold);
    ClusterSnapshot snapshot =
        Clusters.random(new java.util.SplittableRandom(7), HOSTS, DOMAINS, null);
    Map<String, Double> level = new HashMap<>();
    snapshot.domains().forEach(d -> level.put(d.name(), d.cpuUtilisation() * d.vcpus()));
    BalancerSettings settings =
        new BalancerSettings(
            AutomationLevel.FULL,
            new MigrationThreshold(threshold),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ZERO,
            8,
            48,
            2.0,
            1.0,
            1.0);
    ContinuousBalancer balancer = new ContinuousBalancer(Clusters.planner());
    DemandTracker tracker = new DemandTracker(settings.window());
    Map<String, Set<String>> left = new HashMap<>();
    Map<String, Integer> movesOf = new HashMap<>();
    int backMoves = 0;
    for (int minute = 1; minute <= 12 * 60; minute++) {
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        double noisy = level.get(d.name()) * (1 + 0.3 * random.nextGaussian());
        tracker.observe(d.name(), Math.max(0, Math.min(d.vcpus(), noisy)), minute * 60_000L);
      }
      if (minute % 5 != 0) {
        continue;
      }
      Map<String, Double> deviations = new HashMap<>();
      List<ClusterSnapshot.Domain> smoothed = new ArrayList<>();
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        DemandTracker.Demand demand = tracker.estimate(d.name(), 0);
        deviations.put(d.name(), demand.deviation());
        smoothed.add(
            new ClusterSnapshot.Domain(
                d.name(),
                d.host(),
                d.state(),
                d.memoryBytes(),
                d.vcpus(),
                demand.mean() / d.vcpus(),
                d.rules(),
                d.pinned(),
                d.lastMovedSecondsAgo()));
      }
      snapshot = new ClusterSnapshot(snapshot.hosts(), smoothed);
      RoundDecision decision = balancer.decide(snapshot, deviations, settings, 0);
      for (Move move : decision.moves()) {
        Set<String> gone = left.computeIfAbsent(move.domain(), k -> new HashSet<>());
        backMoves += gone.contains(move.to()) ? 1 : 0;
        gone.add(move.from());
        movesOf.merge(move.domain(), 1, Integer::sum);
      }
      snapshot = Clusters.after(snapshot, decision.moves());
    }

    assertThat(left).as("the skewed start is balanced").isNotEmpty();
    assertThat(backMoves).as("domains sent back to a host they left").isZero();
    assertThat(movesOf.values()).as("moves of each domain").containsOnly(1);
  }
}
