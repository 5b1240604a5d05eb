package xcm.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.TestClock;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;

class InventoryTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T08:00:00Z"));
  private final Inventory inventory =
      new Inventory(new HostLifecycle(2, Duration.ofMinutes(1)), clock);

  private static HostData host(String name, int domains) {
    List<DomainData> list = new ArrayList<>();
    for (int i = 0; i < domains; i++) {
      list.add(
          new DomainData(
              name + "-vm" + i,
              "u-" + name + i,
              DomainState.RUNNING,
              1L << 30,
              2L << 30,
              1,
              0.1,
              1,
              0,
              0,
              0,
              0,
              DomainRules.NONE));
    }
    return new HostData(name, 8, 16L << 30, 8L << 30, 0.1, false, 0, list);
  }

  private static RoundOutcome round(Map<String, HostData> answers, Map<String, String> failures) {
    return new RoundOutcome(answers, failures, 0.01);
  }

  @Test
  void modesTheJournalHoldsReachMembersAndAHostNoLongerNamedIsActiveAgain() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 1));
    inventory.setMode("b", HostState.MAINTENANCE);

    // The active drained a and activated b while this coordinator stood by.
    inventory.restoreModes(Map.of("a", HostState.DRAINING));

    assertThat(inventory.snapshot().host("a").state()).isEqualTo(HostState.DRAINING);
    assertThat(inventory.snapshot().host("b").state()).isEqualTo(HostState.ACTIVE);
  }

  @Test
  void aMemberTheJournalHoldsAsFencedIsFailedAndCountsNoDomains() {
    inventory.join("http://a:1/jolokia/", host("a", 2));

    inventory.rememberFenced(
        "a",
        "http://a:1/jolokia/",
        "fenced before this coordinator took over",
        HostFailure.fenced(clock.instant(), "powered off by its fence device"));

    HostRecord a = inventory.snapshot().host("a");
    assertThat(a.state()).isEqualTo(HostState.FAILED);
    assertThat(a.data().domains()).isEmpty();
  }

  @Test
  void joiningTwiceFromTheSameUrlChangesNothingButTheFigures() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    ClusterSnapshot first = inventory.snapshot();

    assertThat(inventory.join("http://a:1/jolokia/", host("a", 2))).isEqualTo("a");

    ClusterSnapshot second = inventory.snapshot();
    assertThat(second.hosts()).containsOnlyKeys("a");
    assertThat(second.host("a").data().domains()).hasSize(2);
    assertThat(second.host("a").url()).isEqualTo(first.host("a").url());
  }

  @Test
  void anotherAgentClaimingAReachableHostsNameIsRefusedAndChangesNothing() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    ClusterSnapshot before = inventory.snapshot();

    assertThatThrownBy(() -> inventory.join("http://b:1/jolokia/", host("a", 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "host a is already a member with its agent at http://a:1/jolokia/, which still"
                + " answers; the agent at http://b:1/jolokia/ reports the same host name");
    assertThat(inventory.snapshot()).isSameAs(before);
  }

  @Test
  void anUnreachableHostsAgentMayComeBackAtANewUrl() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.applyRound(round(Map.of(), Map.of("a", "refused")));
    inventory.applyRound(round(Map.of(), Map.of("a", "refused")));
    assertThat(inventory.snapshot().host("a").state()).isEqualTo(HostState.UNREACHABLE);

    inventory.join("http://a:2/jolokia/", host("a", 1));

    HostRecord a = inventory.snapshot().host("a");
    assertThat(a.url()).isEqualTo("http://a:2/jolokia/");
    assertThat(a.state()).isEqualTo(HostState.ACTIVE);
    assertThat(a.errorsTotal()).isEqualTo(2);
  }

  @Test
  void removingAnUnknownHostNamesItAndTheMembers() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 1));
    ClusterSnapshot before = inventory.snapshot();

    assertThatThrownBy(() -> inventory.remove("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown host 'c'; members are a, b");
    assertThat(inventory.snapshot()).isSameAs(before);
  }

  @Test
  void removedHostIsNotCollectedAndTheDeadHostCollectorDropsIt() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 2));

    inventory.remove("a");
    assertThat(inventory.snapshot().host("a").state()).isEqualTo(HostState.REMOVED);
    assertThat(inventory.snapshot().domainCount()).isEqualTo(2);

    inventory.applyRound(round(Map.of("a", host("a", 5)), Map.of()));
    assertThat(inventory.snapshot().host("a").state()).isEqualTo(HostState.REMOVED);

    assertThat(inventory.purgeDead()).containsExactly("a");
    assertThat(inventory.snapshot().hosts()).containsOnlyKeys("b");
  }

  @Test
  void roundAppliesAnswersAndMissesAndCountsIt() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 1));

    clock.advance(Duration.ofSeconds(5));
    ClusterSnapshot after =
        inventory.applyRound(round(Map.of("a", host("a", 3)), Map.of("b", "timeout")));

    assertThat(after.round()).isEqualTo(1);
    assertThat(after.collectedAt()).isEqualTo(clock.instant());
    assertThat(after.host("a").data().domains()).hasSize(3);
    assertThat(after.host("b").missedRounds()).isEqualTo(1);
    assertThat(after.host("b").state()).isEqualTo(HostState.ACTIVE);
    assertThat(after.domainCount()).isEqualTo(4);
  }

  @Test
  void unreachableHostIsDroppedAfterTheDeadHostTime() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.applyRound(round(Map.of(), Map.of("a", "refused")));
    inventory.applyRound(round(Map.of(), Map.of("a", "refused")));

    clock.advance(Duration.ofSeconds(59));
    assertThat(inventory.purgeDead()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(inventory.purgeDead()).containsExactly("a");
  }

  @Test
  void hostsRememberedTogetherJoinUnreachableInOneSnapshotAndMembersStayAsTheyAre() {
    inventory.join("http://a:1/jolokia/", host("a", 2));
    inventory.pending("http://b:1/jolokia/", "not read yet");
    List<ClusterSnapshot> published = new ArrayList<>();
    inventory.addListener(published::add);

    inventory.rememberAll(
        Map.of("a", "http://a:2/jolokia/", "b", "http://b:1/jolokia/", "c", "http://c:1/jolokia/"),
        "not heard from since this coordinator took over",
        null);

    assertThat(published).hasSize(1);
    ClusterSnapshot after = inventory.snapshot();
    assertThat(after.host("a").url()).isEqualTo("http://a:1/jolokia/");
    assertThat(after.host("a").data().domains()).hasSize(2);
    assertThat(after.host("b").reachable()).isFalse();
    assertThat(after.host("c").reachable()).isFalse();
    assertThat(after.pending()).doesNotContainKey("http://b:1/jolokia/");

    inventory.rememberAll(Map.of("a", "http://a:1/jolokia/"), "again", null);
    assertThat(published).hasSize(1);
  }

  @Test
  void listenersSeeEveryNewSnapshot() {
    List<Integer> sizes = new ArrayList<>();
    inventory.addListener(s -> sizes.add(s.hosts().size()));

    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 1));
    inventory.remove("a");
    inventory.purgeDead();

    assertThat(sizes).containsExactly(1, 2, 2, 1);
  }

  @Test
  void aVerifiedMigrationMovesTheDomainInTheModelAtOnce() {
    inventory.join("http://a:1/jolokia/", host("a", 2));
    inventory.join("http://b:1/jolokia/", host("b", 0));

    inventory.relocate("u-a1", "a", "b");

    assertThat(inventory.snapshot().host("a").data().domains())
        .extracting(DomainData::name)
        .containsExactly("a-vm0");
    assertThat(inventory.snapshot().host("b").data().domains())
        .extracting(DomainData::name)
        .containsExactly("a-vm1");
    assertThat(inventory.snapshot().domainCount()).isEqualTo(2);
  }

  @Test
  void restoredModesPutHostsOutOfServiceAndBackAsTheJournalHoldsThem() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.join("http://b:1/jolokia/", host("b", 1));
    inventory.restoreModes(Map.of("a", HostState.MAINTENANCE, "b", HostState.DRAINING));

    // The active returned a to service and finished b's drain while this one stood by.
    inventory.restoreModes(Map.of("b", HostState.MAINTENANCE));

    assertThat(inventory.snapshot().host("a").mode()).isEqualTo(HostState.ACTIVE);
    assertThat(inventory.snapshot().host("b").mode()).isEqualTo(HostState.MAINTENANCE);
  }

  @Test
  void pendingUrlLeavesTheListWhenItsAgentJoins() {
    inventory.pending("http://a:1/jolokia/", "connection refused");
    assertThat(inventory.snapshot().pending())
        .containsEntry("http://a:1/jolokia/", "connection refused");

    inventory.join("http://a:1/jolokia/", host("a", 1));

    assertThat(inventory.snapshot().pending()).isEmpty();
  }

  @Test
  void aRoundsNewcomersJoinOrWaitInOneSnapshot() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.pendingAll(
        List.of("http://b:1/jolokia/", "http://c:1/jolokia/", "http://x:1/jolokia/"),
        "not read yet");
    List<ClusterSnapshot> seen = new ArrayList<>();
    inventory.addListener(seen::add);

    inventory.admit(
        List.of(
            Newcomer.joins("http://b:1/jolokia/", host("b", 2)),
            Newcomer.waiting("http://c:1/jolokia/", "agent did not answer within the round"),
            // Another agent claiming reachable a's name stays pending, with join's reason.
            Newcomer.joins("http://x:1/jolokia/", host("a", 1))));

    assertThat(seen).hasSize(1);
    ClusterSnapshot s = inventory.snapshot();
    assertThat(s.hosts().keySet()).containsExactly("a", "b");
    assertThat(s.hostAt("http://b:1/jolokia/").name()).isEqualTo("b");
    assertThat(s.hostAt("http://a:1/jolokia/").name()).isEqualTo("a");
    assertThat(s.pending())
        .containsOnlyKeys("http://c:1/jolokia/", "http://x:1/jolokia/")
        .containsEntry("http://c:1/jolokia/", "agent did not answer within the round")
        .containsEntry(
            "http://x:1/jolokia/",
            "host a is already a member with its agent at http://a:1/jolokia/, which still"
                + " answers; the agent at http://x:1/jolokia/ reports the same host name");
  }

  @Test
  void aRemovedHostsUrlIsNoMembersAndTheFirstMemberByNameHoldsAUrl() {
    inventory.join("http://a:1/jolokia/", host("a", 1));
    inventory.remove("a");

    assertThat(inventory.snapshot().hostAt("http://a:1/jolokia/")).isNull();
    inventory.pendingAll(List.of("http://a:1/jolokia/"), "not read yet");
    assertThat(inventory.snapshot().pending()).containsOnlyKeys("http://a:1/jolokia/");
  }
}
