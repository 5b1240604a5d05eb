package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.FailoverTarget;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.coordinator.plan.SnapshotJson;
import xcm.mbeans.HostState;
import xcm.mbeans.MoveState;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationState;

class OperationServiceTest {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  private MBeanServer server;
  private FakeCluster cluster;
  private MigrationQueue queue;
  private OperationService service;

  private OperationService start(FakeCluster fake) {
    server = MBeanServerFactory.newMBeanServer();
    cluster = fake.join();
    queue = new MigrationQueue(cluster, 2, 8);
    service = cluster.operations(queue, server, Clock.systemUTC());
    return service;
  }

  @AfterEach
  void stop() {
    queue.close();
  }

  private Operation awaitEnd(String id) {
    Operation operation = service.registry().get(id);
    await().atMost(20, TimeUnit.SECONDS).until(() -> operation.state() != OperationState.RUNNING);
    return operation;
  }

  private HostState state(String host) {
    return cluster.inventory.snapshot().host(host).state();
  }

  @Test
  void aMigrationThatBreaksAHardRuleIsRefusedNamingItUnlessForcedAndThenAuditedAsForced() {
    start(
        new FakeCluster()
            .host("a", 32, 2)
            .host("b", 32, 2)
            .rules("a-vm0", "apart db")
            .rules("b-vm0", "apart db"));

    assertThatThrownBy(() -> service.migrate("a-vm0", "b", OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot migrate a-vm0 to b: host b already holds b-vm0 of its rule 'apart db' (an"
                + " operator who means it migrates with force: ./xcm migrate --force)");
    assertThat(cluster.names("b")).containsExactly("b-vm0");

    Operation forced = awaitEnd(service.migrate("a-vm0", "b", true, OPERATOR));

    assertThat(forced.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(cluster.names("b")).containsExactlyInAnyOrder("b-vm0", "a-vm0");
    assertThat(service.audit().entries())
        .extracting(AuditLog.Entry::action)
        .contains("migrate (forced) a-vm0 to b")
        .anyMatch(a -> a.endsWith("(migrate (forced) a-vm0 to b) ended"));
    assertThat(service.audit().entries())
        .filteredOn(e -> e.action().equals("migrate a-vm0 to b"))
        .extracting(AuditLog.Entry::result)
        .singleElement()
        .asString()
        .startsWith("refused: cannot migrate a-vm0 to b: host b already holds b-vm0");
  }

  @Test
  void theLiveSnapshotPlannedOfflineGivesTheLivePlan() {
    start(
        new FakeCluster()
            .host("a", 64, 8, 8, 4, 4, 2)
            .host("b", 64, 2)
            .host("c", 32)
            .rules("a-vm0", "apart db")
            .rules("a-vm1", "apart db")
            .rules("a-vm2", "pinned")
            .rules("a-vm3", "prefer ssd=true"));

    ClusterSnapshot offline = SnapshotJson.read(service.planningSnapshot());
    Plan plan =
        new Planner(BalancePolicies.installed(getClass().getClassLoader()))
            .balance(offline, "weighted", Map.of(), new PlanOptions(0));

    assertThat(offline.domains())
        .filteredOn(d -> d.name().equals("a-vm0"))
        .singleElement()
        .extracting(d -> d.rules().toString())
        .isEqualTo("apart db");
    assertThat(plan.moves())
        .extracting(m -> m.domain() + " " + m.from() + ">" + m.to() + " " + m.reason())
        .isEqualTo(
            service.planBalance("weighted").moves().stream()
                .map(m -> m.domain() + " " + m.from() + ">" + m.to() + " " + m.reason())
                .toList());
    assertThat(plan.moves().get(0).reason()).isEqualTo("mends rule 'apart db'");
  }

  @Test
  void aMigrationThatWouldLeaveABigVmNowhereToRestartIsRefusedUnlessForced() {
    FakeCluster fake = new FakeCluster().host("h1", 17, 10).host("h2", 17, 10, 4).host("h3", 17, 4);
    fake.failover = new FailoverTarget(1, 100);
    start(fake);

    // h3 is the one host with room for a 10 GiB VM if h1 or h2 failed; filling it takes that away.
    assertThatThrownBy(() -> service.migrate("h2-vm1", "h3", OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot migrate h2-vm1 to h3: afterwards the cluster would absorb 0 host failures with"
                + " every VM restarted, fewer than its failover level 1 (now 1); --force migrates"
                + " it anyway");
    assertThat(cluster.names("h2")).contains("h2-vm1");

    Operation forced = awaitEnd(service.migrate("h2-vm1", "h3", true, OPERATOR));
    assertThat(forced.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(cluster.names("h3")).contains("h2-vm1");
  }

  @Test
  void aDrainLeavesNoVmPinnedByItsRulesBehindUnlessForced() {
    start(new FakeCluster().host("a", 32, 2, 2).host("b", 32).rules("a-vm1", "pinned"));

    assertThatThrownBy(() -> service.drain("a", true, OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "a-vm1 (2048.0 MiB): its rules pin it (rule 'pinned'); an operator may drain it"
                + " anyway with force");

    Operation forced = awaitEnd(service.drain("a", false, true, OPERATOR));

    assertThat(forced.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(cluster.names("a")).isEmpty();
    assertThat(service.audit().entries())
        .extracting(AuditLog.Entry::action)
        .contains("drain (forced) a");
  }

  @Test
  void drainMovesEveryDomainAwayThenPutsTheHostInMaintenance() {
    start(new FakeCluster().host("a", 32, 4, 4, 2, 2, 1).host("b", 32, 2).host("c", 16));

    String id = service.drain("a", false, OPERATOR);

    assertThat(state("a")).isIn(HostState.DRAINING, HostState.MAINTENANCE);
    Operation drain = awaitEnd(id);
    assertThat(drain.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(drain.done()).isEqualTo(5);
    assertThat(drain.peakRunning()).as("all moves leave host a: per-host limit 2").isEqualTo(2);
    assertThat(cluster.names("a")).isEmpty();
    assertThat(cluster.names("b").size() + cluster.names("c").size()).isEqualTo(6);
    assertThat(state("a")).isEqualTo(HostState.MAINTENANCE);
    assertThat(cluster.overcommits).isEmpty();
    assertThat(server.isRegistered(ObjectNames.operation(id))).isTrue();
  }

  @Test
  void aDrainWhoseMaintenanceIsNotJournaledStaysRunningInTheJournalToBeSettledAgain()
      throws SQLException {
    // The journal refuses MAINTENANCE, as it refuses everything of a coordinator that lost the
    // lease or its database between the drain's last move and its end.
    String url = "jdbc:h2:mem:xcm-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Journal journal = Journal.open(url, "", "", Clock.systemUTC());
    try (Connection c = DriverManager.getConnection(url, "", "");
        Statement s = c.createStatement()) {
      s.execute(
          "ALTER TABLE xcm_host_mode ADD CONSTRAINT no_maintenance"
              + " CHECK (host_mode <> 'MAINTENANCE')");
    }
    server = MBeanServerFactory.newMBeanServer();
    cluster = new FakeCluster().host("a", 32, 2).host("b", 32).join();
    queue = new MigrationQueue(cluster, 2, 8);
    service = cluster.operations(queue, server, Clock.systemUTC(), journal);

    Operation drain = awaitEnd(service.drain("a", false, OPERATOR));

    assertThat(drain.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(state("a")).isEqualTo(HostState.DRAINING);
    assertThat(journal.hostModes()).containsEntry("a", HostState.DRAINING);
    assertThat(journal.unfinished())
        .as("not ended in the journal: a restart or a takeover settles it, MAINTENANCE included")
        .extracting(JournaledOperation::id)
        .containsExactly(drain.id());
    journal.close();
  }

  @Test
  void drainRefusesWhenRemainingHostsLackMemoryNamingTheDomainsAndMovesNothing() {
    start(new FakeCluster().host("a", 64, 20, 20, 1).host("b", 16, 8));

    assertThatThrownBy(() -> service.drain("a", false, OPERATOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot drain host \"a\": ")
        .hasMessageContaining("a-vm0")
        .hasMessageContaining("a-vm1");
    assertThat(state("a")).isEqualTo(HostState.ACTIVE);
    assertThat(cluster.names("a")).containsExactly("a-vm0", "a-vm1", "a-vm2");
    assertThat(service.audit().entries().get(0).result())
        .startsWith("refused: cannot drain host \"a\"");
  }

  @Test
  void drainOfTheLastActiveHostIsRefused() {
    start(new FakeCluster().host("a", 32, 2).host("b", 32));
    service.drain("b", false, OPERATOR);
    await().until(() -> state("b") == HostState.MAINTENANCE);

    assertThatThrownBy(() -> service.drain("a", false, OPERATOR))
        .hasMessage("host a is the last ACTIVE host: no other host could take its domains");
  }

  @Test
  void secondDrainOfAHostAndABalanceDuringADrainAreRefused() {
    FakeCluster fake = new FakeCluster().host("a", 32, 2, 2, 2, 2).host("b", 32).host("c", 32);
    fake.moveMillis = 300;
    start(fake);
    String id = service.drain("a", false, OPERATOR);

    assertThatThrownBy(() -> service.drain("a", false, OPERATOR))
        .hasMessage("host a is already DRAINING (operation " + id + ")");
    assertThatThrownBy(() -> service.balance("weighted", false, OPERATOR))
        .hasMessage("operation " + id + " (drain a) is running; wait for it to end or cancel it");
    assertThatThrownBy(() -> service.activate("a", OPERATOR))
        .hasMessage("host a is being drained by operation " + id + "; cancel it first");
    awaitEnd(id);
  }

  @Test
  void twoDrainsOfOneHostAtOnceStartOneDrainAndRefuseTheOther() throws Exception {
    FakeCluster fake = new FakeCluster().host("a", 32, 2, 2, 2).host("b", 32).host("c", 32);
    fake.moveMillis = 100;
    start(fake);
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<String>> results =
          callers.invokeAll(
              List.of(
                  () -> service.drain("a", false, OPERATOR),
                  () -> service.drain("a", false, OPERATOR)));
      int started = 0;
      int refused = 0;
      for (java.util.concurrent.Future<String> result : results) {
        try {
          awaitEnd(result.get());
          started++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).hasMessageStartingWith("host a is already DRAINING");
          refused++;
        }
      }
      assertThat(started).isEqualTo(1);
      assertThat(refused).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void migrateRefusesWhatCannotBeDoneNamingTheThingAndTheReason() {
    start(new FakeCluster().host("a", 32, 4, 2).host("b", 4, 1).host("c", 32));
    service.drain("c", false, OPERATOR);
    await().until(() -> state("c") == HostState.MAINTENANCE);

    assertThatThrownBy(() -> service.migrate("nope", "b", OPERATOR))
        .hasMessage("unknown domain 'nope': it is on no host of the cluster");
    assertThatThrownBy(() -> service.migrate("a-vm0", "zz", OPERATOR))
        .hasMessage("unknown host 'zz'; hosts are [a, b, c]");
    assertThatThrownBy(() -> service.migrate("a-vm0", "a", OPERATOR))
        .hasMessage("domain a-vm0 already runs on host a");
    assertThatThrownBy(() -> service.migrate("a-vm0", "c", OPERATOR))
        .hasMessage("host c is MAINTENANCE: domains are placed only on ACTIVE hosts");
    assertThatThrownBy(() -> service.migrate("a-vm0", "b", OPERATOR))
        .hasMessage("host b has 2.0 GiB free (after its reserve), a-vm0 needs 4.0 GiB");
  }

  @Test
  void migrateMovesOneDomainAndRefusesToMoveItTwiceAtOnce() {
    FakeCluster fake = new FakeCluster().host("a", 32, 2).host("b", 32);
    fake.moveMillis = 300;
    start(fake);

    String id = service.migrate("a-vm0", "b", OPERATOR);
    assertThatThrownBy(() -> service.migrate("a-vm0", "b", OPERATOR))
        .hasMessage("domain a-vm0 is being moved by operation " + id + " (migrate a-vm0 to b)");

    assertThat(awaitEnd(id).state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(cluster.names("b")).containsExactly("a-vm0");
  }

  @Test
  void cancelStopsQueuedMovesAndLetsRunningOnesFinish() {
    FakeCluster fake = new FakeCluster().host("a", 64, 1, 1, 1, 1, 1, 1, 1, 1).host("b", 64);
    fake.moveMillis = 200;
    start(fake);
    String id = service.drain("a", false, OPERATOR);

    service.cancel(id, OPERATOR);

    Operation drain = awaitEnd(id);
    assertThat(drain.state()).isEqualTo(OperationState.CANCELLED);
    assertThat(drain.done()).isEqualTo(2).isEqualTo(cluster.names("b").size());
    assertThat(drain.moves()).filteredOn(m -> m.state() == MoveState.CANCELLED).hasSize(6);
    assertThat(state("a"))
        .as("a drain that did not end stays DRAINING")
        .isEqualTo(HostState.DRAINING);
    assertThatThrownBy(() -> service.cancel(id, OPERATOR))
        .hasMessage("operation " + id + " already ended (CANCELLED)");
    assertThatThrownBy(() -> service.cancel("nope", OPERATOR))
        .hasMessage("unknown operation 'nope'; running: []");
  }

  @Test
  void failedMoveFailsTheDrainAndTheHostStaysDraining() {
    FakeCluster fake = new FakeCluster().host("a", 32, 2, 2).host("b", 32);
    fake.failing.add("a-vm1");
    start(fake);

    Operation drain = awaitEnd(service.drain("a", false, OPERATOR));

    assertThat(drain.state()).isEqualTo(OperationState.FAILED);
    assertThat(drain.errors()).containsExactly("a-vm1 a -> b: injected failure");
    assertThat(cluster.names("a")).containsExactly("a-vm1");
    assertThat(state("a")).isEqualTo(HostState.DRAINING);

    service.activate("a", OPERATOR);
    assertThat(state("a")).isEqualTo(HostState.ACTIVE);
  }

  @Test
  void dryRunPlansButMovesNothingAndChangesNoHost() {
    start(new FakeCluster().host("a", 32, 2, 2, 2, 2).host("b", 32));

    Operation drain = awaitEnd(service.drain("a", true, OPERATOR));
    Operation balance = awaitEnd(service.balance("domain-count,target=strict", true, OPERATOR));

    assertThat(drain.plan().moves()).hasSize(4);
    assertThat(balance.plan().moves()).hasSize(2);
    assertThat(drain.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(cluster.names("a")).hasSize(4);
    assertThat(state("a")).isEqualTo(HostState.ACTIVE);
  }

  @Test
  void balancePlansRunWithoutEverOvercommittingADestination() {
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      FakeCluster fake = new FakeCluster();
      int hosts = 3 + random.nextInt(5);
      for (int h = 0; h < hosts; h++) {
        int[] sizes = new int[h == 0 ? 10 + random.nextInt(10) : random.nextInt(4)];
        for (int d = 0; d < sizes.length; d++) {
          sizes[d] = 1 + random.nextInt(4);
        }
        fake.host("h" + h, 48 + random.nextInt(3) * 16L, sizes);
      }
      fake.moveMillis = 1;
      if (queue != null) {
        queue.close();
      }
      start(fake);
      int before = List.of(fake.inventory.snapshot().domainCount()).get(0);

      Operation balance = awaitEnd(service.balance("weighted", false, OPERATOR));

      assertThat(balance.state()).isEqualTo(OperationState.SUCCEEDED);
      assertThat(fake.overcommits).isEmpty();
      fake.collect();
      assertThat(fake.inventory.snapshot().domainCount()).isEqualTo(before);
    }
  }

  @Test
  void recoveryLeavesAloneTheOperationsThisCoordinatorStartedItselfAndSettlesAFormerActives()
      throws Exception {
    // Nothing was running at the takeover, so requests were admitted at once: by the time the
    // takeover's recovery reads the journal (after a collection round), it may hold this run's own
    // operation, live. A CI run once saw it cancelled under its requester. A former active that
    // has not yet noticed it lost the lease may journal an operation after the takeover too: that
    // one is left over, and recovery settles it (FaultInjectionIT left a drain running otherwise).
    Journal journal = Journal.inMemory(Clock.systemUTC());
    server = MBeanServerFactory.newMBeanServer();
    cluster = new FakeCluster().host("a", 32, 2).host("b", 32).join();
    cluster.moveMillis = 1500;
    queue = new MigrationQueue(cluster, 2, 8);
    service = cluster.operations(queue, server, Clock.systemUTC(), journal);
    service.takingOver(2);
    assertThat(service.recovering()).isFalse();
    String id = service.migrate("a-vm0", "b", OPERATOR);
    journal.operationStarted(
        "e1-7",
        new OperationKind.Drain("a", false, false).journaled(),
        "drain a",
        "jmx:ops",
        List.of());
    assertThat(journal.unfinished())
        .extracting(JournaledOperation::id)
        .containsExactlyInAnyOrder(id, "e1-7");
    OperationRecovery recovery =
        new OperationRecovery(
            journal,
            new MoveResolver(
                JolokiaClient.builder()
                    .credentials(Credentials.basic("xcm", "pw", "the agents' credentials"))
                    .callee("agent")
                    .build(),
                () -> 1L,
                Duration.ZERO,
                Duration.ofMillis(10)),
            service,
            Duration.ofSeconds(1));

    assertThat(recovery.recover()).as("operations left over").isEqualTo(1);
    assertThat(awaitEnd(id).state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(journal.unfinished()).isEmpty();
  }

  @Test
  void onAJournalWithRunningOperationsNothingActsUntilRecoveryHasSettledThem() {
    Journal journal = Journal.inMemory(Clock.systemUTC());
    journal.operationStarted(
        "old-1",
        new OperationKind.Drain("a", false, false).journaled(),
        "drain a",
        "jmx:ops",
        List.of());
    server = MBeanServerFactory.newMBeanServer();
    cluster = new FakeCluster().host("a", 32, 2).host("b", 32).join();
    queue = new MigrationQueue(cluster, 2, 8);
    service = cluster.operations(queue, server, Clock.systemUTC(), journal);

    assertThat(service.recovering()).isTrue();
    assertThatThrownBy(() -> service.migrate("a-vm0", "b", OPERATOR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the coordinator is settling the operations left running when it started or took"
                + " over; ask again in a moment");
    assertThat(awaitEnd(service.drain("a", true, OPERATOR)).dryRun()).isTrue();

    service.recovered();
    assertThat(awaitEnd(service.migrate("a-vm0", "b", OPERATOR)).state())
        .isEqualTo(OperationState.SUCCEEDED);
  }

  @Test
  void everyRequestIsAuditedWithWhoAndThroughWhichDoor() {
    start(new FakeCluster().host("a", 32, 2).host("b", 32));

    awaitEnd(service.migrate("a-vm0", "b", Requester.schedule("test")));
    assertThatThrownBy(() -> service.migrate("a-vm0", "a-vm0", OPERATOR));

    assertThat(service.audit().entries())
        .extracting(e -> e.requester() + " " + e.action())
        .contains("schedule:test migrate a-vm0 to b", "jmx:ops migrate a-vm0 to a-vm0");
  }
}
