package xcm.coordinator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.TestClock;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.operation.FakeCluster;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.webhook.AlertActions.Outcome;
import xcm.coordinator.webhook.AlertmanagerPayload.Alert;
import xcm.mbeans.OperationState;

/** How long and how many started actions the webhook remembers. */
class AlertActionsTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T10:00:00Z"));
  private FakeCluster cluster;
  private MigrationQueue queue;
  private OperationService operations;
  private final Journal journal = Journal.inMemory(clock);

  @BeforeEach
  void start() {
    cluster = new FakeCluster().host("a", 32, 2, 1).host("b", 32).host("c", 32).join();
    queue = new MigrationQueue(cluster, 2, 8);
    operations = cluster.operations(queue, MBeanServerFactory.newMBeanServer(), clock);
  }

  @AfterEach
  void stop() {
    queue.close();
    journal.close();
  }

  @Test
  void aRestartedCoordinatorKnowsTheAlertsWhoseActionItStartedUntilTheyAreOld() throws Exception {
    AlertActions before =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);
    assertThat(outcome(before, "fp1")).isEqualTo(Outcome.STARTED);
    awaitNoneRunning();
    clock.advance(Duration.ofMinutes(30));

    AlertActions after =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);

    assertThat(outcome(after, "fp1")).isEqualTo(Outcome.ALREADY_STARTED);
    assertThat(operations.registry().all()).hasSize(1);
    clock.advance(Duration.ofMinutes(31));
    AlertActions later =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);
    assertThat(outcome(later, "fp1")).isEqualTo(Outcome.STARTED);
  }

  @Test
  void startedActionIsRememberedForTheConfiguredTimeThenActsAgain() throws Exception {
    AlertActions actions =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);

    assertThat(outcome(actions, "fp1")).isEqualTo(Outcome.STARTED);
    awaitNoneRunning();
    clock.advance(Duration.ofMinutes(59));
    assertThat(outcome(actions, "fp1")).isEqualTo(Outcome.ALREADY_STARTED);
    clock.advance(Duration.ofMinutes(2));
    assertThat(outcome(actions, "fp1")).isEqualTo(Outcome.STARTED);
    assertThat(operations.registry().all()).hasSize(2);
  }

  @Test
  void rememberedActionsAreBoundedOldestForgottenFirst() throws Exception {
    AlertActions actions =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            2,
            () -> true,
            "c1",
            Runnable::run);

    for (String fingerprint : List.of("fp1", "fp2", "fp3")) {
      assertThat(outcome(actions, fingerprint)).isEqualTo(Outcome.STARTED);
      awaitNoneRunning();
    }

    assertThat(outcome(actions, "fp3")).isEqualTo(Outcome.ALREADY_STARTED);
    assertThat(outcome(actions, "fp1")).isEqualTo(Outcome.STARTED);
  }

  @Test
  void theSameStartTimeSpelledAnotherWayIsTheSameAlert() throws Exception {
    // Alertmanager's notifications write 26.53Z where its API writes 26.530Z.
    AlertActions actions =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);

    assertThat(outcome(actions, "fp1", "2025-01-01T10:00:26.53Z")).isEqualTo(Outcome.STARTED);
    awaitNoneRunning();
    assertThat(outcome(actions, "fp1", "2025-01-01T10:00:26.530Z"))
        .isEqualTo(Outcome.ALREADY_STARTED);
    assertThat(outcome(actions, "fp1", "2025-01-01T11:00:26.530+01:00"))
        .isEqualTo(Outcome.ALREADY_STARTED);
    assertThat(outcome(actions, "fp1", "2025-01-01T10:00:27Z")).isEqualTo(Outcome.STARTED);
  }

  @Test
  void aStandbyKeepsAlertsAndTheActiveActsOnEachOnce() throws Exception {
    AlertActions standby =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> false,
            "c2",
            Runnable::run);
    AlertActions active =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);

    assertThat(outcome(standby, "fp1")).isEqualTo(Outcome.KEPT);
    assertThat(outcome(standby, "fp1")).as("delivered again").isEqualTo(Outcome.KEPT);
    assertThat(operations.registry().all()).as("a standby acts on nothing").isEmpty();
    assertThat(journal.alertsReceived(10))
        .singleElement()
        .satisfies(
            kept -> {
              assertThat(kept.receivedBy()).isEqualTo("c2");
              assertThat(kept.fingerprint()).isEqualTo("fp1");
            });

    active.actOnKept();
    awaitNoneRunning();
    assertThat(operations.registry().all()).hasSize(1);
    assertThat(journal.alertsReceived(10)).isEmpty();
    assertThat(outcome(active, "fp1"))
        .as("the same alert, delivered to the active too")
        .isEqualTo(Outcome.ALREADY_STARTED);
    active.actOnKept();
    assertThat(operations.registry().all()).hasSize(1);
  }

  @Test
  void aResolvedAlertTakesItsKeptFiringsOutAndTheActiveActsOnNothingOfIt() throws Exception {
    AlertActions standby =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> false,
            "c2",
            Runnable::run);
    AlertActions active =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);
    assertThat(outcome(standby, "fp1")).isEqualTo(Outcome.KEPT);

    Alert resolved =
        new Alert(
            false,
            Map.of("alertname", "XcmHostCpuSaturated", "xcm_action", "balance", "host", "a"),
            "2025-01-01T10:00:00Z",
            "fp1");
    standby.handle(new AlertmanagerPayload("xcm", List.of(resolved)));
    active.actOnKept();

    assertThat(journal.alertsReceived(10)).isEmpty();
    assertThat(operations.registry().all()).isEmpty();
  }

  @Test
  void aStandbyTakingOverKnowsWhatTheFormerActiveStarted() throws Exception {
    boolean[] acting = {false};
    AlertActions former =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> true,
            "c1",
            Runnable::run);
    AlertActions standby =
        new AlertActions(
            operations,
            journal,
            clock,
            Duration.ofHours(1),
            "weighted",
            () -> acting[0],
            "c2",
            Runnable::run);
    assertThat(outcome(former, "fp1")).isEqualTo(Outcome.STARTED);
    awaitNoneRunning();

    acting[0] = true;
    standby.reload();

    assertThat(outcome(standby, "fp1")).isEqualTo(Outcome.ALREADY_STARTED);
    assertThat(operations.registry().all()).hasSize(1);
  }

  private Outcome outcome(AlertActions actions, String fingerprint) throws Exception {
    return outcome(actions, fingerprint, "2025-01-01T10:00:00Z");
  }

  private Outcome outcome(AlertActions actions, String fingerprint, String startsAt)
      throws Exception {
    Alert alert =
        new Alert(
            true,
            Map.of("alertname", "XcmHostCpuSaturated", "xcm_action", "balance", "host", "a"),
            startsAt,
            fingerprint);
    List<AlertActions.Result> results =
        actions.handle(new AlertmanagerPayload("xcm", List.of(alert)));
    assertThat(results).hasSize(1);
    return results.get(0).outcome();
  }

  private void awaitNoneRunning() {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                operations.registry().all().stream()
                    .allMatch(o -> o.state() != OperationState.RUNNING));
  }
}
