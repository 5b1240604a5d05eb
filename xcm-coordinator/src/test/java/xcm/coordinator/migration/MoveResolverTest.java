package xcm.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static xcm.coordinator.migration.FakeAgent.Plan.succeed;
import static xcm.mbeans.DomainState.PAUSED;
import static xcm.mbeans.DomainState.RUNNING;
import static xcm.mbeans.DomainState.SHUTOFF;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.migration.MoveResolver.Resolution;
import xcm.coordinator.migration.MoveResolver.Verdict;

/**
 * Each verdict of the resolver, from what two agents ({@link FakeAgent}, Jolokia over HTTP, read by
 * the real client) report: where the domain runs and in what state, which copy is removed or woken,
 * and that nothing is touched while the source's migration still runs or an agent does not answer.
 */
class MoveResolverTest {
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private ExecutorService http;
  private MoveResolver resolver;
  private FakeAgent dmz01;
  private FakeAgent dmz02;
  private MoveRequest move;

  @BeforeEach
  void start() {
    dmz01 = FakeAgent.start("dmz01", network);
    dmz02 = FakeAgent.start("dmz02", network);
    http = Executors.newFixedThreadPool(2);
    JolokiaClient client =
        Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(2), http);
    resolver = new MoveResolver(client, () -> 1L, Duration.ofMillis(300), Duration.ofMillis(10));
    move =
        new MoveRequest(
            "op1", 0, "web01", "uuid-web01", "dmz01", dmz01.url(), "dmz02", dmz02.url());
  }

  @AfterEach
  void stop() {
    dmz01.close();
    dmz02.close();
    http.shutdownNow();
  }

  private Resolution resolve(String agentMigration) throws InterruptedException {
    return resolver.resolve(move, agentMigration);
  }

  @Test
  void runningOnTheDestinationOnlyIsOnDestination() throws Exception {
    dmz02.domain("web01", RUNNING);

    assertThat(resolve(null))
        .isEqualTo(new Resolution(Verdict.ON_DESTINATION, "web01 runs on dmz02"));
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void runningOnTheSourceOnlyIsOnSource() throws Exception {
    dmz01.domain("web01", RUNNING);

    assertThat(resolve(null)).isEqualTo(new Resolution(Verdict.ON_SOURCE, "web01 runs on dmz01"));
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void runningOnTheSourceWithAPausedCopyComingInOnTheDestinationRemovesTheCopy() throws Exception {
    dmz01.domain("web01", RUNNING);
    dmz02.incoming("web01", PAUSED);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.ON_SOURCE, "web01 runs on dmz01; removed the unfinished copy on dmz02"));
    assertThat(dmz02.changes()).containsExactly("abortIncoming web01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
  }

  @Test
  void aShutOffCopyARestartedDestinationNoLongerKnowsIsUndefined() throws Exception {
    dmz01.domain("web01", RUNNING);
    dmz02.domain("web01", SHUTOFF);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.ON_SOURCE, "web01 runs on dmz01; removed the unfinished copy on dmz02"));
    assertThat(dmz02.changes()).containsExactly("abortIncoming web01", "undefineDomain web01");
    assertThat(dmz02.states()).isEmpty();
  }

  @Test
  void aSupersededCoordinatorRemovesNoCopyAndLeavesTheMoveUnresolved() throws Exception {
    dmz01.domain("web01", PAUSED).sawEpoch(2);
    dmz02.domain("web01", RUNNING);

    Resolution resolution = resolve(null);

    assertThat(resolution.verdict()).isEqualTo(Verdict.UNRESOLVED);
    assertThat(resolution.detail())
        .isEqualTo(
            "dmz01: cannot abort the incoming domain 'web01': the request carries coordinator"
                + " epoch 1, older"
                + " than epoch 2, the newest this agent has seen: it comes from a coordinator that"
                + " is no longer the active one; nothing was done");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", PAUSED));
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void runningOnTheDestinationWithAPausedCopyLeftOnTheSourceRemovesThatCopy() throws Exception {
    dmz01.domain("web01", PAUSED);
    dmz02.domain("web01", RUNNING);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.ON_DESTINATION,
                "web01 runs on dmz02; removed the PAUSED copy left on dmz01"));
    assertThat(dmz01.changes())
        .containsExactly("abortIncoming web01", "destroyDomain web01", "undefineDomain web01");
    assertThat(dmz01.states()).isEmpty();
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void pausedOnTheSourceAndRunningNowhereIsResumedThereAndTheDestinationsCopyRemoved()
      throws Exception {
    dmz01.domain("web01", PAUSED);
    dmz02.incoming("web01", PAUSED);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.ON_SOURCE, "web01 ran nowhere; runs again on dmz01 (rolled back)"));
    assertThat(dmz01.changes()).containsExactly("resumeDomain web01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
    assertThat(dmz02.states()).isEmpty();
  }

  @Test
  void shutOffOnTheSourceAndRunningNowhereIsStartedThere() throws Exception {
    dmz01.domain("web01", SHUTOFF);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.ON_SOURCE, "web01 ran nowhere; runs again on dmz01 (rolled back)"));
    assertThat(dmz01.changes()).containsExactly("startDomain web01");
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void goneFromTheSourceAndPausedComingInOnTheDestinationIsFinishedThere() throws Exception {
    dmz02.incoming("web01", PAUSED);

    assertThat(resolve(null))
        .isEqualTo(new Resolution(Verdict.ON_DESTINATION, "web01 ran nowhere; runs now on dmz02"));
    assertThat(dmz02.changes()).containsExactly("finishIncoming web01");
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void goneFromTheSourceAndPausedOnARestartedDestinationIsResumedThere() throws Exception {
    // The destination's agent restarted after FINISH, its libvirt one change behind (the copy
    // still paused): it refuses finishIncoming, as it no longer knows the copy came in.
    dmz02.domain("web01", PAUSED);

    assertThat(resolve(null))
        .isEqualTo(new Resolution(Verdict.ON_DESTINATION, "web01 ran nowhere; runs now on dmz02"));
    assertThat(dmz02.changes()).containsExactly("finishIncoming web01", "resumeDomain web01");
    assertThat(dmz02.states()).containsExactly(Map.entry("web01", RUNNING));
  }

  @Test
  void aMigrationTheSourceStillRunsIsUnresolvedAndNothingIsTouched() throws Exception {
    dmz01.domain("web01", RUNNING).plan(succeed().hanging());
    String id = dmz01.migrate("web01", dmz02.url(), "", 1);

    assertThat(resolve(id))
        .isEqualTo(
            new Resolution(
                Verdict.UNRESOLVED, "migration " + id + " of web01 still runs on dmz01"));
    assertThat(dmz01.changes()).containsExactly("migrate web01");
    assertThat(dmz02.changes()).isEmpty();

    dmz01.endMigrations();
    assertThat(resolve(id))
        .isEqualTo(new Resolution(Verdict.ON_DESTINATION, "web01 runs on dmz02"));
  }

  @Test
  void aRunningMigrationIsFoundOnTheSourceWhenNoIdWasJournaled() throws Exception {
    dmz01.domain("web01", RUNNING).plan(succeed().hanging());
    String id = dmz01.migrate("web01", dmz02.url(), "", 1);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.UNRESOLVED, "migration " + id + " of web01 still runs on dmz01"));
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void aMigrationARestartedSourceForgotIsSettledFromTheHosts() throws Exception {
    dmz02.domain("web01", RUNNING);

    assertThat(resolve("m-dmz01-9"))
        .isEqualTo(new Resolution(Verdict.ON_DESTINATION, "web01 runs on dmz02"));
  }

  @Test
  void anUnreachableSourceAgentIsUnresolved() throws Exception {
    dmz01.domain("web01", RUNNING);
    dmz01.stopServing();

    assertThat(resolve("m-dmz01-1"))
        .isEqualTo(
            new Resolution(
                Verdict.UNRESOLVED,
                "agent at " + dmz01.url() + " does not answer: connection refused"));
  }

  @Test
  void anUnreachableDestinationAgentIsUnresolvedAndTheSourceIsNotTouched() throws Exception {
    dmz01.domain("web01", PAUSED);
    dmz02.stopServing();

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.UNRESOLVED,
                "agent at " + dmz02.url() + " does not answer: connection refused"));
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz01.states()).containsExactly(Map.entry("web01", PAUSED));
  }

  @Test
  void runningOnBothHostsIsLeftForAnOperatorAndSaysSo() throws Exception {
    dmz01.domain("web01", RUNNING);
    dmz02.domain("web01", RUNNING);

    assertThat(resolve(null))
        .isEqualTo(
            new Resolution(
                Verdict.BROKEN,
                "web01 runs on both dmz01 and dmz02; left as it is for an operator"));
    assertThat(dmz01.changes()).isEmpty();
    assertThat(dmz02.changes()).isEmpty();
  }

  @Test
  void definedOnNeitherHostIsBroken() throws Exception {
    assertThat(resolve(null))
        .isEqualTo(new Resolution(Verdict.BROKEN, "web01 is defined on neither dmz01 nor dmz02"));
  }
}
