package xcm.coordinator.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static xcm.coordinator.balancing.Clusters.GIB;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.mbeans.AutomationLevel;
import xcm.mbeans.HostState;

class ContinuousBalancerTest {
  private final ContinuousBalancer balancer = new ContinuousBalancer(Clusters.planner());

  private static BalancerSettings at(AutomationLevel level, int threshold) {
    return BalancerSettings.defaults()
        .withLevel(level)
        .withThreshold(new MigrationThreshold(threshold));
  }

  /** Two equal hosts, every domain on the first. */
  private static ClusterSnapshot allOnOne(int domains, double busy) {
    List<ClusterSnapshot.Domain> list = new ArrayList<>();
    for (int d = 0; d < domains; d++) {
      list.add(ClusterSnapshot.Domain.running("vm" + d, "h1", 4 * GIB, 2, busy));
    }
    return new ClusterSnapshot(
        List.of(
            ClusterSnapshot.Host.active("h1", 128 * GIB, 4 * GIB, 16),
            ClusterSnapshot.Host.active("h2", 128 * GIB, 4 * GIB, 16)),
        list);
  }

  @Test
  void offLooksAtNothing() {
    RoundDecision decision =
        balancer.decide(allOnOne(8, 0.5), Map.of(), at(AutomationLevel.OFF, 3), 0);

    assertThat(decision.result()).isEqualTo(RoundResult.OFF);
    assertThat(decision.moves()).isEmpty();
  }

  @Test
  void fullMovesWhatManualRecommends() {
    RoundDecision full =
        balancer.decide(allOnOne(8, 0.5), Map.of(), at(AutomationLevel.FULL, 3), 0);
    RoundDecision manual =
        balancer.decide(allOnOne(8, 0.5), Map.of(), at(AutomationLevel.MANUAL, 3), 0);

    assertThat(full.result()).isEqualTo(RoundResult.MOVED);
    assertThat(manual.result()).isEqualTo(RoundResult.RECOMMENDED);
    assertThat(full.moves()).isNotEmpty().isEqualTo(manual.moves());
    assertThat(full.moves()).extracting(Move::to).containsOnly("h2");
    assertThat(full.imbalance()).isGreaterThan(full.threshold().startImbalance());
    assertThat(full.bestGain()).isGreaterThanOrEqualTo(full.minGain());
  }

  @Test
  void aClusterBelowTheStartImbalanceIsLeftAlone() {
    ClusterSnapshot even =
        Clusters.after(
            allOnOne(8, 0.5),
            List.of(
                new Move("vm0", "h1", "h2", 0, 0, ""),
                new Move("vm1", "h1", "h2", 0, 0, ""),
                new Move("vm2", "h1", "h2", 0, 0, ""),
                new Move("vm3", "h1", "h2", 0, 0, "")));

    RoundDecision decision = balancer.decide(even, Map.of(), at(AutomationLevel.FULL, 5), 0);

    assertThat(decision.result()).isEqualTo(RoundResult.BALANCED);
    assertThat(decision.reason()).contains("is below 0.030000, where threshold 5 starts a round");
  }

  @Test
  void theCapsBoundARoundAndAnHour() {
    BalancerSettings settings = at(AutomationLevel.FULL, 5);
    RoundDecision round = balancer.decide(allOnOne(40, 0.5), Map.of(), settings, 0);
    RoundDecision late = balancer.decide(allOnOne(40, 0.5), Map.of(), settings, 45);
    RoundDecision capped = balancer.decide(allOnOne(40, 0.5), Map.of(), settings, 48);

    assertThat(round.moves()).hasSize(settings.maxMovesPerRound());
    assertThat(late.moves()).hasSize(3);
    assertThat(capped.result()).isEqualTo(RoundResult.CAPPED);
    assertThat(capped.reason()).isEqualTo("48 moves in the last hour reached the cap of 48");
  }

  @Test
  void aGainWithinTheNoiseOfTheDemandIsNotMade() {
    // h1 a little busier than h2: worth a move on the means, not when demand swings widely.
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 128 * GIB, 4 * GIB, 16),
                ClusterSnapshot.Host.active("h2", 128 * GIB, 4 * GIB, 16)),
            List.of(
                ClusterSnapshot.Domain.running("a", "h1", GIB, 8, 0.6),
                ClusterSnapshot.Domain.running("b", "h1", GIB, 2, 0.5),
                ClusterSnapshot.Domain.running("c", "h2", GIB, 8, 0.3),
                ClusterSnapshot.Domain.running("d", "h2", GIB, 2, 0.2)));
    BalancerSettings settings = at(AutomationLevel.FULL, 5);

    RoundDecision calm = balancer.decide(snapshot, Map.of(), settings, 0);
    RoundDecision noisy =
        balancer.decide(snapshot, Map.of("a", 3.0, "b", 1.0, "c", 3.0, "d", 1.0), settings, 0);

    assertThat(calm.result()).isEqualTo(RoundResult.MOVED);
    assertThat(noisy.result()).isEqualTo(RoundResult.NO_GAIN);
    assertThat(noisy.reason()).contains("within the demand's noise");
    assertThat(noisy.bestGain()).isEqualTo(calm.bestGain());
  }

  @Test
  void brokenHardRulesAreMendedWhateverTheThreshold() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 128 * GIB, 4 * GIB, 16),
                ClusterSnapshot.Host.active("h2", 128 * GIB, 4 * GIB, 16)),
            List.of(
                ClusterSnapshot.Domain.running("db1", "h1", 4 * GIB, 2, 0.1)
                    .withAntiAffinityGroup("db"),
                ClusterSnapshot.Domain.running("db2", "h1", 4 * GIB, 2, 0.1)
                    .withAntiAffinityGroup("db")));

    RoundDecision decision = balancer.decide(snapshot, Map.of(), at(AutomationLevel.FULL, 1), 0);

    assertThat(decision.result()).isEqualTo(RoundResult.MENDED);
    assertThat(decision.moves()).hasSize(1);
    assertThat(decision.moves().get(0).to()).isEqualTo("h2");
  }

  @Test
  void aHigherThresholdNeverMovesFewerDomainsOnTheSameInput() {
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 300; trial++) {
      ClusterSnapshot snapshot =
          Clusters.random(random, 2 + random.nextInt(12), random.nextInt(120), null);
      Map<String, Double> deviations = new HashMap<>();
      snapshot.domains().forEach(d -> deviations.put(d.name(), 0.3 * random.nextDouble()));
      List<Move> previous = List.of();
      for (int t = 1; t <= 5; t++) {
        List<Move> moves =
            balancer.decide(snapshot, deviations, at(AutomationLevel.FULL, t), 0).moves();
        assertThat(moves.size())
            .as("trial %d, threshold %d", trial, t)
            .isGreaterThanOrEqualTo(previous.size());
        assertThat(moves.subList(0, previous.size())).isEqualTo(previous);
        previous = moves;
      }
    }
  }

  @Test
  void standbyAndOtherHostsNotActiveGetNothing() {
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      HostState other = trial % 2 == 0 ? HostState.STANDBY : HostState.MAINTENANCE;
      ClusterSnapshot snapshot =
          Clusters.random(random, 3 + random.nextInt(10), 20 + random.nextInt(100), other);
      Set<String> active = new java.util.HashSet<>();
      snapshot.hosts().stream()
          .filter(h -> h.state() == HostState.ACTIVE)
          .forEach(h -> active.add(h.name()));

      List<Move> moves =
          balancer.decide(snapshot, Map.of(), at(AutomationLevel.FULL, 5), 0).moves();

      assertThat(moves).extracting(Move::to).allMatch(active::contains);
    }
  }

  @Test
  void hardRulesHoldAfterEveryRound() {
    SplittableRandom random = new SplittableRandom(23);
    for (int trial = 0; trial < 200; trial++) {
      ClusterSnapshot plain =
          Clusters.random(random, 3 + random.nextInt(8), 10 + random.nextInt(60), null);
      // Spread the "web" group over distinct hosts first, so that the rules start kept.
      List<ClusterSnapshot.Domain> domains = new ArrayList<>();
      int web = 0;
      for (ClusterSnapshot.Domain d : plain.domains()) {
        if (web < plain.hosts().size() - 1 && random.nextInt(3) == 0) {
          domains.add(d.withHost("h" + web++).withAntiAffinityGroup("web"));
        } else {
          domains.add(d);
        }
      }
      ClusterSnapshot snapshot = new ClusterSnapshot(plain.hosts(), domains);

      for (int round = 0; round < 3; round++) {
        RoundDecision decision =
            balancer.decide(snapshot, Map.of(), at(AutomationLevel.FULL, 5), 0);
        snapshot = Clusters.after(snapshot, decision.moves());
        Set<String> webHosts = new java.util.HashSet<>();
        long webCount =
            snapshot.domains().stream()
                .filter(d -> !d.rules().apart().isEmpty())
                .peek(d -> webHosts.add(d.host()))
                .count();
        assertThat(webHosts).as("trial %d round %d", trial, round).hasSize((int) webCount);
      }
    }
  }
}
