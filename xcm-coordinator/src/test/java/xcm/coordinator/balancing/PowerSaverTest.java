package xcm.coordinator.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xcm.coordinator.balancing.Clusters.GIB;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.PlanOptions;
import xcm.mbeans.HostState;

class PowerSaverTest {
  private final PowerSaver saver = new PowerSaver(Clusters.planner());
  private final PowerSettings on = PowerSettings.defaults().withEnabled(true);

  /** Hosts of 32 CPUs and 256 GiB, each with {@code perHost} domains of 4 GiB busy 1 CPU. */
  private static ClusterSnapshot cluster(List<HostState> states, int perHost) {
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int h = 0; h < states.size(); h++) {
      hosts.add(new ClusterSnapshot.Host("h" + h, states.get(h), 256 * GIB, 8 * GIB, 32));
      if (states.get(h) == HostState.ACTIVE) {
        for (int d = 0; d < perHost; d++) {
          domains.add(ClusterSnapshot.Domain.running("vm" + h + "-" + d, "h" + h, 4 * GIB, 2, 0.5));
        }
      }
    }
    return new ClusterSnapshot(hosts, domains);
  }

  private PowerAction decide(ClusterSnapshot snapshot) {
    return saver.decide(snapshot, Map.of(), on, PlanOptions.defaults());
  }

  @Test
  void aLightClusterEmptiesOneHostOntoTheOthers() {
    ClusterSnapshot light =
        cluster(List.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE), 4);

    PowerAction action = decide(light);

    assertThat(action).isInstanceOf(PowerAction.Evacuate.class);
    PowerAction.Evacuate evacuate = (PowerAction.Evacuate) action;
    assertThat(evacuate.plan().moves())
        .hasSize(4)
        .extracting(Move::from)
        .containsOnly(evacuate.host());
    assertThat(evacuate.plan().moves()).extracting(Move::to).doesNotContain(evacuate.host());
  }

  @Test
  void aHostIsKeptWhenTheOthersLessTheSpareWouldPassTheTargets() {
    // 16 CPUs busy per host: without one of three, two hosts less one spare hold 32 CPUs at 70%.
    ClusterSnapshot busy =
        cluster(List.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE), 16);

    PowerAction action = decide(busy);

    assertThat(action).isInstanceOf(PowerAction.Hold.class);
    assertThat(action.reason()).startsWith("without h").contains("would pass the targets");
  }

  @Test
  void demandAboveTheHighWaterMarkWakesStandbyHostsLargestFirst() {
    List<ClusterSnapshot.Host> hosts =
        new ArrayList<>(cluster(List.of(HostState.ACTIVE, HostState.ACTIVE), 0).hosts());
    hosts.add(new ClusterSnapshot.Host("small", HostState.STANDBY, 256 * GIB, 8 * GIB, 16));
    hosts.add(new ClusterSnapshot.Host("large", HostState.STANDBY, 256 * GIB, 8 * GIB, 64));
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      domains.add(ClusterSnapshot.Domain.running("vm" + d, "h" + (d % 2), 4 * GIB, 2, 0.5));
    }

    PowerAction action = decide(new ClusterSnapshot(hosts, domains));

    assertThat(action).isInstanceOf(PowerAction.Wake.class);
    assertThat(((PowerAction.Wake) action).hosts()).containsExactly("large");
    assertThat(action.reason()).contains("crosses the high-water marks");
  }

  @Test
  void theSparesAndADrainUnderWayHoldEverything() {
    assertThat(decide(cluster(List.of(HostState.ACTIVE, HostState.ACTIVE), 1)).reason())
        .isEqualTo("2 ACTIVE hosts: none can be spared");
    assertThat(
            decide(
                    cluster(
                        List.of(
                            HostState.ACTIVE,
                            HostState.ACTIVE,
                            HostState.ACTIVE,
                            HostState.DRAINING),
                        1))
                .reason())
        .isEqualTo("host h3 is DRAINING");
    assertThat(
            saver.decide(
                cluster(List.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE), 1),
                Map.of(),
                PowerSettings.defaults(),
                PlanOptions.defaults()))
        .isEqualTo(new PowerAction.Hold("power saving is off"));
  }

  @Test
  void aStandbyHostStillRunningDomainsIsEmptiedFirst() {
    List<ClusterSnapshot.Host> hosts =
        new ArrayList<>(
            cluster(List.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE), 1).hosts());
    hosts.add(new ClusterSnapshot.Host("cut-short", HostState.STANDBY, 256 * GIB, 8 * GIB, 32));
    List<ClusterSnapshot.Domain> domains =
        new ArrayList<>(
            cluster(List.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE), 1).domains());
    domains.add(ClusterSnapshot.Domain.running("left", "cut-short", 4 * GIB, 2, 0.5));

    PowerAction action = decide(new ClusterSnapshot(hosts, domains));

    assertThat(action).isInstanceOf(PowerAction.Evacuate.class);
    assertThat(((PowerAction.Evacuate) action).host()).isEqualTo("cut-short");
    assertThat(((PowerAction.Evacuate) action).plan().moves())
        .extracting(Move::domain)
        .containsExactly("left");
  }

  @Test
  void evacuationsNeverTargetStandbyHosts() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      ClusterSnapshot snapshot =
          Clusters.random(random, 4 + random.nextInt(10), random.nextInt(40), HostState.STANDBY);
      if (decide(snapshot) instanceof PowerAction.Evacuate evacuate) {
        for (Move move : evacuate.plan().moves()) {
          assertThat(snapshot.host(move.to()).orElseThrow().state()).isEqualTo(HostState.ACTIVE);
        }
      }
    }
  }

  @Test
  void highWaterMarksBelowTheTargetsAreRefused() {
    assertThatThrownBy(() -> new PowerSettings(true, 0.8, 0.8, 0.7, 0.9, 1, 2))
        .hasMessageContaining("must lie above the targets")
        .hasMessageContaining("go back and forth");
  }
}
