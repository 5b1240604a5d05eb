package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import xcm.coordinator.balancing.BalancerSettings;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.balancing.MigrationThreshold;
import xcm.coordinator.balancing.PowerSettings;
import xcm.coordinator.balancing.RoundDecision;
import xcm.coordinator.balancing.RoundResult;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.fence.PowerState;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.AutomationLevel;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

/** The continuous balancer acting through the operations, on a cluster in memory. */
class ContinuousBalancingTest {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  /** Continuous balancing at level off, for tests that schedule the other jobs. */
  static ContinuousBalancing off(OperationService service) {
    return balancing(service, BalancerSettings.defaults());
  }

  private static ContinuousBalancing balancing(OperationService service, BalancerSettings s) {
    return new ContinuousBalancing(
        service,
        Journal.inMemory(Clock.systemUTC()),
        new Planner(BalancePolicies.installed(ContinuousBalancingTest.class.getClassLoader())),
        s,
        PowerSettings.defaults(),
        Optional.empty(),
        Clock.systemUTC());
  }

  private static BalancerSettings at(AutomationLevel level) {
    return BalancerSettings.defaults().withLevel(level);
  }

  /** One host holding eight domains of 2 GiB, another empty. */
  private static FakeCluster skewed() {
    return new FakeCluster().host("a", 32, 2, 2, 2, 2, 2, 2, 2, 2).host("b", 32).join();
  }

  @Test
  void atFullASkewedClusterIsBalancedOnceAndThenLeftAlone() throws Exception {
    FakeCluster cluster = skewed();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing balancing = balancing(service, at(AutomationLevel.FULL));
      balancing.observe(cluster.inventory.snapshot());

      RoundDecision first = balancing.round();

      assertThat(first.result()).isEqualTo(RoundResult.MOVED);
      Operation balance = service.registry().all().iterator().next();
      assertThat(balance.kind()).isEqualTo(new OperationKind.Balance("continuous", false));
      await().atMost(10, TimeUnit.SECONDS).until(() -> balance.state() != OperationState.RUNNING);
      assertThat(balance.state()).isEqualTo(OperationState.SUCCEEDED);
      assertThat(cluster.names("b")).hasSize(first.moves().size());
      cluster.collect();
      balancing.observe(cluster.inventory.snapshot());

      RoundDecision second = balancing.round();

      assertThat(second.result()).isIn(RoundResult.BALANCED, RoundResult.NO_GAIN);
      assertThat(service.registry().all()).hasSize(1);
      assertThat(balancing.rounds(RoundResult.MOVED)).isEqualTo(1);
      assertThat(service.audit().entries().get(0).action())
          .isEqualTo("balance (continuous, threshold 3)");
      assertThat(service.audit().entries().get(0).result())
          .startsWith(second.result().label() + ": ");
    }
  }

  @Test
  void atManualTheRecommendationMovesNothingUntilApplied() throws Exception {
    FakeCluster cluster = skewed();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing balancing = balancing(service, at(AutomationLevel.MANUAL));
      balancing.observe(cluster.inventory.snapshot());

      RoundDecision round = balancing.round();

      assertThat(round.result()).isEqualTo(RoundResult.RECOMMENDED);
      assertThat(round.moves()).isNotEmpty();
      assertThat(service.registry().all()).isEmpty();
      assertThat(cluster.names("b")).isEmpty();
      assertThat(balancing.recommendation()).isPresent();

      String id = balancing.apply(OPERATOR);

      Operation applied = service.registry().get(id);
      await().atMost(10, TimeUnit.SECONDS).until(() -> applied.state() != OperationState.RUNNING);
      assertThat(cluster.names("b")).hasSize(round.moves().size());
      assertThat(balancing.recommendation()).isEmpty();
      assertThatThrownBy(() -> balancing.apply(OPERATOR))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("no recommendation to apply");
    }
  }

  @Test
  void aRoundBesideADrainIsBusyAndMovesNothing() throws Exception {
    FakeCluster cluster = skewed().host("c", 32).join();
    cluster.moveMillis = 300;
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing balancing = balancing(service, at(AutomationLevel.FULL));
      String drain = service.drain("a", false, OPERATOR);

      RoundDecision round = balancing.round();

      assertThat(round.result()).isEqualTo(RoundResult.BUSY);
      assertThat(round.reason()).startsWith("operation " + drain + " (drain a) is running");
      assertThat(service.registry().all())
          .extracting(o -> o.kind().type())
          .containsExactly(OperationType.DRAIN);
    }
  }

  /** A power hook that only records what it was asked. */
  private static final class RecordingHook implements Fencer {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public PowerState status(String host) {
      return PowerState.ON;
    }

    @Override
    public void off(String host) {
      calls.add("off " + host);
    }

    @Override
    public void on(String host) {
      calls.add("on " + host);
    }

    @Override
    public boolean canFence(String host) {
      return true;
    }
  }

  /** At level full with power saving on, keeping its settings in the cluster's journal. */
  private static ContinuousBalancing power(
      OperationService service, FakeCluster cluster, Optional<Fencer> hook) {
    return new ContinuousBalancing(
        service,
        cluster.journal,
        new Planner(BalancePolicies.installed(ContinuousBalancingTest.class.getClassLoader())),
        at(AutomationLevel.FULL),
        PowerSettings.defaults().withEnabled(true),
        hook,
        Clock.systemUTC());
  }

  @Test
  void powerSavingEmptiesALightHostIntoStandbySwitchesItOffAndWakesItWhenAsked() throws Exception {
    FakeCluster cluster =
        new FakeCluster()
            .host("a", 64, 2, 2)
            .host("b", 64, 2, 2)
            .host("c", 64, 2)
            .host("d", 64, 2, 2)
            .join();
    RecordingHook hook = new RecordingHook();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing balancing = power(service, cluster, Optional.of(hook));
      balancing.observe(cluster.inventory.snapshot());

      RoundDecision first = balancing.round();

      assertThat(first.result()).isEqualTo(RoundResult.STANDBY);
      assertThat(first.reason()).startsWith("empties c for STANDBY: ");
      assertThat(cluster.inventory.snapshot().host("c").state()).isEqualTo(HostState.STANDBY);
      Operation evacuation = service.registry().all().iterator().next();
      assertThat(evacuation.summary()).isEqualTo("balance power-saving c");
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> evacuation.state() != OperationState.RUNNING);
      assertThat(cluster.names("c")).isEmpty();
      assertThat(hook.calls).isEmpty();
      cluster.collect();
      balancing.observe(cluster.inventory.snapshot());

      balancing.round();

      assertThat(hook.calls).containsExactly("off c");
      assertThat(cluster.journal.hostModes()).containsEntry("c", HostState.STANDBY);

      balancing.wake("c", OPERATOR);
      assertThat(hook.calls).containsExactly("off c", "on c");
      assertThat(cluster.inventory.snapshot().host("c").state())
          .as("STANDBY until its agent answers")
          .isEqualTo(HostState.STANDBY);
      balancing.level(AutomationLevel.MANUAL, OPERATOR);
      cluster.collect();
      balancing.observe(cluster.inventory.snapshot());
      balancing.round();

      assertThat(cluster.inventory.snapshot().host("c").state()).isEqualTo(HostState.ACTIVE);
      assertThat(service.audit().entries())
          .extracting(AuditLog.Entry::action)
          .contains("power off c (power saving)", "power on c (power saving)", "activate c");
    }
  }

  @Test
  void settingsChangedAtRunTimeOutliveARestartThroughTheJournal() throws Exception {
    FakeCluster cluster = skewed();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing before = power(service, cluster, Optional.empty());
      before.level(AutomationLevel.MANUAL, OPERATOR);
      before.threshold(new MigrationThreshold(5), OPERATOR);
      before.powerSaving(false, OPERATOR);

      ContinuousBalancing after = power(service, cluster, Optional.empty());

      assertThat(after.settings().level()).isEqualTo(AutomationLevel.MANUAL);
      assertThat(after.settings().threshold().level()).isEqualTo(5);
      assertThat(after.powerSettings().enabled()).isFalse();
    }
  }

  @Test
  void offDecidesNothingAndAuditsNothing() throws Exception {
    FakeCluster cluster = skewed();
    try (MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
      OperationService service =
          cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
      ContinuousBalancing balancing = off(service);

      assertThat(balancing.round().result()).isEqualTo(RoundResult.OFF);
      assertThat(service.audit().entries()).isEmpty();
      assertThat(balancing.last()).isPresent();
    }
  }
}
