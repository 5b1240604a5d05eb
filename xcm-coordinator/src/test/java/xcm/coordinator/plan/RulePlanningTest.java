package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xcm.coordinator.plan.TestClusters.GIB;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RestartPriority;
import xcm.mbeans.placement.Strength;

class RulePlanningTest {
  private static final PlanOptions OPTIONS = PlanOptions.defaults();
  private static final Planner PLANNER =
      new Planner(BalancePolicies.installed(RulePlanningTest.class.getClassLoader()));

  @Test
  void noPlanBreaksAHardRuleAndBalancesMendTheBrokenOnes() {
    SplittableRandom random = new SplittableRandom(41);
    int mended = 0;
    int gangMoves = 0;
    for (int run = 0; run < 2000; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(8, 30));
      String policy = random.nextBoolean() ? "weighted" : "domain-count";
      Plan plan = PLANNER.balance(snapshot, policy, Map.of(), OPTIONS);
      ConstraintOracle before = new ConstraintOracle(snapshot, OPTIONS.cooldownSeconds());
      ConstraintOracle after = new ConstraintOracle(snapshot, OPTIONS.cooldownSeconds());
      after.applyAll(plan.moves());
      String where = "run " + run + " (" + policy + "): " + SnapshotJson.write(snapshot);
      assertThat(before.brokenHardRules()).as(where).containsAll(after.brokenHardRules());
      mended += before.brokenHardRules().size() - after.brokenHardRules().size();
      gangMoves += plan.moves().stream().filter(m -> m.reason().contains("'together")).count();

      String host = snapshot.hosts().get(random.nextInt(snapshot.hosts().size())).name();
      try {
        Plan drain = PLANNER.drain(snapshot, host, DrainStrategy.BEST_FIT, OPTIONS);
        ConstraintOracle drained = new ConstraintOracle(snapshot, OPTIONS.cooldownSeconds());
        drained.applyAll(drain.moves());
        assertThat(drained.domainsOn(host)).as(where).isZero();
        for (String broken : drained.brokenHardRules()) {
          assertThat(
                  broken.startsWith("apart ") && broken.endsWith(" on " + host)
                      || before.brokenHardRules().contains(broken))
              .as("%s: drain of %s broke %s", where, host, broken)
              .isTrue();
        }
      } catch (PlacementException e) {
        assertThat(e.unplaced()).as(where).isNotEmpty();
      }
    }
    assertThat(mended).isGreaterThan(200);
    assertThat(gangMoves).isGreaterThan(20);
  }

  @Test
  void mendingTakesTheFewestMovesOnSmallClusters() {
    SplittableRandom random = new SplittableRandom(43);
    int compared = 0;
    int needingSeveral = 0;
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot snapshot = denseRules(random);
      int fewest = Exhaustive.fewestMovesToMend(snapshot, 4);
      RuleRepair.Outcome repair = RuleRepair.plan(snapshot, OPTIONS);
      ConstraintOracle oracle = new ConstraintOracle(snapshot, OPTIONS.cooldownSeconds());
      oracle.applyAll(repair.moves());
      String where = "run " + run + ": " + SnapshotJson.write(snapshot) + " " + repair;
      if (fewest >= 0) {
        assertThat(oracle.brokenHardRules()).as(where).isEmpty();
        assertThat(repair.moves()).as(where).hasSize(fewest);
        assertThat(repair.minimal()).as(where).isTrue();
        compared++;
        needingSeveral += fewest > 1 ? 1 : 0;
      } else {
        assertThat(repair.moves().size() > 4 || !oracle.brokenHardRules().isEmpty())
            .as(where)
            .isTrue();
      }
    }
    assertThat(compared).isGreaterThan(1000);
    assertThat(needingSeveral).isGreaterThan(100);
  }

  @Test
  void softRulesNeverMakeAPlanInfeasible() {
    SplittableRandom random = new SplittableRandom(47);
    for (int run = 0; run < 1000; run++) {
      ClusterSnapshot snapshot = TestClusters.random(random, TestClusters.Shape.constrained(5, 12));
      ClusterSnapshot hardOnly = withoutSoftRules(snapshot);
      String host = snapshot.hosts().get(random.nextInt(snapshot.hosts().size())).name();
      boolean drains = drains(snapshot, host);
      assertThat(drains).as("run %d", run).isEqualTo(drains(hardOnly, host));
      PLANNER.balance(snapshot, "weighted", Map.of(), OPTIONS);
    }
  }

  @Test
  void aBalanceFirstParksOneOfTwoReplicasThatShareAHostSayingWhy() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 16)),
            List.of(
                ClusterSnapshot.Domain.running("db1", "h1", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("apart db")),
                ClusterSnapshot.Domain.running("db2", "h1", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("apart db")),
                ClusterSnapshot.Domain.running("web", "h2", 8 * GIB, 2, 0.2)));

    Plan plan = PLANNER.balance(snapshot, "weighted", Map.of(), OPTIONS);

    assertThat(plan.moves()).isNotEmpty();
    assertThat(plan.moves().get(0).reason()).isEqualTo("mends rule 'apart db'");
    assertThat(plan.moves().get(0).to()).isEqualTo("h2");
    assertThat(plan.notes()).contains("1 moves mend broken hard rules first (the fewest that can)");
  }

  @Test
  void aGroupKeptTogetherMovesWholeAndAHostRuleIsKept() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("rack=r1")),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("rack=r2")),
                ClusterSnapshot.Host.active("h3", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("rack=r3"))),
            List.of(
                ClusterSnapshot.Domain.running("app1", "h1", 16 * GIB, 4, 0.9)
                    .withRules(PlacementRules.parse("together app")),
                ClusterSnapshot.Domain.running("app2", "h1", 16 * GIB, 4, 0.9)
                    .withRules(PlacementRules.parse("together app; not-on rack=r2")),
                ClusterSnapshot.Domain.running("lic", "h1", 16 * GIB, 4, 0.9)
                    .withRules(PlacementRules.parse("on rack=r1"))));

    Plan plan = PLANNER.balance(snapshot, "weighted", Map.of(), OPTIONS);

    assertThat(plan.moves())
        .extracting(Move::domain, Move::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("app1", "h3"),
            org.assertj.core.groups.Tuple.tuple("app2", "h3"));
    assertThat(plan.moves().get(0).reason()).endsWith("with its rule 'together app' (app1, app2)");
    assertThatThrownBy(() -> PLANNER.drain(snapshot, "h1", DrainStrategy.BEST_FIT, OPTIONS))
        .isInstanceOf(PlacementException.class)
        .hasMessageStartingWith(
            "cannot drain host \"h1\": 1 of its 3 domains cannot be placed; lic")
        .hasMessageContaining(
            "lic (16384.0 MiB): it fits on no other ACTIVE host: its hard rules exclude every"
                + " other ACTIVE host (host h2 breaks its rule 'on rack=r1' (the host's labels:"
                + " rack=r2); host h3 breaks its rule 'on rack=r1' (the host's labels: rack=r3))");
  }

  @Test
  void aDrainRefusedForAGroupKeptTogetherNamesItsVmsAndItsRuleAndCountsVms() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h2", 24 * GIB, GIB, 16)),
            List.of(
                ClusterSnapshot.Domain.running("app1", "h1", 16 * GIB, 4, 0.2)
                    .withRules(PlacementRules.parse("together app")),
                ClusterSnapshot.Domain.running("app2", "h1", 16 * GIB, 4, 0.2)
                    .withRules(PlacementRules.parse("together app")),
                ClusterSnapshot.Domain.running("web", "h1", 4 * GIB, 2, 0.2)));

    assertThatThrownBy(() -> PLANNER.drain(snapshot, "h1", DrainStrategy.BEST_FIT, OPTIONS))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "cannot drain host \"h1\": 2 of its 3 domains cannot be placed; app1 and app2, kept"
                + " together by rule 'together app' (32768.0 MiB): it fits on no other ACTIVE"
                + " host: short by 9216.0 MiB, the roomiest allowed host h2 has 23552.0 MiB free")
        .satisfies(
            e ->
                assertThat(((PlacementException) e).unplaced())
                    .extracting(Unplaced::domain)
                    .containsExactly("app1", "app2"));
  }

  @Test
  void aSoftRuleIsKeptWhenItCostsLittleBalanceAndWeighedAtZeroItIsNot() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 32)
                    .withLabels(HostLabels.parse("ssd=false")),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 32)
                    .withLabels(HostLabels.parse("ssd=true"))),
            List.of(
                ClusterSnapshot.Domain.running("small", "h1", GIB, 1, 0.01)
                    .withRules(PlacementRules.parse("prefer ssd=true")),
                ClusterSnapshot.Domain.running("big1", "h1", 16 * GIB, 8, 0.5),
                ClusterSnapshot.Domain.running("big2", "h2", 16 * GIB, 8, 0.5)));

    Plan weighed = PLANNER.balance(snapshot, "weighted", Map.of(), OPTIONS);
    Plan ignored = PLANNER.balance(snapshot, "weighted", Map.of("soft", "0"), OPTIONS);

    assertThat(weighed.moves())
        .extracting(Move::domain, Move::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("small", "h2"));
    assertThat(weighed.notes()).contains("soft rules broken: 1 before, 0 after");
    assertThat(ignored.moves()).isEmpty();
    assertThat(ignored.notes())
        .contains("soft rules broken: 1 before, 1 after (not weighed: soft=0)");
  }

  @Test
  void theDomainCountPolicyTakesTheMovesThatKeepSoftRulesAmongEqualOnes() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("ssd=true")),
                ClusterSnapshot.Host.active("h3", 64 * GIB, GIB, 16)),
            List.of(
                ClusterSnapshot.Domain.running("a", "h1", 2 * GIB, 1, 0.1)
                    .withRules(PlacementRules.parse("avoid ssd=true")),
                ClusterSnapshot.Domain.running("b", "h1", 2 * GIB, 1, 0.1),
                ClusterSnapshot.Domain.running("c", "h1", 2 * GIB, 1, 0.1),
                ClusterSnapshot.Domain.running("p", "h1", 2 * GIB, 1, 0.1)
                    .withRules(PlacementRules.parse("prefer ssd=true"))));

    Plan plan = PLANNER.balance(snapshot, "domain-count", Map.of(), OPTIONS);

    assertThat(plan.moves()).hasSize(2);
    assertThat(plan.moves())
        .extracting(Move::domain, Move::to)
        .contains(org.assertj.core.groups.Tuple.tuple("p", "h2"))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("a", "h2"));
    assertThat(plan.notes())
        .contains(
            "soft rules broken: 1 before, 0 after (among equal moves, those that keep soft rules"
                + " are chosen)");
  }

  @Test
  void restartsAfterAHostFailureGoByPriorityAndNeverBreakAHardRule() {
    SplittableRandom random = new SplittableRandom(53);
    int restarted = 0;
    int left = 0;
    for (int run = 0; run < 2000; run++) {
      ClusterSnapshot cluster = TestClusters.random(random, TestClusters.Shape.constrained(6, 20));
      String failed = cluster.hosts().get(random.nextInt(cluster.hosts().size())).name();
      RestartPriority[] priorities = RestartPriority.values();
      List<ClusterSnapshot.Host> hosts = new ArrayList<>();
      cluster
          .hosts()
          .forEach(
              h -> hosts.add(h.name().equals(failed) ? h.withState(HostState.UNREACHABLE) : h));
      List<ClusterSnapshot.Domain> domains = new ArrayList<>();
      for (ClusterSnapshot.Domain d : cluster.domains()) {
        PlacementRules r = d.rules();
        RestartPriority priority = priorities[random.nextInt(priorities.length)];
        boolean onFailed = d.host().equals(failed);
        domains.add(
            new ClusterSnapshot.Domain(
                d.name(),
                d.host(),
                d.state(),
                d.memoryBytes(),
                d.vcpus(),
                d.cpuUtilisation(),
                new PlacementRules(
                    r.apart(), r.together(), r.hosts(), r.pinned() && !onFailed, priority),
                d.pinned() && !onFailed,
                onFailed ? java.util.OptionalLong.empty() : d.lastMovedSecondsAgo()));
      }
      ClusterSnapshot snapshot = new ClusterSnapshot(hosts, domains);
      String where = "run " + run + ": " + SnapshotJson.write(snapshot) + " failed " + failed;

      RestartPlanner.Result result = RestartPlanner.place(snapshot, failed, 100);

      ConstraintOracle oracle = new ConstraintOracle(snapshot, 0);
      Set<String> before = oracle.brokenHardRules();
      RestartPriority last = RestartPriority.HIGH;
      for (RestartPlanner.Restart r : result.restarts()) {
        assertThat(r.priority())
            .as(where)
            .isGreaterThanOrEqualTo(last)
            .isNotEqualTo(RestartPriority.NEVER);
        last = r.priority();
        oracle.apply(new Move(r.domain(), failed, r.host(), 0, 0, "restart"));
      }
      assertThat(before).as(where).containsAll(oracle.brokenHardRules());
      Set<String> accounted = new HashSet<>();
      result.restarts().forEach(r -> accounted.add(r.domain()));
      result.staying().forEach(accounted::add);
      result.left().forEach(l -> accounted.add(l.substring(0, l.indexOf(' '))));
      Set<String> running = new HashSet<>();
      snapshot.domains().stream()
          .filter(d -> d.host().equals(failed) && d.holdsResources())
          .forEach(d -> running.add(d.name()));
      assertThat(accounted).as(where).isEqualTo(running);
      restarted += result.restarts().size();
      left += result.left().size();
    }
    assertThat(restarted).isGreaterThan(1000);
    assertThat(left).isGreaterThan(10);
  }

  @Test
  void aDeadHostsPinnedVmRestartsAndANeverVmStaysDown() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                new ClusterSnapshot.Host("h1", HostState.UNREACHABLE, 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h3", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("rack=r3"))),
            List.of(
                ClusterSnapshot.Domain.running("low", "h1", 8 * GIB, 2, 0.1)
                    .withRules(PlacementRules.parse("restart low")),
                ClusterSnapshot.Domain.running("pin", "h1", 2 * GIB, 2, 0.1)
                    .withRules(PlacementRules.parse("pinned; restart high; on rack=r3")),
                ClusterSnapshot.Domain.running("off", "h1", 2 * GIB, 2, 0.1)
                    .withRules(PlacementRules.parse("restart never")),
                ClusterSnapshot.Domain.running("mid", "h1", 2 * GIB, 2, 0.1)));

    RestartPlanner.Result result = RestartPlanner.place(snapshot, "h1", 100);

    assertThat(result.restarts())
        .containsExactly(
            new RestartPlanner.Restart("pin", "h3", RestartPriority.HIGH),
            new RestartPlanner.Restart("mid", "h2", RestartPriority.MEDIUM),
            new RestartPlanner.Restart("low", "h2", RestartPriority.LOW));
    assertThat(result.staying()).containsExactly("off");
    assertThat(result.left()).isEmpty();
  }

  @Test
  void aMoveThatWouldBreakAHardRuleIsRefusedNamingTheRuleAndTheMember() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                ClusterSnapshot.Host.active("h1", 64 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h2", 64 * GIB, GIB, 16)
                    .withLabels(HostLabels.parse("zone=b"))),
            List.of(
                ClusterSnapshot.Domain.running("db1", "h1", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("apart db")),
                ClusterSnapshot.Domain.running("db2", "h2", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("apart db")),
                ClusterSnapshot.Domain.running("vm", "h1", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("not-on zone=b")),
                ClusterSnapshot.Domain.running("pin", "h1", 4 * GIB, 2, 0.2)
                    .withRules(PlacementRules.parse("pinned"))));
    Placement placement = new Placement(snapshot, OPTIONS);
    int h2 = placement.hostIndex("h2");

    assertThat(placement.refusal(placement.domainIndex("db1"), h2))
        .isEqualTo("host h2 already holds db2 of its rule 'apart db'");
    assertThat(placement.refusal(placement.domainIndex("vm"), h2))
        .isEqualTo("host h2 breaks its rule 'not-on zone=b' (the host's labels: zone=b)");
    assertThat(placement.refusal(placement.domainIndex("pin"), h2))
        .isEqualTo("its rules pin it (rule 'pinned')");
  }

  private static boolean drains(ClusterSnapshot snapshot, String host) {
    try {
      PLANNER.drain(snapshot, host, DrainStrategy.BEST_FIT, OPTIONS);
      return true;
    } catch (PlacementException e) {
      return false;
    }
  }

  private static ClusterSnapshot withoutSoftRules(ClusterSnapshot snapshot) {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      PlacementRules r = d.rules();
      domains.add(
          d.withRules(
              new PlacementRules(
                  r.apart().stream().filter(g -> g.strength() == Strength.HARD).toList(),
                  r.together().stream().filter(g -> g.strength() == Strength.HARD).toList(),
                  r.hosts().stream().filter(h -> h.kind().strength() == Strength.HARD).toList(),
                  r.pinned(),
                  r.restart())));
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }

  /** Up to 4 roomy hosts and 6 domains, most with hard rules, placed at random. */
  private static ClusterSnapshot denseRules(SplittableRandom random) {
    int hostCount = 2 + random.nextInt(3);
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    for (int h = 0; h < hostCount; h++) {
      HostState state = random.nextInt(8) == 0 ? HostState.MAINTENANCE : HostState.ACTIVE;
      hosts.add(
          new ClusterSnapshot.Host(
              "h" + (h + 1),
              state,
              64 * GIB,
              GIB,
              8,
              HostLabels.parse("rack=r" + random.nextInt(2))));
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    int domainCount = 2 + random.nextInt(5);
    for (int d = 0; d < domainCount; d++) {
      StringBuilder rules = new StringBuilder();
      if (random.nextInt(2) == 0) {
        rules.append("apart a").append(random.nextInt(2)).append(';');
      }
      if (random.nextInt(4) == 0) {
        rules.append("together t").append(random.nextInt(2)).append(';');
      }
      if (random.nextInt(4) == 0) {
        rules
            .append(random.nextBoolean() ? "on" : "not-on")
            .append(" rack=r")
            .append(random.nextInt(2));
      }
      domains.add(
          ClusterSnapshot.Domain.running(
                  "vm" + (d + 1), "h" + (1 + random.nextInt(hostCount)), 2 * GIB, 1, 0.1)
              .withRules(PlacementRules.parse(rules.toString())));
    }
    return new ClusterSnapshot(hosts, domains);
  }

  /** Breadth-first over single moves, each checked on its own terms, for the minimality test. */
  private static final class Exhaustive {
    /** The fewest moves after which no hard rule is broken, or -1 if more than {@code limit}. */
    static int fewestMovesToMend(ClusterSnapshot snapshot, int limit) {
      Map<String, String> start = new HashMap<>();
      snapshot.domains().forEach(d -> start.put(d.name(), d.host()));
      List<Map<String, String>> level = List.of(start);
      Set<Map<String, String>> seen = new HashSet<>(level);
      for (int depth = 0; depth <= limit; depth++) {
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> state : level) {
          if (ConstraintOracle.brokenHardRules(snapshot, state).isEmpty()) {
            return depth;
          }
          for (ClusterSnapshot.Domain d : snapshot.domains()) {
            if (!state.get(d.name()).equals(d.host())) {
              continue; // each domain moves at most once
            }
            for (ClusterSnapshot.Host to : snapshot.hosts()) {
              if (allowed(snapshot, state, d, to)) {
                Map<String, String> moved = new HashMap<>(state);
                moved.put(d.name(), to.name());
                if (seen.add(moved)) {
                  next.add(moved);
                }
              }
            }
          }
        }
        level = next;
      }
      return -1;
    }

    private static boolean allowed(
        ClusterSnapshot snapshot,
        Map<String, String> state,
        ClusterSnapshot.Domain d,
        ClusterSnapshot.Host to) {
      if (to.state() != HostState.ACTIVE || to.name().equals(state.get(d.name()))) {
        return false;
      }
      for (HostRule rule : d.rules().hosts()) {
        if (rule.kind().strength() == Strength.HARD && !rule.met(to.labels())) {
          return false;
        }
      }
      for (GroupRule rule : d.rules().apart()) {
        if (rule.strength() == Strength.HARD && othersOn(snapshot, state, d, rule, to, true) > 0) {
          return false;
        }
      }
      for (GroupRule rule : d.rules().together()) {
        if (rule.strength() == Strength.HARD
            && othersOn(snapshot, state, d, rule, null, false) > 0
            && othersOn(snapshot, state, d, rule, to, false) == 0) {
          return false;
        }
      }
      return true;
    }

    /** Other running members of the hard group on the host, or anywhere when host is null. */
    private static int othersOn(
        ClusterSnapshot snapshot,
        Map<String, String> state,
        ClusterSnapshot.Domain d,
        GroupRule group,
        ClusterSnapshot.Host host,
        boolean apart) {
      int n = 0;
      for (ClusterSnapshot.Domain o : snapshot.domains()) {
        if (o != d
            && (host == null || state.get(o.name()).equals(host.name()))
            && (apart ? o.rules().apart() : o.rules().together()).contains(group)) {
          n++;
        }
      }
      return n;
    }
  }
}
