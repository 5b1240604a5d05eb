package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;

/** Seeded random clusters for property tests, from tiny to small. */
final class TestClusters {
  static final long GIB = 1L << 30;

  private TestClusters() {}

  /** What the random clusters may contain. */
  record Shape(
      int maxHosts,
      int maxDomains,
      boolean otherHostStates,
      boolean shutOffDomains,
      boolean pinnedAndCooling,
      boolean groups,
      boolean tightMemory) {
    /** Everything allowed. */
    static Shape constrained(int maxHosts, int maxDomains) {
      return new Shape(maxHosts, maxDomains, true, true, true, true, true);
    }

    /** ACTIVE hosts with room for everything, running domains, no pins, cooldowns or groups. */
    static Shape unconstrained(int maxHosts, int maxDomains) {
      return new Shape(maxHosts, maxDomains, false, false, false, false, false);
    }
  }

  static ClusterSnapshot random(SplittableRandom random, Shape shape) {
    int hostCount = 1 + random.nextInt(shape.maxHosts());
    int domainCount = random.nextInt(shape.maxDomains() + 1);
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    HostState[] states = HostState.values();
    for (int h = 0; h < hostCount; h++) {
      HostState state =
          shape.otherHostStates() && random.nextInt(5) == 0
              ? states[random.nextInt(states.length)]
              : HostState.ACTIVE;
      long memory =
          shape.tightMemory()
              ? (4 + random.nextInt(13)) * GIB
              : (8L * shape.maxDomains() + 8) * GIB;
      hosts.add(
          new ClusterSnapshot.Host(
              "h" + (h + 1), state, memory, random.nextInt(2) * GIB, 1 + random.nextInt(16)));
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int d = 0; d < domainCount; d++) {
      DomainState state =
          shape.shutOffDomains() && random.nextInt(8) == 0
              ? DomainState.SHUTOFF
              : DomainState.RUNNING;
      String host = "h" + (1 + skewedHost(random, hostCount));
      Optional<String> group =
          shape.groups() && random.nextInt(3) == 0
              ? Optional.of("g" + random.nextInt(3))
              : Optional.empty();
      boolean pinned = shape.pinnedAndCooling() && random.nextInt(10) == 0;
      OptionalLong moved =
          shape.pinnedAndCooling() && random.nextInt(6) == 0
              ? OptionalLong.of(random.nextInt(1200))
              : OptionalLong.empty();
      domains.add(
          new ClusterSnapshot.Domain(
              "vm" + (d + 1),
              host,
              state,
              (1 + random.nextInt(4)) * GIB,
              1 + random.nextInt(4),
              random.nextInt(101) / 100.0,
              group,
              pinned,
              moved));
    }
    return new ClusterSnapshot(hosts, domains);
  }

  /** Skewed toward the first hosts, so there is something to balance. */
  private static int skewedHost(SplittableRandom random, int hostCount) {
    double u = random.nextDouble();
    return Math.min(hostCount - 1, (int) (u * u * hostCount));
  }
}
