package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;

class DomainCountPolicyTest {
  private final DomainCountPolicy policy = new DomainCountPolicy();

  private Plan plan(ClusterSnapshot snapshot, String target) {
    return policy.plan(
        snapshot,
        new PolicyParameters("domain-count", target == null ? Map.of() : Map.of("target", target)),
        PlanOptions.defaults());
  }

  @Test
  void movesExactlyTheExcessAboveThePaperTarget() {
    // 7 domains on 3 hosts: X = floor(7/3) + 1 = 3, h1 holds 7, so 4 must leave.
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      domains.add(ClusterSnapshot.Domain.running("vm" + i, "h1", GIB, 1, 0.5));
    }
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h2", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h3", 64 * GIB, 0, 8)),
            domains);

    Plan plan = plan(snapshot, null);

    assertThat(plan.moves()).hasSize(4);
    assertThat(plan.lowerBound()).isEqualTo(4);
    assertThat(plan.minimal()).isTrue();
    assertThat(plan.targetReached()).isTrue();
    assertThat(plan.initialScore()).isEqualTo(4);
    assertThat(plan.finalScore()).isZero();
    assertThat(plan.moves()).extracting(Move::from).containsOnly("h1");
    assertThat(plan.moves()).extracting(Move::to).containsExactly("h2", "h3", "h2", "h3");
    assertThat(plan.moves().get(0).reason())
        .isEqualTo("h1 holds 7 domains, above the target of 3; h2 holds 0");
  }

  @Test
  void strictTargetIsTheCeilingOfTheAverage() {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      domains.add(ClusterSnapshot.Domain.running("vm" + i, "h1", GIB, 1, 0.5));
    }
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h2", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h3", 64 * GIB, 0, 8)),
            domains);

    Plan plan = plan(snapshot, "strict");

    // X = ceil(7/3) = 3 as well here; h1 keeps 3 and the others take 2 each.
    assertThat(plan.moves()).hasSize(4);
    assertThat(plan.notes())
        .contains("target X = ceil(D/N) = 3 with D = 7 domains on N = 3 ACTIVE hosts");
  }

  @Test
  void pinnedDomainsKeepTheTargetOutOfReachAndThePlanSaysSo() {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      domains.add(ClusterSnapshot.Domain.running("vm" + i, "h1", GIB, 1, 0.5).withPinned(i <= 5));
    }
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h2", 64 * GIB, 0, 8)),
            domains);

    Plan plan = plan(snapshot, null);

    // X = 6/2 + 1 = 4: two must leave but only vm6 may.
    assertThat(plan.moves()).extracting(Move::domain).containsExactly("vm6");
    assertThat(plan.targetReached()).isFalse();
    assertThat(plan.lowerBound()).isEqualTo(1);
    assertThat(plan.notes())
        .contains(
            "target not reached: 1 domains stay above it; reaching it needs at least 2 moves,"
                + " the constraints allow 1",
            "host h1 keeps 5 domains (target 4): 5 pinned, 0 cooling down, 0 fit on none of the 1"
                + " hosts below target (memory or anti-affinity)");
  }

  @Test
  void domainsOnHostsThatAreNotActiveAreNeitherCountedNorMoved() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, 0, 8),
                ClusterSnapshot.Host.active("h2", 64 * GIB, 0, 8),
                new ClusterSnapshot.Host("h3", HostState.MAINTENANCE, 64 * GIB, 0, 8)),
            List.of(
                ClusterSnapshot.Domain.running("vm1", "h3", GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm2", "h3", GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm3", "h3", GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm4", "h1", GIB, 1, 0.5)));

    Plan plan = plan(snapshot, null);

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.notes())
        .contains("3 domains on hosts that are not ACTIVE: not counted, not moved");
  }

  @Test
  void unconstrainedPlansUseExactlyTheMinimumNumberOfMoves() {
    SplittableRandom random = new SplittableRandom(4);
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot snapshot =
          TestClusters.random(random, TestClusters.Shape.unconstrained(8, 40));
      boolean strict = random.nextBoolean();
      Plan plan = plan(snapshot, strict ? "strict" : "paper");

      int n = snapshot.hosts().size();
      int d = snapshot.domains().size();
      int target = strict ? (d + n - 1) / n : d / n + 1;
      int excess = 0;
      for (ClusterSnapshot.Host host : snapshot.hosts()) {
        long count = snapshot.domains().stream().filter(x -> x.host().equals(host.name())).count();
        excess += (int) Math.max(0, count - target);
      }
      ConstraintOracle oracle =
          new ConstraintOracle(snapshot, PlanOptions.DEFAULT_COOLDOWN_SECONDS);
      oracle.applyAll(plan.moves());
      assertThat(plan.targetReached()).as("run %d", run).isTrue();
      assertThat(plan.moves()).as("run %d", run).hasSize(excess);
      assertThat(plan.lowerBound()).isEqualTo(excess);
      for (ClusterSnapshot.Host host : snapshot.hosts()) {
        assertThat(oracle.domainsOn(host.name())).isLessThanOrEqualTo(target);
      }
    }
  }

  @Test
  void constrainedPlansObeyEveryConstraintAndStayMinimalForWhatTheyReach() {
    SplittableRandom random = new SplittableRandom(5);
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(8, 40));
      Plan plan = plan(snapshot, random.nextBoolean() ? "strict" : "paper");

      ConstraintOracle oracle =
          new ConstraintOracle(snapshot, PlanOptions.DEFAULT_COOLDOWN_SECONDS);
      double score = plan.initialScore();
      for (Move move : plan.moves()) {
        oracle.apply(move);
        assertThat(move.scoreBefore()).isEqualTo(score);
        assertThat(move.scoreAfter()).isEqualTo(score - 1);
        score = move.scoreAfter();
      }
      assertThat(plan.finalScore()).isEqualTo(score);
      assertThat(plan.moves()).hasSize((int) (plan.initialScore() - plan.finalScore()));
      assertThat(plan.lowerBound()).isEqualTo(plan.moves().size());
      assertThat(plan.targetReached()).isEqualTo(plan.finalScore() == 0);
      if (!plan.targetReached()) {
        assertThat(plan.notes()).anyMatch(note -> note.startsWith("target not reached: "));
      }
    }
  }
}
