package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.Strength;

class DrainPlannerTest {
  private static final PlanOptions OPTIONS = PlanOptions.defaults();

  private static ClusterSnapshot threeHosts(long h2Memory, long h3Memory) {
    return new ClusterSnapshot(
        List.of(
            ClusterSnapshot.Host.active("h1", 33 * GIB, GIB, 8),
            ClusterSnapshot.Host.active("h2", h2Memory, GIB, 8),
            ClusterSnapshot.Host.active("h3", h3Memory, GIB, 8)),
        List.of(
            ClusterSnapshot.Domain.running("vm1", "h1", 8 * GIB, 2, 0.5),
            ClusterSnapshot.Domain.running("vm2", "h1", 4 * GIB, 2, 0.5),
            ClusterSnapshot.Domain.running("vm3", "h1", 2 * GIB, 1, 0.5),
            ClusterSnapshot.Domain.running("vm4", "h2", 2 * GIB, 1, 0.5),
            ClusterSnapshot.Domain.running("vm5", "h1", 2 * GIB, 1, 0.5)
                .withState(DomainState.SHUTOFF)));
  }

  @Test
  void drainPlacesEveryRunningDomainOnTheOtherActiveHosts() {
    ClusterSnapshot snapshot = threeHosts(17 * GIB, 17 * GIB);

    Plan plan = DrainPlanner.plan(snapshot, "h1", DrainStrategy.BEST_FIT, Weights.EQUAL, OPTIONS);

    assertThat(plan.policy()).isEqualTo("drain:best-fit");
    assertThat(plan.moves()).extracting(Move::domain).containsExactly("vm1", "vm2", "vm3");
    assertThat(plan.moves()).extracting(Move::from).containsOnly("h1");
    // vm1 (8 GiB) goes to the empty h3 and vm2 to h2. vm3 on h2 would leave σ 0 + 0.0625 +
    // 0.125 (memory, CPU, vCPU); on h3 0.125 + 0 + 0: h3.
    assertThat(plan.moves()).extracting(Move::to).containsExactly("h3", "h2", "h3");
    assertThat(plan.finalScore()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(plan.lowerBound()).isEqualTo(3);
    assertThat(plan.minimal()).isTrue();
    assertThat(plan.notes())
        .containsExactly(
            "1 domains on h1 hold no resources (shut off): they stay defined there, not moved");
    ConstraintOracle oracle = new ConstraintOracle(snapshot, OPTIONS.cooldownSeconds());
    oracle.applyAll(plan.moves());
    assertThat(oracle.domainsOn("h1")).isZero();
  }

  @Test
  void drainRefusesWhenRemainingHostsLackMemory() {
    ClusterSnapshot snapshot = threeHosts(7 * GIB, 5 * GIB);

    PlacementException refusal =
        catchThrowableOfType(
            PlacementException.class,
            () ->
                DrainPlanner.plan(snapshot, "h1", DrainStrategy.BEST_FIT, Weights.EQUAL, OPTIONS));

    // h2 has 4 GiB free, h3 4 GiB: vm1 (8 GiB) fits nowhere; vm2 and vm3 fit.
    assertThat(refusal)
        .hasMessage(
            "cannot drain host \"h1\": 1 of its 3 domains cannot be placed; vm1 (8192.0 MiB): it"
                + " fits on no other ACTIVE host: short by 4096.0 MiB, the roomiest allowed host h2"
                + " has 4096.0 MiB free");
    assertThat(refusal.unplaced())
        .containsExactly(
            new Unplaced(
                "vm1",
                8 * GIB,
                4 * GIB,
                Unplaced.Cause.MEMORY,
                "it fits on no other ACTIVE host: short by 4096.0 MiB, the roomiest allowed host"
                    + " h2 has 4096.0 MiB free"));
  }

  @Test
  void drainRefusesToMovePinnedOrCoolingDomains() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 33 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h2", 33 * GIB, GIB, 8)),
            List.of(
                ClusterSnapshot.Domain.running("vm1", "h1", GIB, 1, 0.5).withPinned(true),
                ClusterSnapshot.Domain.running("vm2", "h1", GIB, 1, 0.5)
                    .withLastMovedSecondsAgo(30),
                ClusterSnapshot.Domain.running("vm3", "h1", GIB, 1, 0.5)));

    assertThatThrownBy(
            () -> DrainPlanner.plan(snapshot, "h1", DrainStrategy.BEST_FIT, Weights.EQUAL, OPTIONS))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "cannot drain host \"h1\": 2 of its 3 domains cannot be placed; vm1 (1024.0 MiB): it is"
                + " pinned; vm2 (1024.0 MiB): it moved 30 s ago, within the 600 s cooldown");

    ClusterSnapshot unpinned =
        new ClusterSnapshot(
            snapshot.hosts(), snapshot.domains().stream().map(d -> d.withPinned(false)).toList());
    Plan withoutCooldown =
        DrainPlanner.plan(
            unpinned, "h1", DrainStrategy.BEST_FIT, Weights.EQUAL, new PlanOptions(0));
    assertThat(withoutCooldown.moves()).hasSize(3);
  }

  @Test
  void paperStrategySendsEveryDomainToTheHostWithTheFewestDomains() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 33 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h2", 33 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h3", 9 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h4", 33 * GIB, GIB, 8)),
            List.of(
                ClusterSnapshot.Domain.running("vm1", "h1", 4 * GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm2", "h1", 4 * GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm3", "h1", 4 * GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm4", "h2", GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm5", "h4", GIB, 1, 0.5),
                ClusterSnapshot.Domain.running("vm6", "h4", GIB, 1, 0.5)));

    Plan plan = DrainPlanner.plan(snapshot, "h1", DrainStrategy.PAPER, Weights.EQUAL, OPTIONS);

    // h3 holds no domain but has room for two; the third goes to the next fewest, h2.
    assertThat(plan.moves()).extracting(Move::to).containsExactly("h3", "h3", "h2");
    assertThat(plan.moves().get(0).reason())
        .isEqualTo("paper: the host with the fewest domains that has room (h3)");
  }

  @Test
  void drainOfAnUnlistedHostIsBadInput() {
    assertThatThrownBy(
            () ->
                DrainPlanner.plan(
                    threeHosts(17 * GIB, 17 * GIB),
                    "h9",
                    DrainStrategy.BEST_FIT,
                    Weights.EQUAL,
                    OPTIONS))
        .isInstanceOf(PlanRequestException.class)
        .hasMessage("host \"h9\" is not listed in the snapshot");
  }

  @Test
  void drainsEitherEmptyTheHostOrRefuseNamingTheDomainsThatFitNowhere() {
    SplittableRandom random = new SplittableRandom(23);
    int refused = 0;
    int drained = 0;
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(4, 8));
      String host = snapshot.hosts().get(random.nextInt(snapshot.hosts().size())).name();
      PlanOptions options = random.nextBoolean() ? OPTIONS : new PlanOptions(0);
      DrainStrategy strategy = random.nextBoolean() ? DrainStrategy.BEST_FIT : DrainStrategy.PAPER;
      boolean feasible = Exhaustive.canDrain(snapshot, host, options);
      try {
        Plan plan = PLANNER.drain(snapshot, host, strategy, options);
        assertThat(feasible).as("run %d: a plan exists", run).isTrue();
        ConstraintOracle oracle = new ConstraintOracle(snapshot, options.cooldownSeconds());
        oracle.applyAll(plan.moves());
        assertThat(oracle.domainsOn(host)).as("run %d: %s emptied", run, host).isZero();
        assertThat(plan.lowerBound()).isEqualTo(plan.moves().size());
        drained++;
      } catch (PlacementException e) {
        assertThat(feasible).as("run %d: %s", run, e.getMessage()).isFalse();
        List<String> named = e.unplaced().stream().map(Unplaced::domain).toList();
        assertThat(named).isNotEmpty();
        for (ClusterSnapshot.Domain domain : snapshot.domains()) {
          if (!domain.host().equals(host) || !domain.state().isActive()) {
            assertThat(named).doesNotContain(domain.name());
          } else if (Exhaustive.fitsNowhereAlone(snapshot, host, domain, options)) {
            assertThat(named)
                .as(
                    "run %d: drain %s of %s: %s",
                    run, host, SnapshotJson.write(snapshot), e.getMessage())
                .containsAnyElementsOf(namesFor(domain));
          }
        }
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100);
    assertThat(drained).isGreaterThan(100);
  }

  private static final Planner PLANNER = new Planner(BalancePolicies.of(List.of()));

  /** The domain's name, and the names its hard together groups are planned under. */
  private static List<String> namesFor(ClusterSnapshot.Domain domain) {
    List<String> names = new ArrayList<>(List.of(domain.name()));
    domain.rules().together().forEach(g -> names.add("together/" + g.group()));
    return names;
  }

  /** Brute force over every placement of the host's domains, for the property test. */
  private static final class Exhaustive {
    static boolean canDrain(ClusterSnapshot snapshot, String host, PlanOptions options) {
      List<ClusterSnapshot.Domain> leaving = new ArrayList<>();
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        if (d.host().equals(host) && d.state().isActive()) {
          if (d.stays() || options.coolingDown(d)) {
            return false;
          }
          leaving.add(d);
        }
      }
      List<ClusterSnapshot.Host> targets = targets(snapshot, host);
      if (leaving.isEmpty()) {
        return true;
      }
      if (targets.isEmpty()) {
        return false;
      }
      long total = (long) Math.pow(targets.size(), leaving.size());
      for (long code = 0; code < total; code++) {
        Map<String, String> to = new HashMap<>();
        long c = code;
        for (ClusterSnapshot.Domain d : leaving) {
          to.put(d.name(), targets.get((int) (c % targets.size())).name());
          c /= targets.size();
        }
        if (legal(snapshot, host, to)) {
          return true;
        }
      }
      return false;
    }

    /** True if the domain, with what hard together rules bind to it on the host, fits nowhere. */
    static boolean fitsNowhereAlone(
        ClusterSnapshot snapshot, String host, ClusterSnapshot.Domain domain, PlanOptions options) {
      if (domain.stays() || options.coolingDown(domain)) {
        return true;
      }
      List<ClusterSnapshot.Domain> gang = gang(snapshot, host, domain);
      for (ClusterSnapshot.Host target : targets(snapshot, host)) {
        Map<String, String> to = new HashMap<>();
        gang.forEach(d -> to.put(d.name(), target.name()));
        if (legal(snapshot, host, to)) {
          return false;
        }
      }
      return true;
    }

    private static List<ClusterSnapshot.Domain> gang(
        ClusterSnapshot snapshot, String host, ClusterSnapshot.Domain domain) {
      List<ClusterSnapshot.Domain> gang = new ArrayList<>(List.of(domain));
      boolean grew = true;
      while (grew) {
        grew = false;
        for (ClusterSnapshot.Domain other : snapshot.domains()) {
          if (!gang.contains(other)
              && other.host().equals(host)
              && other.state().isActive()
              && gang.stream().anyMatch(g -> sharesHardTogether(g, other))) {
            gang.add(other);
            grew = true;
          }
        }
      }
      return gang;
    }

    private static boolean sharesHardTogether(ClusterSnapshot.Domain a, ClusterSnapshot.Domain b) {
      return a.rules().together().stream()
          .anyMatch(
              r ->
                  r.strength() == Strength.HARD
                      && b.rules().together().stream()
                          .anyMatch(
                              o -> o.strength() == Strength.HARD && o.group().equals(r.group())));
    }

    private static List<ClusterSnapshot.Host> targets(ClusterSnapshot snapshot, String host) {
      return snapshot.hosts().stream()
          .filter(h -> h.state() == HostState.ACTIVE && !h.name().equals(host))
          .toList();
    }

    /**
     * Memory and every hard rule after moving the given domains: each moved domain meets its host
     * rules, no host a domain moved to holds two members of a hard apart group, and a moved member
     * of a hard together group ends beside another member.
     */
    private static boolean legal(ClusterSnapshot snapshot, String drained, Map<String, String> to) {
      Map<String, String> hostOf = new HashMap<>();
      snapshot.domains().forEach(d -> hostOf.put(d.name(), to.getOrDefault(d.name(), d.host())));
      for (String target : new java.util.HashSet<>(to.values())) {
        long used = 0;
        for (ClusterSnapshot.Domain d : snapshot.domains()) {
          if (d.state().isActive() && hostOf.get(d.name()).equals(target)) {
            used += d.memoryBytes();
          }
        }
        if (used > snapshot.host(target).orElseThrow().capacityBytes()) {
          return false;
        }
      }
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        if (!to.containsKey(d.name())) {
          continue;
        }
        ClusterSnapshot.Host at = snapshot.host(to.get(d.name())).orElseThrow();
        for (var rule : d.rules().hosts()) {
          if (rule.kind().strength() == Strength.HARD && !rule.met(at.labels())) {
            return false;
          }
        }
        for (var rule : d.rules().apart()) {
          if (rule.strength() == Strength.HARD
              && besideAnother(snapshot, hostOf, d, rule.group(), false)) {
            return false;
          }
        }
        for (var rule : d.rules().together()) {
          if (rule.strength() == Strength.HARD
              && !besideAnother(snapshot, hostOf, d, rule.group(), true)) {
            return false;
          }
        }
      }
      return true;
    }

    /**
     * True if another running member of the hard group ends on d's host; for a together group also
     * true when d has no other running member.
     */
    private static boolean besideAnother(
        ClusterSnapshot snapshot,
        Map<String, String> hostOf,
        ClusterSnapshot.Domain d,
        String group,
        boolean together) {
      boolean others = false;
      for (ClusterSnapshot.Domain o : snapshot.domains()) {
        if (o != d
            && o.state().isActive()
            && (together ? o.rules().together() : o.rules().apart())
                .stream().anyMatch(r -> r.group().equals(group) && r.strength() == Strength.HARD)) {
          others = true;
          if (hostOf.get(o.name()).equals(hostOf.get(d.name()))) {
            return true;
          }
        }
      }
      return together && !others;
    }
  }
}
