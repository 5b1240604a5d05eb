package xcm.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;

class HostLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
  private final HostLifecycle lifecycle = new HostLifecycle(3, Duration.ofMinutes(10));

  static HostData data(String name) {
    return new HostData(name, 16, 64L << 30, 32L << 30, 0.25, false, T0.toEpochMilli(), List.of());
  }

  @Test
  void hostBecomesUnreachableOnlyAfterTheConfiguredMissedRounds() {
    HostRecord host = lifecycle.joined("http://a/jolokia/", data("a"), T0);

    host = lifecycle.missed(host, "refused", T0.plusSeconds(5));
    host = lifecycle.missed(host, "refused", T0.plusSeconds(10));
    assertThat(host.state()).isEqualTo(HostState.ACTIVE);
    assertThat(host.missedRounds()).isEqualTo(2);

    host = lifecycle.missed(host, "refused", T0.plusSeconds(15));
    assertThat(host.state()).isEqualTo(HostState.UNREACHABLE);
    assertThat(host.lastError()).isEqualTo("refused");
    assertThat(host.errorsTotal()).isEqualTo(3);
    assertThat(host.data()).as("the last figures are kept").isEqualTo(data("a"));
  }

  @Test
  void aStandbyHostSwitchedOffStaysStandbyAndIsNeitherDeadNorSuspected() {
    HostRecord host =
        lifecycle.withMode(lifecycle.joined("http://a/jolokia/", data("a"), T0), HostState.STANDBY);
    for (int i = 1; i <= 3; i++) {
      host = lifecycle.missed(host, "connection refused", T0.plusSeconds(5L * i));
    }
    Instant hoursLater = T0.plus(Duration.ofHours(8));

    assertThat(host.reachable()).isFalse();
    assertThat(host.state()).isEqualTo(HostState.STANDBY);
    assertThat(lifecycle.isDead(host, hoursLater)).isFalse();
    assertThat(
            xcm.coordinator.failure.FailureStep.of(
                host, hoursLater, xcm.coordinator.failure.FailureConfig.DEFAULTS))
        .isEqualTo(xcm.coordinator.failure.FailureStep.NONE);
  }

  @Test
  void answeringBringsAnUnreachableHostBackToItsOperatorMode() {
    HostRecord host = lifecycle.joined("http://a/jolokia/", data("a"), T0);
    host =
        new HostRecord(
            host.name(),
            host.url(),
            HostState.MAINTENANCE,
            host.reachable(),
            0,
            T0,
            null,
            0,
            null,
            host.data(),
            null);
    for (int i = 1; i <= 3; i++) {
      host = lifecycle.missed(host, "timeout", T0.plusSeconds(5L * i));
    }
    assertThat(host.state()).isEqualTo(HostState.UNREACHABLE);

    host = lifecycle.answered(host, data("a"), T0.plusSeconds(20));

    assertThat(host.state()).as("maintenance survives the outage").isEqualTo(HostState.MAINTENANCE);
    assertThat(host.missedRounds()).isZero();
    assertThat(host.lastSeen()).isEqualTo(T0.plusSeconds(20));
  }

  @Test
  void unreachableHostIsDeadOnlyAfterTheDeadHostTime() {
    HostRecord host = lifecycle.joined("http://a/jolokia/", data("a"), T0);
    for (int i = 1; i <= 3; i++) {
      host = lifecycle.missed(host, "timeout", T0.plusSeconds(5L * i));
    }

    assertThat(lifecycle.isDead(host, T0.plus(Duration.ofMinutes(10)).minusMillis(1))).isFalse();
    assertThat(lifecycle.isDead(host, T0.plus(Duration.ofMinutes(10)))).isTrue();
  }

  @Test
  void reachableHostIsNeverDeadAndRemovedHostAlwaysIs() {
    HostRecord host = lifecycle.joined("http://a/jolokia/", data("a"), T0);

    assertThat(lifecycle.isDead(host, T0.plus(Duration.ofDays(1)))).isFalse();
    HostRecord removed = lifecycle.removed(host, T0.plusSeconds(1));
    assertThat(removed.state()).isEqualTo(HostState.REMOVED);
    assertThat(lifecycle.isDead(removed, T0.plusSeconds(1))).isTrue();
  }

  @Test
  void zeroMissedRoundsIsRefused() {
    assertThatThrownBy(() -> new HostLifecycle(0, Duration.ofMinutes(1)))
        .hasMessage("unreachable-after-rounds must be at least 1, found 0");
  }
}
