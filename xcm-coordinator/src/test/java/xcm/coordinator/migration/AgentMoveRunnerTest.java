package xcm.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static xcm.coordinator.migration.FakeAgent.Plan.fail;
import static xcm.coordinator.migration.FakeAgent.Plan.failLeaving;
import static xcm.coordinator.migration.FakeAgent.Plan.incomplete;
import static xcm.coordinator.migration.FakeAgent.Plan.lost;
import static xcm.coordinator.migration.FakeAgent.Plan.refuse;
import static xcm.coordinator.migration.FakeAgent.Plan.refuseForNow;
import static xcm.coordinator.migration.FakeAgent.Plan.succeed;
import static xcm.mbeans.DomainState.PAUSED;
import static xcm.mbeans.DomainState.RUNNING;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.leader.Mandate;
import xcm.mbeans.OperationType;
import xcm.mbeans.StandbyException;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ticket.Handover;
import xcm.trust.ticket.HandoverTicket;
import xcm.trust.ticket.TicketVerifier;

/**
 * Every way a move can end, run by the real runner, resolver, agent client and journal (H2) against
 * two agents that answer Jolokia over HTTP ({@link FakeAgent}), each scripted to make one branch
 * happen: a migration that fails (retried, then reported with the agent's reason), one the agent
 * refuses (not retried), an answer that is lost (the move settled from the hosts), an agent that
 * restarts mid-move, a destination that stops answering before the move is verified.
 */
class AgentMoveRunnerTest {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Mandate ACTIVE = () -> 1L;
  private static final String REASON =
      "PREPARE: dmz02: cannot take in domain 'web01': not enough memory; rolled back, it runs on"
          + " dmz01 again";

  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private ExecutorService http;
  private JolokiaClient client;
  private Journal journal;
  private FakeAgent dmz01;
  private FakeAgent dmz02;
  private MoveRequest move;

  @BeforeEach
  void start() {
    dmz01 = FakeAgent.start("dmz01", network).domain("web01", RUNNING);
    dmz02 = FakeAgent.start("dmz02", network);
    http = Executors.newFixedThreadPool(2);
    client = Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(2), http);
    journal = Journal.inMemory(Clock.systemUTC());
    move =
        new MoveRequest(
            "op1", 0, "web01", "uuid-web01", "dmz01", dmz01.url(), "dmz02", dmz02.url());
    journal.operationStarted(
        "op1",
        new JournaledOperation.Kind(OperationType.MIGRATE, "web01", "dmz02", null, false),
        "migrate web01 to dmz02",
        "jmx:ops",
        List.of(move));
  }

  @AfterEach
  void stop() {
    dmz01.close();
    dmz02.close();
    http.shutdownNow();
    journal.close();
  }

  private AgentMoveRunner runner(int retries) {
    return runner(retries, Duration.ofSeconds(10));
  }

  private AgentMoveRunner runner(int retries, Duration moveTimeout) {
    return new AgentMoveRunner(
        client,
        ACTIVE,
        new MoveResolver(client, ACTIVE, Duration.ofMillis(300), POLL),
        journal,
        moveTimeout,
        retries,
        POLL,
        AgentMoveRunner.NO_TICKETS);
  }

  @Test
  void eachAttemptSendsANewTicketForTheMovesDomainSourceAndDestination(@TempDir Path dir)
      throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    UUID uuid = UUID.fromString("9c1e2f3a-0b4d-4e5f-8a6b-7c8d9e0f1a2b");
    dmz01.domain("web01", uuid.toString(), RUNNING);
    MoveRequest known =
        new MoveRequest(
            "op1", 0, "web01", uuid.toString(), "dmz01", dmz01.url(), "dmz02", dmz02.url());
    dmz01.plan(fail(REASON), succeed());
    AgentMoveRunner runner =
        new AgentMoveRunner(
            client,
            ACTIVE,
            new MoveResolver(client, ACTIVE, Duration.ofMillis(300), POLL),
            journal,
            Duration.ofMinutes(10),
            1,
            POLL,
            AgentMoveRunner.tickets(authority.ticketIssuer(), Duration.ofMinutes(10)));

    MoveResult result = runner.run(known);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(dmz01.tickets()).hasSize(2);
    // What dmz02 checks, with nothing but the authority's certificate.
    TicketVerifier verifier = TicketVerifier.builder().authority(authority.certificate()).build();
    Handover expected = new Handover(uuid, "web01", "dmz01", "dmz02");
    HandoverTicket first = verifier.verify(dmz01.tickets().get(0), expected);
    HandoverTicket second = verifier.verify(dmz01.tickets().get(1), expected);
    assertThat(second.nonce()).isNotEqualTo(first.nonce());
    assertThat(Duration.between(second.issuedAt(), second.expiresAt()))
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aTicketIsValidForTheMoveTimeoutAndAMarginButNeverMoreThanADay(@TempDir Path dir)
      throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    TicketVerifier verifier = TicketVerifier.builder().authority(authority.certificate()).build();
    Handover handover = new Handover(UUID.randomUUID(), "web01", "dmz01", "dmz02");

    HandoverTicket capped =
        verifier.verify(
            AgentMoveRunner.tickets(authority.ticketIssuer(), Duration.ofHours(30)).apply(handover),
            handover);

    assertThat(Duration.between(capped.issuedAt(), capped.expiresAt()))
        .isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aMoveWhoseDomainHasNoUuidGoesWithAnEmptyTicket(@TempDir Path dir) throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    AgentMoveRunner runner =
        new AgentMoveRunner(
            client,
            ACTIVE,
            new MoveResolver(client, ACTIVE, Duration.ofMillis(300), POLL),
            journal,
            Duration.ofSeconds(10),
            0,
            POLL,
            AgentMoveRunner.tickets(authority.ticketIssuer(), Duration.ofSeconds(10)));

    runner.run(move);

    assertThat(move.uuid()).isEqualTo("uuid-web01");
    assertThat(dmz01.tickets()).containsExactly("");
  }

  private JournaledMove journaled() {
    return journal.moves("op1").get(0);
  }

  @ParameterizedTest(name = "retries={0}")
  @ValueSource(ints = {0, 1, 2})
  void aFailingMigrationIsTriedRetriesPlusOneTimesThenReportedWithTheAgentsReason(int retries) {
    for (int i = 0; i <= retries; i++) {
      dmz01.plan(fail(REASON));
    }
    // One more attempt would succeed: the runner must not make it.
    dmz01.plan(succeed());

    MoveResult result = runner(retries).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.attempts()).isEqualTo(retries + 1);
    assertThat(result.error()).isEqualTo(REASON + "; web01 runs on dmz01");
    assertThat(dmz01.migrateCalls()).isEqualTo(retries + 1);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
    assertThat(journaled().phase()).isEqualTo(MovePhase.DISPATCHED);
    assertThat(journaled().agentMigration()).isEqualTo("m-dmz01-" + (retries + 1));
  }

  @Test
  void aMigrationThatFailsOnceSucceedsOnTheNextAttempt() {
    dmz01.plan(fail(REASON), succeed());

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.error()).isEmpty();
    assertThat(result.downtimeMillis()).isEqualTo(7);
    assertThat(dmz01.states()).isEmpty();
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aCopyAFailedMigrationLeftOnTheDestinationIsRemovedBeforeTheMoveIsReported() {
    dmz01.plan(failLeaving(REASON, PAUSED));

    MoveResult result = runner(0).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.error())
        .isEqualTo(REASON + "; web01 runs on dmz01; removed the unfinished copy on dmz02");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
    assertThat(dmz02.changes()).containsExactly("abortIncoming web01");
  }

  @Test
  void aFailedMigrationThatLeftTheDomainRunningOnBothHostsIsLeftForAnOperatorNotRetried() {
    dmz01.plan(failLeaving(REASON, RUNNING));

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error())
        .isEqualTo(
            REASON
                + "; could not settle it: web01 runs on both dmz01 and dmz02; left as it is for an"
                + " operator");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aRefusedFirstAttemptIsNotRetried() {
    String refusal = "dmz01: cannot migrate domain 'web01': it is being migrated";
    dmz01.plan(refuse(refusal));

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error()).isEqualTo(refusal);
    assertThat(dmz01.migrateCalls()).isEqualTo(1);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.changes()).isEmpty();
    assertThat(journaled().phase()).isEqualTo(MovePhase.DISPATCHING);
    assertThat(journaled().agentMigration()).isNull();
  }

  @Test
  void aSupersededCoordinatorsMoveIsRefusedByTheSourceMovesNothingAndIsNotRetried() {
    dmz01.sawEpoch(2);

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error())
        .isEqualTo(
            "dmz01: cannot migrate domain 'web01': the request carries coordinator epoch 1, older"
                + " than epoch 2, the newest this agent has seen: it comes from a coordinator that"
                + " is no longer the active one; nothing was done");
    assertThat(dmz01.migrateCalls()).isEqualTo(1);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void theMigrateCarriesTheMandatesEpoch() {
    Mandate seventh = () -> 7L;
    AgentMoveRunner runner =
        new AgentMoveRunner(
            client,
            seventh,
            new MoveResolver(client, seventh, Duration.ofMillis(300), POLL),
            journal,
            Duration.ofSeconds(10),
            0,
            POLL,
            AgentMoveRunner.NO_TICKETS);

    assertThat(runner.run(move).outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(dmz01.getEpoch()).isEqualTo(7);
  }

  @Test
  void aStandbyJournalsNoDispatchAndAsksNoAgent() {
    AgentMoveRunner runner =
        new AgentMoveRunner(
            client,
            () -> {
              throw new StandbyException("coord-b is a standby: coord-a is the active coordinator");
            },
            new MoveResolver(client, ACTIVE, Duration.ofMillis(300), POLL),
            journal,
            Duration.ofSeconds(10),
            1,
            POLL,
            AgentMoveRunner.NO_TICKETS);

    assertThatThrownBy(() -> runner.run(move))
        .isInstanceOf(StandbyException.class)
        .hasMessage("coord-b is a standby: coord-a is the active coordinator");
    assertThat(journaled().phase()).isEqualTo(MovePhase.PENDING);
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void aFirstAttemptRefusedForTheAgentsStateIsSettledFromTheHostsAndTriedAgain() {
    // IllegalStateException: the agent changed nothing, but may take the same request later.
    String refusal = "dmz01: cannot migrate domain 'web01': libvirt is not reachable";
    dmz01.plan(refuseForNow(refusal), succeed());

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(dmz01.migrateCalls()).isEqualTo(2);
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aFirstAttemptRefusedForTheAgentsStateWithoutRetriesLeftFailsWithTheRefusal() {
    String refusal = "dmz01: cannot migrate domain 'web01': the agent is stopping";
    dmz01.plan(refuseForNow(refusal));

    MoveResult result = runner(0).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.error()).isEqualTo(refusal + "; web01 runs on dmz01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void aRefusalAfterAFailedAttemptIsSettledFromTheHostsAndTriedAgain() {
    // A refusal of a later attempt may mean the earlier one moved the domain after all: the
    // runner looks before it gives up.
    dmz01.plan(fail(REASON), refuse("dmz01: cannot migrate domain 'web01': it is busy"), succeed());

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aLostAnswerToAMigrationThatHappenedEndsSucceeded() {
    dmz01.plan(succeed().answerLost());

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(dmz01.migrateCalls()).isEqualTo(1);
    assertThat(dmz01.states()).isEmpty();
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(journaled().phase())
        .as("the id never reached the coordinator")
        .isEqualTo(MovePhase.DISPATCHING);
  }

  @Test
  void aLostAnswerToAMigrationStillRunningIsFollowedToItsEnd() {
    dmz01.plan(succeed().running(3).answerLost());

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(dmz01.migrateCalls()).isEqualTo(1);
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aLostRequestIsTriedAgainOnceTheDomainIsFoundOnItsSource() {
    dmz01.plan(lost(), succeed());

    MoveResult result = runner(1).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(dmz01.migrateCalls()).isEqualTo(2);
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aLostRequestWithoutRetriesLeftIsReportedFailedOnItsSource() {
    dmz01.plan(lost());

    MoveResult result = runner(0).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.error())
        .startsWith("agent at " + dmz01.url() + " does not answer")
        .endsWith("; web01 runs on dmz01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aSourceAgentRestartedMidMigrationIsSettledFromTheHostsThenTriedAgain() {
    dmz01.plan(succeed().hanging());

    CompletableFuture<MoveResult> running =
        CompletableFuture.supplyAsync(() -> runner(1).run(move));
    await().atMost(10, TimeUnit.SECONDS).until(() -> dmz01.migrateCalls() == 1);
    // Killed in PERFORM: paused here, a paused copy taken in on dmz02.
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", PAUSED));
    dmz01.restart();
    MoveResult result = running.join();

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(dmz02.changes()).containsExactly("abortIncoming web01");
    assertThat(dmz01.changes())
        .containsExactly("migrate web01", "resumeDomain web01", "migrate web01");
    assertThat(dmz01.states()).isEmpty();
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aSourceAgentRestartedMidMigrationWithoutRetriesLeftReportsTheDomainRolledBack() {
    dmz01.plan(succeed().hanging());

    CompletableFuture<MoveResult> running =
        CompletableFuture.supplyAsync(() -> runner(0).run(move));
    await().atMost(10, TimeUnit.SECONDS).until(() -> dmz01.migrateCalls() == 1);
    dmz01.restart();
    MoveResult result = running.join();

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.error())
        .isEqualTo(
            "dmz01: no migration with id 'm-dmz01-1' (unknown, or ended more than an hour ago);"
                + " web01 ran nowhere; runs again on dmz01 (rolled back)");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
  }

  @Test
  void aDestinationAgentRestartedMidMigrationLeavesACopyTheRunnerRemoves() {
    dmz01.plan(succeed().hanging());

    CompletableFuture<MoveResult> running =
        CompletableFuture.supplyAsync(() -> runner(0).run(move));
    await().atMost(10, TimeUnit.SECONDS).until(() -> dmz01.migrateCalls() == 1);
    // dmz02 forgets it took web01 in: FINISH is refused, the source rolls back, and the paused
    // copy stays on dmz02, where only destroy and undefine remove it.
    dmz02.restart();
    dmz01.endMigrations();
    MoveResult result = running.join();

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.FAILED);
    assertThat(result.error())
        .startsWith("FINISH: dmz02: cannot finish domain 'web01': no migration of it is coming in")
        .endsWith("; web01 runs on dmz01; removed the unfinished copy on dmz02");
    assertThat(dmz02.changes())
        .containsExactly("abortIncoming web01", "destroyDomain web01", "undefineDomain web01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
  }

  @Test
  void anIncompleteMigrationIsReportedWithTheAgentsReason() {
    String reason =
        "CONFIRM: the domain runs on dmz02 but its paused copy stays on dmz01: libvirt error";
    dmz01.plan(incomplete(reason));

    MoveResult result = runner(2).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.INCOMPLETE);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error()).isEqualTo(reason);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", PAUSED));
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aDestinationThatStopsAnsweringBeforeVerificationIsAskedAgainUntilItAnswers() {
    dmz01.beforeMigrate(dmz02::stopServing);

    CompletableFuture<MoveResult> running =
        CompletableFuture.supplyAsync(() -> runner(0).run(move));
    // The runner's status read, then the resolver's after the verification failed.
    await().atMost(10, TimeUnit.SECONDS).until(() -> dmz01.statusReads() >= 2);
    dmz02.serveAgain();
    MoveResult result = running.join();

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aDestinationThatDoesNotAnswerWithinTheMoveTimeoutLeavesTheMoveUnsettled() {
    dmz01.beforeMigrate(dmz02::stopServing);

    MoveResult result = runner(2, Duration.ofSeconds(1)).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.UNSETTLED);
    assertThat(result.attempts()).as("nothing to retry while unsettled").isEqualTo(1);
    assertThat(result.error())
        .isEqualTo(
            "cannot verify the move: agent at "
                + dmz02.url()
                + " does not answer: connection refused; unsettled, asked again until its agents"
                + " tell: agent at "
                + dmz02.url()
                + " does not answer: connection refused");
    assertThat(dmz02.states())
        .as("the domain did reach the destination: reporting FAILED would have been wrong")
        .containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aDestinationUnreachablePastTheTimeoutAfterAFailedMigrationLeavesTheMoveUnsettled() {
    dmz01.beforeMigrate(dmz02::stopServing);
    dmz01.plan(fail(REASON), succeed());

    MoveResult result = runner(2, Duration.ofSeconds(1)).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.UNSETTLED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error())
        .isEqualTo(
            REASON
                + "; unsettled, asked again until its agents tell: agent at "
                + dmz02.url()
                + " does not answer: connection refused");
    assertThat(dmz01.migrateCalls()).as("not retried while unsettled").isEqualTo(1);
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aMigrationThatOutlastsTheMoveTimeoutIsReportedUnsettledNotRetried() {
    dmz01.plan(succeed().hanging());

    MoveResult result = runner(2, Duration.ofSeconds(1)).run(move);

    assertThat(result.outcome()).isEqualTo(MoveResult.Outcome.UNSETTLED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.error())
        .isEqualTo(
            "migration m-dmz01-1 of web01 did not end within 1 s (last phase FINISH); unsettled,"
                + " asked again until its agents tell: migration m-dmz01-1 of web01 still runs on"
                + " dmz01");
    assertThat(dmz01.changes())
        .as("nothing touched while it runs")
        .containsExactly("migrate web01");
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void theJournalSaysDispatchingBeforeEachAttemptAndDispatchedWithTheAgentsIdAfter() {
    List<String> seenByTheAgent = new CopyOnWriteArrayList<>();
    dmz01.beforeMigrate(
        () -> seenByTheAgent.add(journaled().phase() + " " + journaled().agentMigration()));
    dmz01.plan(fail(REASON), succeed());

    runner(1).run(move);

    assertThat(seenByTheAgent)
        .as("each attempt is journaled before its request, without an earlier attempt's id")
        .containsExactly("DISPATCHING null", "DISPATCHING null");
    assertThat(journaled().phase()).isEqualTo(MovePhase.DISPATCHED);
    assertThat(journaled().agentMigration()).isEqualTo("m-dmz01-2");
  }
}
