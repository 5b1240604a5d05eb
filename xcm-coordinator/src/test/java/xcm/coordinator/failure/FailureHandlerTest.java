package xcm.coordinator.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xcm.coordinator.TestClock;
import xcm.coordinator.fence.FenceAction;
import xcm.coordinator.fence.FenceException;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.fence.PowerState;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;

/**
 * The failure path on a real inventory, with the fence devices, the other agents and the restarts
 * played by this test (their real ones are tested on their own: FenceAgentRunnerTest, the agents'
 * reachesAgent, HA integration tests). Tasks run on the calling thread.
 */
class FailureHandlerTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-03T08:00:00Z"));
  private final Inventory inventory =
      new Inventory(new HostLifecycle(3, Duration.ofMinutes(10)), clock);
  private final FakeFencer fencer = new FakeFencer();
  private final Set<String> reachedBy = new HashSet<>();
  private final List<String> restarted = new ArrayList<>();
  private final Map<String, Boolean> staleLeft = new HashMap<>();
  private final Journal journal = Journal.inMemory(clock);
  private final AuditLog audit = new AuditLog(clock, journal);
  private PeerProbe.Answer otherwise = PeerProbe.Answer.NOT_REACHED;
  private final List<CompletableFuture<PeerProbe.Reach>> held = new ArrayList<>();
  private int holdUntilAsked;
  private boolean peersMissARoundWhileAsked;
  private FailureHandler handler;

  @BeforeEach
  void cluster() {
    handler =
        new FailureHandler(
            inventory,
            fencer,
            (asked, target) -> {
              PeerProbe.Reach reach =
                  reachedBy.contains(asked)
                      ? new PeerProbe.Reach(PeerProbe.Answer.REACHED, "")
                      : new PeerProbe.Reach(otherwise, "timed out");
              if (peersMissARoundWhileAsked) {
                inventory.applyRound(
                    new RoundOutcome(
                        Map.of(), Map.of("h1", "refused", "h2", "busy", "h3", "busy"), 0.01));
              }
              if (holdUntilAsked == 0) {
                return CompletableFuture.completedFuture(reach);
              }
              // An answer given only once every agent has been asked: a frozen agent's askers.
              CompletableFuture<PeerProbe.Reach> later = new CompletableFuture<>();
              held.add(later);
              if (held.size() == holdUntilAsked) {
                held.forEach(f -> f.complete(reach));
              }
              return later;
            },
            new Restarts() {
              @Override
              public void restart(String host) {
                restarted.add(host);
              }

              @Override
              public boolean removeStaleCopies(String host) {
                return !staleLeft.getOrDefault(host, false);
              }
            },
            audit,
            FailureConfig.DEFAULTS,
            clock,
            journal,
            Runnable::run,
            Runnable::run);
    for (String h : List.of("h1", "h2", "h3")) {
      inventory.join("http://" + h + "/jolokia/", data(h));
    }
  }

  @Test
  void aHostSilentForTheDetectionTimeIsFencedThenFailedAndItsDomainsRestart() {
    silence("h1", Duration.ofSeconds(16));

    assertThat(state("h1")).isEqualTo(HostState.FAILED);
    assertThat(fencer.calls).containsExactly("status h1", "off h1");
    assertThat(inventory.snapshot().host("h1").data().domains())
        .as("a fenced host runs nothing")
        .isEmpty();
    assertThat(inventory.snapshot().host("h1").failure().reason()).contains("fenced");
    assertThat(restarted).as("at once, not a round later").containsExactly("h1");

    round(Map.of("h1", false));
    assertThat(restarted).as("and every round, for what fit nowhere").containsExactly("h1", "h1");
    assertThat(audit.entries())
        .anyMatch(e -> e.requester().equals(Requester.HA) && e.action().equals("fence h1"));
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theOtherAgentsAreAskedAllAtOnceSoTheirTimeoutsDoNotAddUp() {
    holdUntilAsked = 2;

    silence("h1", Duration.ofSeconds(16));

    assertThat(held).hasSize(2);
    assertThat(state("h1")).isEqualTo(HostState.FAILED);
  }

  @Test
  void agentsThatMissARoundWhileTheyAnswerTheProbeStillCountAsReached() {
    peersMissARoundWhileAsked = true;

    silence("h1", Duration.ofSeconds(16));

    assertThat(state("h1"))
        .as("both peers answered the probe: the coordinator reaches them")
        .isEqualTo(HostState.FAILED);
  }

  @Test
  void aCoordinatorThatReachesTooFewHostsFencesNone() {
    for (long s = 5; s <= 15; s += 5) {
      clock.advance(Duration.ofSeconds(5));
      round(Map.of("h1", false, "h2", false, "h3", false));
    }

    assertThat(fencer.offs()).isZero();
    assertThat(state("h1")).isEqualTo(HostState.SUSPECT);
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("the coordinator reaches only 0 of 3 hosts and may be the one cut off");
  }

  @Test
  void agentsThatCannotTellAreNoWitnessAndNothingIsFenced() {
    otherwise = PeerProbe.Answer.UNKNOWN;

    silence("h1", Duration.ofSeconds(16));

    assertThat(fencer.offs()).isZero();
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("no other agent could tell whether it reaches it");

    otherwise = PeerProbe.Answer.NOT_REACHED;
    clock.advance(Duration.ofSeconds(16));
    round(Map.of("h1", false));
    assertThat(state("h1")).isEqualTo(HostState.FAILED);
  }

  @Test
  void aFencedHostIsKeptInTheJournalUntilItReturns() {
    silence("h1", Duration.ofSeconds(16));
    assertThat(journal.fencedHosts()).extracting(f -> f.host()).containsExactly("h1");

    round(Map.of("h1", true));

    assertThat(state("h1")).isEqualTo(HostState.ACTIVE);
    assertThat(journal.fencedHosts()).isEmpty();
  }

  @Test
  void nobodyConfirmsDownAHostSilentForLessThanTheDetectionTime() {
    clock.advance(Duration.ofSeconds(5));
    round(Map.of("h1", false));

    assertThatThrownBy(() -> handler.confirmDown("h1", new Requester("cli", "bob")))
        .hasMessageContaining("its agent answered 5.0 s ago");
  }

  @Test
  void aHostSilentForLessThanTheDetectionTimeIsLeftAlone() {
    silence("h1", Duration.ofSeconds(10));

    assertThat(state("h1").failing()).isFalse();
    assertThat(fencer.calls).isEmpty();
  }

  @Test
  void aHostAnotherAgentStillReachesIsCutOffNotFailedAndIsNeverFenced() {
    reachedBy.add("http://h2/jolokia/");

    silence("h1", Duration.ofSeconds(16));

    assertThat(state("h1")).isEqualTo(HostState.SUSPECT);
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("answers h2", "cut off from the coordinator only", "power ON");
    assertThatThrownBy(() -> handler.confirmDown("h1", new Requester("cli", "alice")))
        .hasMessageContaining("another agent still reaches its agent");
    assertThat(fencer.calls).containsExactly("status h1");

    clock.advance(Duration.ofSeconds(16));
    reachedBy.clear();
    round(Map.of("h1", false));
    assertThat(state("h1")).as("asked again after the detection time").isEqualTo(HostState.FAILED);
  }

  @Test
  void fencingThatFailsRestartsNothingAndIsTriedAgainWithBackOff() {
    fencer.failOff = "Connection timed out";

    silence("h1", Duration.ofSeconds(16));

    assertThat(state("h1")).isEqualTo(HostState.FENCE_FAILED);
    String reason = inventory.snapshot().host("h1").failure().reason();
    assertThat(reason)
        .contains("Connection timed out", "./xcm confirm-down h1", "next attempt in 10.0 s");
    round(Map.of("h1", false));
    assertThat(restarted).isEmpty();
    assertThat(fencer.offs()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    round(Map.of("h1", false));
    assertThat(fencer.offs()).isEqualTo(2);
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("next attempt in 20.0 s");

    fencer.failOff = null;
    clock.advance(Duration.ofSeconds(21));
    round(Map.of("h1", false));
    assertThat(state("h1")).isEqualTo(HostState.FAILED);
    assertThat(restarted).containsExactly("h1");
  }

  @Test
  void aHostWithoutAFenceDeviceWaitsForAnOperatorWhoseConfirmationIsAudited() {
    fencer.devices.remove("h1");

    silence("h1", Duration.ofSeconds(16));

    assertThat(state("h1")).isEqualTo(HostState.FENCE_FAILED);
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("no fence device is configured for host h1");
    Requester alice = new Requester("cli", "alice");
    handler.confirmDown("h1", alice);
    assertThat(state("h1")).isEqualTo(HostState.FAILED);
    assertThat(inventory.snapshot().host("h1").failure().reason())
        .contains("confirmed down by cli:alice");
    assertThat(restarted).containsExactly("h1");
  }

  @Test
  void nobodyConfirmsDownAHostWhoseAgentAnswers() {
    assertThatThrownBy(() -> handler.confirmDown("h2", new Requester("cli", "bob")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot confirm host \"h2\" down: its agent answered 0.0 s ago");
    assertThat(state("h2")).isEqualTo(HostState.ACTIVE);
    assertThatThrownBy(() -> handler.confirmDown("nope", new Requester("cli", "bob")))
        .hasMessageContaining("not a member");
  }

  @Test
  void aSuspectHostThatAnswersAgainIsBackWithNothingDone() {
    reachedBy.add("http://h2/jolokia/");
    silence("h1", Duration.ofSeconds(16));
    assertThat(state("h1")).isEqualTo(HostState.SUSPECT);

    round(Map.of("h1", true));

    assertThat(state("h1")).isEqualTo(HostState.ACTIVE);
    assertThat(restarted).isEmpty();
  }

  @Test
  void aFencedHostThatComesBackReturnsOnlyOnceItsStaleCopiesAreGone() {
    silence("h1", Duration.ofSeconds(16));
    assertThat(state("h1")).isEqualTo(HostState.FAILED);

    staleLeft.put("h1", true);
    round(Map.of("h1", true));
    assertThat(state("h1")).as("stale copies left: held back").isEqualTo(HostState.FAILED);

    staleLeft.put("h1", false);
    round(Map.of("h1", true));
    assertThat(state("h1")).isEqualTo(HostState.ACTIVE);
    assertThat(audit.entries()).anyMatch(e -> e.action().equals("return h1"));
  }

  @Test
  void aFencedHostReturnsInMaintenanceWhenSoConfigured() {
    handler =
        new FailureHandler(
            inventory,
            fencer,
            (a, t) ->
                CompletableFuture.completedFuture(
                    new PeerProbe.Reach(PeerProbe.Answer.NOT_REACHED, "timed out")),
            new Restarts() {
              @Override
              public void restart(String host) {}

              @Override
              public boolean removeStaleCopies(String host) {
                return true;
              }
            },
            audit,
            new FailureConfig(
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                3,
                HostState.MAINTENANCE,
                new xcm.coordinator.plan.FailoverTarget(1, 100)),
            clock,
            journal,
            Runnable::run,
            Runnable::run);
    silence("h1", Duration.ofSeconds(16));
    round(Map.of("h1", true));

    assertThat(state("h1")).isEqualTo(HostState.MAINTENANCE);
  }

  @Test
  void backOffDoublesUpToItsCap() {
    FailureConfig config = FailureConfig.DEFAULTS;
    assertThat(config.retryAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.retryAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.retryAfter(6)).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.retryAfter(60)).isEqualTo(Duration.ofMinutes(5));
  }

  /** Rounds in which {@code host} does not answer, one every 5 s, within {@code silent}. */
  private void silence(String host, Duration silent) {
    for (long s = 5; s <= silent.toSeconds(); s += 5) {
      clock.advance(Duration.ofSeconds(5));
      round(Map.of(host, false));
    }
  }

  /** One round: every host answers but those mapped to false. */
  private void round(Map<String, Boolean> answers) {
    Map<String, HostData> answered = new HashMap<>();
    Map<String, String> failed = new HashMap<>();
    for (String h : inventory.snapshot().hosts().keySet()) {
      if (answers.getOrDefault(h, true)) {
        answered.put(h, data(h));
      } else {
        failed.put(h, "connection refused");
      }
    }
    handler.afterRound(inventory.applyRound(new RoundOutcome(answered, failed, 0.01)));
  }

  private HostState state(String host) {
    return inventory.snapshot().host(host).state();
  }

  private static HostData data(String host) {
    List<DomainData> domains =
        List.of(
            new DomainData(
                host + "-vm",
                "uuid-" + host,
                DomainState.RUNNING,
                1L << 30,
                1L << 30,
                1,
                0.1,
                1,
                0,
                0,
                0,
                0,
                DomainRules.NONE));
    return new HostData(host, 8, 32L << 30, 16L << 30, 0.1, false, 0, domains);
  }

  private static final class FakeFencer implements Fencer {
    final List<String> calls = new ArrayList<>();
    final Set<String> devices = new HashSet<>(Set.of("h1", "h2", "h3"));
    volatile String failOff;

    long offs() {
      return calls.stream().filter(c -> c.startsWith("off")).count();
    }

    @Override
    public PowerState status(String host) {
      calls.add("status " + host);
      return PowerState.ON;
    }

    @Override
    public void off(String host) throws FenceException {
      calls.add("off " + host);
      if (failOff != null) {
        throw new FenceException(host, "fence_ipmilan", FenceAction.OFF, failOff, "");
      }
    }

    @Override
    public void on(String host) {
      calls.add("on " + host);
    }

    @Override
    public boolean canFence(String host) {
      return devices.contains(host);
    }
  }
}
