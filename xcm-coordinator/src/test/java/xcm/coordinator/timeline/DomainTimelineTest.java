package xcm.coordinator.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostRecord;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostCount;
import xcm.mbeans.HostState;
import xcm.mbeans.TimelineHistory;

class DomainTimelineTest {
  private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

  private static HostRecord host(String name, HostState mode, int running) {
    List<DomainData> domains = new ArrayList<>();
    for (int i = 0; i < running; i++) {
      domains.add(
          new DomainData(
              name + "-vm" + i,
              "u-" + name + i,
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
    }
    HostData data = new HostData(name, 8, 16L << 30, 0, 0.1, false, 0, domains);
    return new HostRecord(
        name, "https://" + name + "/jolokia/", mode, true, 0, T0, null, 0, null, data, null);
  }

  private static ClusterSnapshot round(long seconds, HostRecord... hosts) {
    TreeMap<String, HostRecord> map = new TreeMap<>();
    for (HostRecord h : hosts) {
      map.put(h.name(), h);
    }
    return new ClusterSnapshot(seconds, T0.plusSeconds(seconds), 0.01, map, new TreeMap<>());
  }

  @Test
  void aSteadyClusterKeepsOnlyItsStartHoweverManyRoundsPass() {
    DomainTimeline timeline = new DomainTimeline(Duration.ofHours(1), 100);
    for (int s = 0; s < 10_000; s += 5) {
      timeline.accept(round(s, host("a", HostState.ACTIVE, 3), host("b", HostState.ACTIVE, 0)));
    }

    TimelineHistory history = timeline.history();

    assertThat(history.changes()).isEmpty();
    assertThat(history.start())
        .extracting(HostCount::host, HostCount::domains)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 3),
            org.assertj.core.groups.Tuple.tuple("b", 0));
    assertThat(history.untilEpochMillis()).isEqualTo(T0.plusSeconds(9_995).toEpochMilli());
    assertThat(history.sinceEpochMillis())
        .isEqualTo(T0.plusSeconds(9_995).minus(Duration.ofHours(1)).toEpochMilli());
    assertThat(timeline.lastChangeEpochMillis()).isZero();
  }

  @Test
  void aDrainShowsAsTheHostsCountsAndStatesChangingInOrder() {
    DomainTimeline timeline = new DomainTimeline(Duration.ofHours(1), 100);
    timeline.accept(round(0, host("a", HostState.ACTIVE, 2), host("b", HostState.ACTIVE, 0)));
    timeline.accept(round(5, host("a", HostState.DRAINING, 1), host("b", HostState.ACTIVE, 1)));
    timeline.accept(round(10, host("a", HostState.MAINTENANCE, 0), host("b", HostState.ACTIVE, 2)));

    assertThat(timeline.history().changes())
        .containsExactly(
            new HostCount(T0.plusSeconds(5).toEpochMilli(), "a", "DRAINING", 1),
            new HostCount(T0.plusSeconds(5).toEpochMilli(), "b", "ACTIVE", 1),
            new HostCount(T0.plusSeconds(10).toEpochMilli(), "a", "MAINTENANCE", 0),
            new HostCount(T0.plusSeconds(10).toEpochMilli(), "b", "ACTIVE", 2));
    assertThat(timeline.lastChangeEpochMillis()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
  }

  @Test
  void aHostThatLeavesEndsAsRemovedAndIsForgottenWithItsLastChange() {
    DomainTimeline timeline = new DomainTimeline(Duration.ofSeconds(60), 100);
    timeline.accept(round(0, host("a", HostState.ACTIVE, 2), host("b", HostState.ACTIVE, 1)));
    timeline.accept(round(5, host("a", HostState.ACTIVE, 2)));

    assertThat(timeline.history().changes())
        .containsExactly(new HostCount(T0.plusSeconds(5).toEpochMilli(), "b", "REMOVED", 0));

    timeline.accept(round(100, host("a", HostState.ACTIVE, 2)));

    TimelineHistory later = timeline.history();
    assertThat(later.changes()).isEmpty();
    assertThat(later.start()).extracting(HostCount::host).containsExactly("a");
  }

  @Test
  void changesBeyondTheMostKeptMoveTheWindowsStartAndTheCountsThenStillAddUp() {
    DomainTimeline timeline = new DomainTimeline(Duration.ofDays(1), 50);
    Random random = new Random(7);
    Map<String, Integer> truth = new TreeMap<>();
    for (int s = 0; s < 2_000; s += 5) {
      List<HostRecord> hosts = new ArrayList<>();
      for (String name : List.of("a", "b", "c", "d")) {
        int count = random.nextInt(4) == 0 ? random.nextInt(6) : truth.getOrDefault(name, 2);
        truth.put(name, count);
        hosts.add(host(name, HostState.ACTIVE, count));
      }
      timeline.accept(round(s, hosts.toArray(HostRecord[]::new)));
    }

    TimelineHistory history = timeline.history();

    assertThat(history.changes()).hasSizeLessThanOrEqualTo(50);
    Map<String, Integer> replayed = new TreeMap<>();
    history.start().forEach(c -> replayed.put(c.host(), c.domains()));
    long previous = history.sinceEpochMillis();
    for (HostCount change : history.changes()) {
      assertThat(change.epochMillis()).isGreaterThanOrEqualTo(previous);
      previous = change.epochMillis();
      replayed.put(change.host(), change.domains());
    }
    assertThat(replayed).isEqualTo(truth);
  }

  @Test
  void aRoundNotYetEndedOrOlderThanTheLastIsNotRecorded() {
    DomainTimeline timeline = new DomainTimeline(Duration.ofHours(1), 100);
    timeline.accept(
        new ClusterSnapshot(0, null, 0, new TreeMap<>(Map.of()), new TreeMap<>(Map.of())));
    timeline.accept(round(10, host("a", HostState.ACTIVE, 1)));
    timeline.accept(round(5, host("a", HostState.ACTIVE, 4)));

    assertThat(timeline.history().start()).extracting(HostCount::domains).containsExactly(1);
    assertThat(timeline.history().changes()).isEmpty();
  }

  @Test
  void aTimelineWithoutRetentionOrRoomIsRefused() {
    assertThatThrownBy(() -> new DomainTimeline(Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive retention");
    assertThatThrownBy(() -> new DomainTimeline(Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
