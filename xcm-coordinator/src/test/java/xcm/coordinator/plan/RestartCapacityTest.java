package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.PlacementRules;

/** The memory and CPU side of where a failed host's VMs restart. */
class RestartCapacityTest {
  private static final long GIB = 1L << 30;

  private static ClusterSnapshot.Host failed() {
    return new ClusterSnapshot.Host("h1", HostState.FAILED, 64 * GIB, GIB, 16);
  }

  /** A domain keeping {@code busy} of its host's CPUs: {@code busy} vCPUs, all of them busy. */
  private static ClusterSnapshot.Domain load(String name, String host, long gib, int busy) {
    return ClusterSnapshot.Domain.running(name, host, gib * GIB, busy, 1.0);
  }

  @Test
  void aRestartGoesWhereTheCpuIsNotWhereTheMemoryIsWhenTheMemoryHostsCpusAreFull() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                failed(),
                ClusterSnapshot.Host.active("h2", 65 * GIB, GIB, 16),
                ClusterSnapshot.Host.active("h3", 65 * GIB, GIB, 16)),
            List.of(
                load("busy", "h2", 2, 15),
                load("big", "h3", 40, 2),
                ClusterSnapshot.Domain.running("vm", "h1", 4 * GIB, 4, 0.5)));

    RestartPlanner.Result result = RestartPlanner.place(snapshot, "h1", 100);

    assertThat(result.restarts())
        .as("h2 has 62 GiB free but 1 CPU: the VM keeps 2 busy")
        .extracting(RestartPlanner.Restart::host)
        .containsExactly("h3");
  }

  @Test
  void aRestartThatWouldSaturateEveryHostWaitsNamingTheShortfallUntilTheLimitIsRaised() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(failed(), ClusterSnapshot.Host.active("h2", 65 * GIB, GIB, 16)),
            List.of(
                load("busy", "h2", 2, 15),
                ClusterSnapshot.Domain.running("vm", "h1", 4 * GIB, 4, 0.5)));

    RestartPlanner.Result strict = RestartPlanner.place(snapshot, "h1", 100);
    RestartPlanner.Result relaxed = RestartPlanner.place(snapshot, "h1", 150);

    assertThat(strict.restarts()).isEmpty();
    assertThat(strict.left())
        .containsExactly(
            "vm (medium): fits on no ACTIVE host, e.g. it would keep 2.00 CPUs busy and host h2"
                + " has 1.00 of its 16 CPUs free under the 100% restart limit");
    assertThat(relaxed.restarts()).extracting(RestartPlanner.Restart::host).containsExactly("h2");
  }

  @Test
  void aVmWithMoreVcpusThanAHostHasCpusDoesNotRestartThere() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                failed(),
                ClusterSnapshot.Host.active("h2", 129 * GIB, GIB, 8),
                ClusterSnapshot.Host.active("h3", 33 * GIB, GIB, 16)),
            List.of(ClusterSnapshot.Domain.running("wide", "h1", 4 * GIB, 12, 0)));

    assertThat(RestartPlanner.place(snapshot, "h1", 1000).restarts())
        .extracting(RestartPlanner.Restart::host)
        .containsExactly("h3");
    assertThat(
            RestartPlanner.place(
                    new ClusterSnapshot(snapshot.hosts().subList(0, 2), snapshot.domains()),
                    "h1",
                    1000)
                .left())
        .containsExactly(
            "wide (medium): fits on no ACTIVE host, e.g. wide has 12 vCPUs and host h2 has 8"
                + " CPUs");
  }

  @Test
  void amongHostsWithRoomTheOneWithMostLeftOfItsScarcerResourceIsChosen() {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            List.of(
                failed(),
                // h2: nearly all its memory free, little of its CPU; h3: half of each.
                ClusterSnapshot.Host.active("h2", 101 * GIB, GIB, 10),
                ClusterSnapshot.Host.active("h3", 101 * GIB, GIB, 10)),
            List.of(
                load("cpu-heavy", "h2", 10, 8),
                load("even", "h3", 50, 5),
                ClusterSnapshot.Domain.running("vm", "h1", 1 * GIB, 1, 0.1)));

    assertThat(RestartPlanner.place(snapshot, "h1", 100).restarts())
        .extracting(RestartPlanner.Restart::host)
        .containsExactly("h3");
  }

  @Test
  void aCpuLimitOfZeroIsRefused() {
    ClusterSnapshot snapshot = new ClusterSnapshot(List.of(failed()), List.of());

    assertThatThrownBy(() -> RestartPlanner.place(snapshot, "h1", 0))
        .isInstanceOf(PlanRequestException.class)
        .hasMessage("the restart CPU limit must be above 0%, found 0");
  }

  @Test
  void onRandomClustersNoRestartOverfillsAHostAndWhatIsLeftFitsNowhere() {
    SplittableRandom random = new SplittableRandom(61);
    int restarted = 0;
    int leftForRoom = 0;
    for (int run = 0; run < 3000; run++) {
      ClusterSnapshot cluster = TestClusters.random(random, TestClusters.Shape.constrained(6, 24));
      String failedHost = cluster.hosts().get(random.nextInt(cluster.hosts().size())).name();
      int percent = 50 + 50 * random.nextInt(3);
      List<ClusterSnapshot.Host> hosts = new ArrayList<>();
      for (ClusterSnapshot.Host h : cluster.hosts()) {
        hosts.add(h.name().equals(failedHost) ? h.withState(HostState.FAILED) : h);
      }
      ClusterSnapshot snapshot = new ClusterSnapshot(hosts, cluster.domains());
      String where = "run " + run + ": " + SnapshotJson.write(snapshot) + " failed " + failedHost;

      RestartPlanner.Result result = RestartPlanner.place(snapshot, failedHost, percent);

      // An oracle of its own: memory and CPU per host, from the snapshot and the restarts.
      Map<String, ClusterSnapshot.Host> byName = new HashMap<>();
      hosts.forEach(h -> byName.put(h.name(), h));
      Map<String, Long> memory = new HashMap<>();
      Map<String, Double> cpu = new HashMap<>();
      Map<String, ClusterSnapshot.Domain> domains = new HashMap<>();
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        domains.put(d.name(), d);
        if (d.holdsResources() && !d.host().equals(failedHost)) {
          memory.merge(d.host(), d.memoryBytes(), Long::sum);
          cpu.merge(d.host(), d.cpuUtilisation() * d.vcpus(), Double::sum);
        }
      }
      Map<String, Double> before = new HashMap<>(cpu);
      for (RestartPlanner.Restart r : result.restarts()) {
        ClusterSnapshot.Domain d = domains.get(r.domain());
        ClusterSnapshot.Host to = byName.get(r.host());
        assertThat(to.state()).as(where).isEqualTo(HostState.ACTIVE);
        assertThat(d.vcpus()).as(where).isLessThanOrEqualTo(to.cpus());
        memory.merge(to.name(), d.memoryBytes(), Long::sum);
        cpu.merge(to.name(), d.cpuUtilisation() * d.vcpus(), Double::sum);
      }
      for (ClusterSnapshot.Host h : hosts) {
        double added = cpu.getOrDefault(h.name(), 0.0) - before.getOrDefault(h.name(), 0.0);
        if (added > 0) {
          assertThat(cpu.get(h.name()))
              .as(where + ": CPU load of " + h.name())
              .isLessThanOrEqualTo(h.cpus() * percent / 100.0 + 1e-6);
        }
        if (h.state() == HostState.ACTIVE) {
          assertThat(memory.getOrDefault(h.name(), 0L))
              .as(where + ": memory of " + h.name())
              .isLessThanOrEqualTo(Math.max(h.capacityBytes(), usedBefore(snapshot, h)));
        }
      }
      for (String left : result.left()) {
        ClusterSnapshot.Domain d = domains.get(left.substring(0, left.indexOf(' ')));
        if (!d.rules().equals(PlacementRules.NONE)) {
          continue;
        }
        leftForRoom++;
        for (ClusterSnapshot.Host h : hosts) {
          boolean room =
              h.state() == HostState.ACTIVE
                  && memory.getOrDefault(h.name(), 0L) + d.memoryBytes() <= h.capacityBytes()
                  && d.vcpus() <= h.cpus()
                  && cpu.getOrDefault(h.name(), 0.0) + d.cpuUtilisation() * d.vcpus()
                      <= h.cpus() * percent / 100.0;
          assertThat(room).as(where + ": " + left + " but " + h.name() + " has room").isFalse();
        }
      }
      restarted += result.restarts().size();
    }
    assertThat(restarted).as("restarts placed").isGreaterThan(2000);
    assertThat(leftForRoom).as("VMs left for want of room").isGreaterThan(2000);
  }

  /** Memory a host's domains already use: a host over its capacity stays over, never gets more. */
  private static long usedBefore(ClusterSnapshot snapshot, ClusterSnapshot.Host h) {
    return snapshot.domains().stream()
        .filter(d -> d.host().equals(h.name()) && d.holdsResources())
        .mapToLong(ClusterSnapshot.Domain::memoryBytes)
        .sum();
  }
}
