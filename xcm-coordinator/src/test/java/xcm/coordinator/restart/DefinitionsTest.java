package xcm.coordinator.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.journal.DomainDefinition;
import xcm.coordinator.journal.Journal;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.DomainState;

/**
 * What the coordinator keeps of each domain's definition, round after round, with the agents'
 * answers played from memory (HostFailureIT fetches them from real agents).
 */
class DefinitionsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
  private final Journal journal = Journal.inMemory(clock);
  private final Inventory inventory =
      new Inventory(new HostLifecycle(1, Duration.ofMinutes(10)), clock);
  private final Map<String, List<DomainData>> hosts = new HashMap<>();
  private final List<String> fetched = new ArrayList<>();
  private final Map<String, String> versions = new HashMap<>();
  private final Map<String, String> lies = new HashMap<>();
  private final DefinitionFetch agents =
      (url, domains) -> {
        List<Optional<String>> xmls = new ArrayList<>();
        for (String d : domains) {
          fetched.add(d);
          xmls.add(Optional.of(lies.getOrDefault(d, xml(d, versions.get(d)))));
        }
        return CompletableFuture.completedFuture(xmls);
      };

  private Definitions definitions() {
    return new Definitions(journal, agents, clock, Runnable::run, 200);
  }

  @Test
  void aNewDomainIsFetchedOnceAndAgainOnlyWhenItsDigestChanges() {
    host("h1", vm("web", "d1", true));
    Definitions kept = definitions();

    round(kept, Map.of());
    round(kept, Map.of());
    assertThat(fetched).containsExactly("web");
    assertThat(kept.ranOn("h1")).extracting(DomainDefinition::name).containsExactly("web");

    host("h1", vm("web", "d2", true));
    round(kept, Map.of());
    assertThat(fetched).containsExactly("web", "web");
    assertThat(kept.xml("uuid-web").orElseThrow()).contains("d2");
  }

  @Test
  void aDomainThatMovedOrStoppedIsUpdatedWithoutFetching() {
    host("h1", vm("web", "d1", true));
    host("h2");
    Definitions kept = definitions();
    round(kept, Map.of());

    host("h1");
    host("h2", vm("web", "d1", false));
    round(kept, Map.of());

    DomainDefinition web = kept.of("uuid-web").orElseThrow();
    assertThat(web.host()).isEqualTo("h2");
    assertThat(web.running()).isFalse();
    assertThat(fetched).containsExactly("web");
    assertThat(kept.xml("uuid-web").orElseThrow())
        .as("the XML kept through the move")
        .contains("d1");
  }

  @Test
  void whatASilentHostRanIsKeptAndWhatNoHostDefinesIsForgottenAfterTwoRounds() {
    host("h1", vm("web", "d1", true));
    host("h2", vm("db", "d1", true));
    Definitions kept = definitions();
    round(kept, Map.of());

    round(kept, Map.of("h1", false));
    round(kept, Map.of("h1", false));
    round(kept, Map.of("h1", false));
    assertThat(kept.ranOn("h1")).extracting(DomainDefinition::name).containsExactly("web");

    host("h2");
    round(kept, Map.of("h1", false));
    assertThat(kept.of("uuid-db")).as("one round missing: kept").isPresent();
    round(kept, Map.of("h1", false));
    assertThat(kept.of("uuid-db")).as("undefined: forgotten").isEmpty();
    assertThat(new Definitions(journal, agents, clock, Runnable::run, 200).size())
        .as("what the journal keeps, for a coordinator that restarts")
        .isEqualTo(1);
    assertThat(new Definitions(journal, agents, clock, Runnable::run, 200).xml("uuid-web"))
        .as("the XML a restarted coordinator defines the domain with")
        .hasValueSatisfying(xml -> assertThat(xml).contains("<name>web</name>"));
    assertThat(kept.xml("uuid-db")).as("forgotten").isEmpty();
  }

  @Test
  void theCpuLoadLastSampledWhileADomainRanOutlivesItsSilentHostForItsRestart() {
    host("h1", vm("web", "d1", true));
    Definitions kept = definitions();
    round(kept, Map.of());

    round(kept, Map.of("h1", false));
    round(kept, Map.of("h1", false));

    assertThat(kept.cpuUtilisation("uuid-web")).isEqualTo(0.1);
    assertThat(kept.cpuUtilisation("uuid-never-seen")).isZero();
  }

  @Test
  void aDefinitionThatIsNotTheOneReportedIsNotKept() {
    host("h1", vm("web", "d1", true), vm("db", "d1", true));
    lies.put("web", xml("web", "d2"));
    lies.put("db", xml("web", "d1").replace("<name>web</name>", "<name>db</name>"));
    Definitions kept = definitions();

    round(kept, Map.of());

    assertThat(kept.of("uuid-web")).as("another digest than reported").isEmpty();
    assertThat(kept.of("uuid-db")).as("another domain's UUID").isEmpty();
  }

  @Test
  void aShutOffCopyBesideARunningOneDoesNotMoveTheDefinition() {
    host("h1", vm("web", "d1", true));
    host("h2", vm("web", "d1", false));
    Definitions kept = definitions();

    round(kept, Map.of());

    assertThat(kept.of("uuid-web").orElseThrow().host()).isEqualTo("h1");
    assertThat(kept.of("uuid-web").orElseThrow().running()).isTrue();
  }

  @Test
  void aCopyShutOffElsewhereWhileItsHostIsSilentKeepsItAsRunningThere() {
    // h1 runs web and db, then dies; a restart cut off by a coordinator restart left both defined,
    // shut off, on h2 (db's definition written anew, so with another digest).
    host("h1", vm("web", "d1", true), vm("db", "d1", true));
    host("h2");
    Definitions kept = definitions();
    round(kept, Map.of());

    host("h2", vm("web", "d1", false), vm("db", "d2", false));
    round(kept, Map.of("h1", false));
    round(kept, Map.of("h1", false));

    assertThat(kept.ranOn("h1")).extracting(DomainDefinition::name).containsExactly("db", "web");
    assertThat(fetched).containsExactly("web", "db");
  }

  private void host(String name, DomainData... domains) {
    hosts.put(name, List.of(domains));
    if (inventory.snapshot().host(name) == null) {
      inventory.join("http://" + name + "/jolokia/", data(name));
    }
  }

  private HostData data(String name) {
    return new HostData(name, 8, 32L << 30, 16L << 30, 0.1, false, 0, hosts.get(name));
  }

  /** A round in which every host answers but those mapped to false; then a pass. */
  private void round(Definitions kept, Map<String, Boolean> answers) {
    Map<String, HostData> answered = new HashMap<>();
    Map<String, String> failed = new HashMap<>();
    for (String h : hosts.keySet()) {
      if (answers.getOrDefault(h, true)) {
        answered.put(h, data(h));
      } else {
        failed.put(h, "connection refused");
      }
    }
    kept.pass(inventory.applyRound(new RoundOutcome(answered, failed, 0.01)));
  }

  private static String xml(String name, String version) {
    return "<domain><name>"
        + name
        + "</name><uuid>uuid-"
        + name
        + "</uuid><description>"
        + version
        + "</description></domain>";
  }

  /** A domain whose definition is at {@code version}; its agent reports that one's digest. */
  private DomainData vm(String name, String version, boolean running) {
    versions.put(name, version);
    String digest = DefinitionDigest.of(xml(name, version));
    return new DomainData(
        name,
        "uuid-" + name,
        running ? DomainState.RUNNING : DomainState.SHUTOFF,
        1L << 30,
        1L << 30,
        1,
        0.1,
        1,
        0,
        0,
        0,
        0,
        DomainRules.NONE,
        digest);
  }
}
