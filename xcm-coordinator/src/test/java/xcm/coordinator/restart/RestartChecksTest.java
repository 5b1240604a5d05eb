package xcm.coordinator.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.DomainState;

/** The last look a restart takes before it starts its domain. */
class RestartChecksTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
  private final Inventory inventory =
      new Inventory(new HostLifecycle(1, Duration.ofMinutes(10)), clock);
  private final MoveRequest move =
      MoveRequest.restart(
          "web", "uuid-web", "h1", "http://h1/jolokia/", "h2", "http://h2/jolokia/");

  private void cluster(List<DomainData> onH3) {
    inventory.join("http://h1/jolokia/", data("h1", List.of()));
    inventory.join("http://h2/jolokia/", data("h2", List.of()));
    inventory.join("http://h3/jolokia/", data("h3", onH3));
  }

  private void fenceH1() {
    inventory.applyRound(
        new RoundOutcome(
            Map.of("h2", data("h2", List.of()), "h3", data("h3", List.of())),
            Map.of("h1", "refused"),
            0.01));
    inventory.updateFailure(
        "h1", r -> r.fenced(HostFailure.fenced(clock.instant(), "fenced by test")));
  }

  @Test
  void aDomainOfAFencedHostThatRunsNowhereMayStart() {
    cluster(List.of());
    fenceH1();

    assertThat(RestartChecks.refusal(inventory.snapshot(), move)).isEmpty();
  }

  @Test
  void aDomainThatRunsOnAnotherHostMustNotStart() {
    cluster(List.of(vm("web")));
    inventory.applyRound(
        new RoundOutcome(
            Map.of("h2", data("h2", List.of()), "h3", data("h3", List.of(vm("web")))),
            Map.of("h1", "refused"),
            0.01));
    inventory.updateFailure("h1", r -> r.fenced(HostFailure.fenced(clock.instant(), "fenced")));

    assertThat(RestartChecks.refusal(inventory.snapshot(), move)).contains("it runs on h3");
  }

  @Test
  void aHostThatIsNotFencedOrAnswersAgainKeepsItsDomains() {
    cluster(List.of());
    assertThat(RestartChecks.refusal(inventory.snapshot(), move))
        .hasValueSatisfying(why -> assertThat(why).contains("h1 is ACTIVE, not fenced"));

    fenceH1();
    inventory.applyRound(
        new RoundOutcome(
            Map.of(
                "h1", data("h1", List.of(vm("web"))),
                "h2", data("h2", List.of()),
                "h3", data("h3", List.of())),
            Map.of(),
            0.01));
    assertThat(RestartChecks.refusal(inventory.snapshot(), move))
        .contains("host h1 answers again: its copy counts");
  }

  private static HostData data(String host, List<DomainData> domains) {
    return new HostData(host, 8, 32L << 30, 16L << 30, 0.1, false, 0, domains);
  }

  private static DomainData vm(String name) {
    return new DomainData(
        name,
        "uuid-" + name,
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
        DomainRules.NONE);
  }
}
