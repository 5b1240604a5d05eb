package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.Strength;

/**
 * An independent model of the placement rules, written without the planners' classes: it replays a
 * plan move by move, asserting every constraint, and recomputes the weighted score naively.
 */
final class ConstraintOracle {
  private final ClusterSnapshot snapshot;
  private final long cooldownSeconds;
  private final Map<String, ClusterSnapshot.Host> hosts = new HashMap<>();
  private final Map<String, ClusterSnapshot.Domain> domains = new HashMap<>();
  private final Map<String, String> hostOf = new HashMap<>();
  private final Set<String> moved = new HashSet<>();

  ConstraintOracle(ClusterSnapshot snapshot, long cooldownSeconds) {
    this.snapshot = snapshot;
    this.cooldownSeconds = cooldownSeconds;
    snapshot.hosts().forEach(h -> hosts.put(h.name(), h));
    snapshot.domains().forEach(d -> domains.put(d.name(), d));
    snapshot.domains().forEach(d -> hostOf.put(d.name(), d.host()));
  }

  /** Applies one move after asserting that every constraint allows it. */
  void apply(Move move) {
    ClusterSnapshot.Domain domain = domains.get(move.domain());
    assertThat(domain).as("moved domain %s exists", move.domain()).isNotNull();
    assertThat(hostOf.get(move.domain()))
        .as("%s moves from where it is", move.domain())
        .isEqualTo(move.from());
    assertThat(domain.state().isActive()).as("%s holds resources", move.domain()).isTrue();
    assertThat(domain.pinned() || domain.rules().pinned())
        .as("%s is not pinned", move.domain())
        .isFalse();
    assertThat(
            domain.lastMovedSecondsAgo().isPresent()
                && domain.lastMovedSecondsAgo().getAsLong() < cooldownSeconds)
        .as("%s is not cooling down", move.domain())
        .isFalse();
    assertThat(moved.add(move.domain())).as("%s moves once", move.domain()).isTrue();
    ClusterSnapshot.Host to = hosts.get(move.to());
    assertThat(to.state()).as("destination %s", move.to()).isEqualTo(HostState.ACTIVE);
    assertThat(move.to()).isNotEqualTo(move.from());
    assertThat(usedMemory(move.to()) + domain.memoryBytes())
        .as("memory on %s after %s arrives", move.to(), move.domain())
        .isLessThanOrEqualTo(to.capacityBytes());
    for (HostRule rule : domain.rules().hosts()) {
      if (rule.kind().strength() == Strength.HARD) {
        assertThat(rule.met(to.labels()))
            .as("%s's rule '%s' on %s (%s)", move.domain(), rule, move.to(), to.labels())
            .isTrue();
      }
    }
    for (GroupRule rule : domain.rules().apart()) {
      if (rule.strength() == Strength.HARD) {
        assertThat(apartMembersOn(rule.group(), move.to()))
            .as("members of apart %s on %s", rule.group(), move.to())
            .isZero();
      }
    }
    hostOf.put(move.domain(), move.to());
  }

  void applyAll(List<Move> moves) {
    moves.forEach(this::apply);
  }

  String hostOf(String domain) {
    return hostOf.get(domain);
  }

  long usedMemory(String host) {
    long used = 0;
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.state().isActive() && hostOf.get(d.name()).equals(host)) {
        used += d.memoryBytes();
      }
    }
    return used;
  }

  int domainsOn(String host) {
    int n = 0;
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.state().isActive() && hostOf.get(d.name()).equals(host)) {
        n++;
      }
    }
    return n;
  }

  private int apartMembersOn(String group, String host) {
    int n = 0;
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.state().isActive()
          && hostOf.get(d.name()).equals(host)
          && hardMember(d.rules().apart(), group)) {
        n++;
      }
    }
    return n;
  }

  private static boolean hardMember(List<GroupRule> rules, String group) {
    for (GroupRule rule : rules) {
      if (rule.group().equals(group) && rule.strength() == Strength.HARD) {
        return true;
      }
    }
    return false;
  }

  /**
   * The hard rules broken in the current placement, each once: {@code apart G on H}, {@code
   * together G}, {@code host rule of D}.
   */
  Set<String> brokenHardRules() {
    return brokenHardRules(snapshot, hostOf);
  }

  static Set<String> brokenHardRules(ClusterSnapshot snapshot, Map<String, String> hostOf) {
    Map<String, ClusterSnapshot.Host> hosts = new HashMap<>();
    snapshot.hosts().forEach(h -> hosts.put(h.name(), h));
    Set<String> broken = new java.util.TreeSet<>();
    Map<String, Integer> apartOn = new HashMap<>();
    Map<String, Set<String>> togetherHosts = new HashMap<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (!d.state().isActive()) {
        continue;
      }
      String at = hostOf.get(d.name());
      for (HostRule rule : d.rules().hosts()) {
        if (rule.kind().strength() == Strength.HARD && !rule.met(hosts.get(at).labels())) {
          broken.add("host rule of " + d.name());
        }
      }
      for (GroupRule rule : d.rules().apart()) {
        if (rule.strength() == Strength.HARD
            && apartOn.merge(rule.group() + " on " + at, 1, Integer::sum) > 1) {
          broken.add("apart " + rule.group() + " on " + at);
        }
      }
      for (GroupRule rule : d.rules().together()) {
        if (rule.strength() == Strength.HARD) {
          togetherHosts.computeIfAbsent(rule.group(), g -> new HashSet<>()).add(at);
        }
      }
    }
    togetherHosts.forEach(
        (group, on) -> {
          if (on.size() > 1) {
            broken.add("together " + group);
          }
        });
    return broken;
  }

  /** The weighted score of the current placement over ACTIVE hosts, computed the slow way. */
  double weightedScore(Weights weights) {
    return weightedScore(snapshot, hostOf, weights, Set.of());
  }

  static double weightedScore(
      ClusterSnapshot snapshot, Map<String, String> hostOf, Weights weights, Set<String> excluded) {
    double[][] values = new double[3][];
    List<ClusterSnapshot.Host> active =
        snapshot.hosts().stream()
            .filter(h -> h.state() == HostState.ACTIVE && !excluded.contains(h.name()))
            .toList();
    if (active.isEmpty()) {
      return 0; // as the policies say: nothing to balance
    }
    for (int m = 0; m < 3; m++) {
      values[m] = new double[active.size()];
    }
    for (int i = 0; i < active.size(); i++) {
      ClusterSnapshot.Host host = active.get(i);
      double memory = 0;
      double load = 0;
      double vcpus = 0;
      for (ClusterSnapshot.Domain d : snapshot.domains()) {
        if (d.state().isActive() && hostOf.get(d.name()).equals(host.name())) {
          memory += d.memoryBytes();
          load += d.cpuUtilisation() * d.vcpus();
          vcpus += d.vcpus();
        }
      }
      values[0][i] = memory / host.capacityBytes();
      values[1][i] = load / host.cpus();
      values[2][i] = vcpus / host.cpus();
    }
    return weights.memory() * stddev(values[0])
        + weights.cpu() * stddev(values[1])
        + weights.vcpu() * stddev(values[2])
        + weights.soft() * brokenSoftRules(snapshot, hostOf);
  }

  /**
   * Soft rules broken, counted as the score counts them: each member of a soft apart group beyond
   * the first on a host, each host beyond the first a soft together group spans, each prefer or
   * avoid rule a domain's host does not meet.
   */
  static int brokenSoftRules(ClusterSnapshot snapshot, Map<String, String> hostOf) {
    Map<String, ClusterSnapshot.Host> hosts = new HashMap<>();
    snapshot.hosts().forEach(h -> hosts.put(h.name(), h));
    Map<String, Integer> apartOn = new HashMap<>();
    Map<String, Set<String>> togetherHosts = new HashMap<>();
    int broken = 0;
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (!d.state().isActive()) {
        continue;
      }
      String at = hostOf.get(d.name());
      for (HostRule rule : d.rules().hosts()) {
        if (rule.kind().strength() == Strength.SOFT && !rule.met(hosts.get(at).labels())) {
          broken++;
        }
      }
      for (GroupRule rule : d.rules().apart()) {
        if (rule.strength() == Strength.SOFT
            && apartOn.merge(rule.group() + "\u0000" + at, 1, Integer::sum) > 1) {
          broken++;
        }
      }
      for (GroupRule rule : d.rules().together()) {
        if (rule.strength() == Strength.SOFT) {
          togetherHosts.computeIfAbsent(rule.group(), g -> new HashSet<>()).add(at);
        }
      }
    }
    for (Set<String> on : togetherHosts.values()) {
      broken += on.size() - 1;
    }
    return broken;
  }

  static double stddev(double[] x) {
    if (x.length == 0) {
      return 0;
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double variance = 0;
    for (double v : x) {
      variance += (v - mean) * (v - mean);
    }
    return Math.sqrt(variance / x.length);
  }
}
