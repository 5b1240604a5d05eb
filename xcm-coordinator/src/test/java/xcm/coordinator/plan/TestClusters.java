package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;

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
              "h" + (h + 1),
              state,
              memory,
              random.nextInt(2) * GIB,
              1 + random.nextInt(16),
              shape.groups()
                  ? HostLabels.parse("rack=r" + random.nextInt(3) + ",ssd=" + random.nextBoolean())
                  : HostLabels.NONE));
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (int d = 0; d < domainCount; d++) {
      DomainState state =
          shape.shutOffDomains() && random.nextInt(8) == 0
              ? DomainState.SHUTOFF
              : DomainState.RUNNING;
      String host = "h" + (1 + skewedHost(random, hostCount));
      PlacementRules rules = shape.groups() ? rules(random) : PlacementRules.NONE;
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
              rules,
              pinned,
              moved));
    }
    return new ClusterSnapshot(hosts, domains);
  }

  /**
   * Rules on about a third of the domains: apart and together groups, hard or soft, host rules on
   * the racks and disks the hosts are labelled with, now and then a pin. Rules that contradict each
   * other across domains are left in: planners must cope with what hand-written metadata says.
   */
  static PlacementRules rules(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(3) == 0) {
      text.append("apart g")
          .append(random.nextInt(3))
          .append(random.nextInt(4) == 0 ? " soft;" : ";");
    }
    if (random.nextInt(8) == 0) {
      text.append("together t")
          .append(random.nextInt(2))
          .append(random.nextInt(3) == 0 ? " soft;" : ";");
    }
    if (random.nextInt(8) == 0) {
      String[] kinds = {"on", "not-on", "prefer", "avoid"};
      text.append(kinds[random.nextInt(4)])
          .append(random.nextBoolean() ? " rack=r" + random.nextInt(3) : " ssd=true")
          .append(';');
    }
    if (random.nextInt(40) == 0) {
      text.append("pinned;");
    }
    return PlacementRules.parse(text.toString());
  }

  /** Skewed toward the first hosts, so there is something to balance. */
  private static int skewedHost(SplittableRandom random, int hostCount) {
    double u = random.nextDouble();
    return Math.min(hostCount - 1, (int) (u * u * hostCount));
  }
}
