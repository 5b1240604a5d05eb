package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.Strength;

/**
 * The hard placement rules of a snapshot's domains, and how each stands in a {@link Placement}:
 * which hosts a domain's {@code on}/{@code not-on} rules allow, how many members of each hard
 * {@code apart} and {@code together} group sit on each host. A move is allowed when the destination
 * meets the domain's host rules, holds no member of its apart groups, and — for a member of a
 * together group with other running members — already holds one of them: a group that shares a host
 * is never split by a single move (planners move it whole, see {@link Gangs}).
 *
 * <p>Not thread-safe; its {@link Placement} keeps it in step.
 */
final class HardRules {
  private static final int[] NONE = new int[0];

  private final ClusterSnapshot snapshot;
  private final int[][] apart;
  private final int[][] together;
  private final int[] filter;
  private final List<boolean[]> allowed = new ArrayList<>();
  private final List<List<HostRule>> filterRules = new ArrayList<>();
  private final String[] apartNames;
  private final String[] togetherNames;
  private final GroupOccupancy apartOnHost;
  private final GroupOccupancy togetherOnHost;
  private final int[] togetherHolding;
  private final int[][] apartMembers;
  private final int[][] togetherMembers;

  HardRules(ClusterSnapshot snapshot, Map<String, Integer> hostIndex, boolean[] holds) {
    this.snapshot = snapshot;
    int domains = snapshot.domains().size();
    apart = new int[domains][];
    together = new int[domains][];
    filter = new int[domains];
    Map<String, Integer> apartIds = new HashMap<>();
    Map<String, Integer> togetherIds = new HashMap<>();
    Map<List<HostRule>, Integer> filterIds = new HashMap<>();
    int members = 0;
    for (int d = 0; d < domains; d++) {
      ClusterSnapshot.Domain domain = snapshot.domains().get(d);
      apart[d] = GroupIds.of(domain.rules().apart(), Strength.HARD, apartIds);
      together[d] = GroupIds.of(domain.rules().together(), Strength.HARD, togetherIds);
      members += apart[d].length + together[d].length;
      List<HostRule> hard = new ArrayList<>();
      for (HostRule rule : domain.rules().hosts()) {
        if (rule.kind().strength() == Strength.HARD) {
          hard.add(rule);
        }
      }
      filter[d] = hard.isEmpty() ? -1 : filterIds.computeIfAbsent(hard, this::newFilter);
    }
    apartNames = GroupIds.names(apartIds);
    togetherNames = GroupIds.names(togetherIds);
    apartOnHost = new GroupOccupancy(members);
    togetherOnHost = new GroupOccupancy(members);
    togetherHolding = new int[togetherNames.length];
    for (int d = 0; d < domains; d++) {
      if (holds[d]) {
        for (int g : together[d]) {
          togetherHolding[g]++;
        }
      }
    }
    apartMembers = members(apart, apartNames.length, holds);
    togetherMembers = members(together, togetherNames.length, holds);
  }

  /**
   * A copy whose occupancy and group sizes change apart from {@code other}'s; what the rules say is
   * shared, it never changes.
   */
  HardRules(HardRules other) {
    snapshot = other.snapshot;
    apart = other.apart;
    together = other.together;
    filter = other.filter;
    allowed.addAll(other.allowed);
    filterRules.addAll(other.filterRules);
    apartNames = other.apartNames;
    togetherNames = other.togetherNames;
    apartOnHost = new GroupOccupancy(other.apartOnHost);
    togetherOnHost = new GroupOccupancy(other.togetherOnHost);
    togetherHolding = other.togetherHolding.clone();
    apartMembers = other.apartMembers;
    togetherMembers = other.togetherMembers;
  }

  /**
   * The domain, which has left its host, no longer runs: its together groups count one running
   * member fewer. Only for {@link Placement#drop}; the member lists stay as built.
   */
  void stopped(int d) {
    for (int g : together[d]) {
      togetherHolding[g]--;
    }
  }

  /** The running domains of each group, by group number. */
  private static int[][] members(int[][] groupsOf, int groups, boolean[] holds) {
    int[] count = new int[groups];
    for (int d = 0; d < groupsOf.length; d++) {
      if (holds[d]) {
        for (int g : groupsOf[d]) {
          count[g]++;
        }
      }
    }
    int[][] members = new int[groups][];
    for (int g = 0; g < groups; g++) {
      members[g] = new int[count[g]];
      count[g] = 0;
    }
    for (int d = 0; d < groupsOf.length; d++) {
      if (holds[d]) {
        for (int g : groupsOf[d]) {
          members[g][count[g]++] = d;
        }
      }
    }
    return members;
  }

  /** The running members of the hard apart group. */
  int[] apartMembers(int g) {
    return apartMembers[g];
  }

  /** The running members of the hard together group. */
  int[] togetherMembers(int g) {
    return togetherMembers[g];
  }

  private int newFilter(List<HostRule> rules) {
    boolean[] hosts = new boolean[snapshot.hosts().size()];
    for (int h = 0; h < hosts.length; h++) {
      hosts[h] = true;
      for (HostRule rule : rules) {
        hosts[h] &= rule.met(snapshot.hosts().get(h).labels());
      }
    }
    allowed.add(hosts);
    filterRules.add(List.copyOf(rules));
    return allowed.size() - 1;
  }

  /** True if the domain's host rules allow the host (whatever else is on it). */
  boolean hostAllowed(int d, int h) {
    return filter[d] < 0 || allowed.get(filter[d])[h];
  }

  /** True if moving the domain to the host breaks none of its hard rules. */
  boolean allows(int d, int to) {
    if (filter[d] >= 0 && !allowed.get(filter[d])[to]) {
      return false;
    }
    for (int g : apart[d]) {
      if (apartOnHost.count(g, to) > 0) {
        return false;
      }
    }
    for (int g : together[d]) {
      if (togetherHolding[g] > 1 && togetherOnHost.count(g, to) == 0) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #allows}, but with the domain's together groups moving along with it. */
  boolean allowsWithGroup(int d, int to) {
    if (filter[d] >= 0 && !allowed.get(filter[d])[to]) {
      return false;
    }
    for (int g : apart[d]) {
      if (apartOnHost.count(g, to) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Null if {@link #allows} (with {@code withGroup}: {@link #allowsWithGroup}), else the rule the
   * move would break, naming the member in the way.
   */
  String refusal(int d, int to, Placement placement, boolean withGroup) {
    String host = snapshot.hosts().get(to).name();
    if (filter[d] >= 0 && !allowed.get(filter[d])[to]) {
      for (HostRule rule : filterRules.get(filter[d])) {
        if (!rule.met(snapshot.hosts().get(to).labels())) {
          return "host "
              + host
              + " breaks its rule '"
              + rule
              + "' (the host's labels: "
              + labels(to)
              + ")";
        }
      }
    }
    for (int g : apart[d]) {
      if (apartOnHost.count(g, to) > 0) {
        return "host "
            + host
            + " already holds "
            + member(placement, to, apart, g)
            + " of its rule 'apart "
            + apartNames[g]
            + "'";
      }
    }
    for (int g : withGroup ? NONE : together[d]) {
      if (togetherHolding[g] > 1 && togetherOnHost.count(g, to) == 0) {
        return "its rule 'together "
            + togetherNames[g]
            + "' keeps it with "
            + otherMember(placement, d, g)
            + ", which is not on "
            + host;
      }
    }
    return null;
  }

  private String labels(int h) {
    String text = snapshot.hosts().get(h).labels().toString();
    return text.isEmpty() ? "none" : text;
  }

  private String member(Placement placement, int h, int[][] groups, int g) {
    for (int i = 0; i < placement.domainsOn(h); i++) {
      int other = placement.domainOn(h, i);
      for (int x : groups[other]) {
        if (x == g) {
          return placement.domainName(other);
        }
      }
    }
    return "a member";
  }

  private String otherMember(Placement placement, int d, int g) {
    for (int other = 0; other < together.length; other++) {
      if (other != d && placement.holdsResources(other)) {
        for (int x : together[other]) {
          if (x == g) {
            return placement.domainName(other)
                + " (on "
                + placement.hostName(placement.hostOf(other))
                + ")";
          }
        }
      }
    }
    return "another member";
  }

  /**
   * The running domains on the domain's host that hard together rules join to it, directly or
   * through each other, without the domain itself: what must move with it.
   */
  int[] companions(int d, Placement placement) {
    if (together[d].length == 0) {
      return NONE;
    }
    int h = placement.hostOf(d);
    java.util.BitSet groups = new java.util.BitSet();
    for (int g : together[d]) {
      groups.set(g);
    }
    java.util.List<Integer> found = new ArrayList<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (int i = 0; i < placement.domainsOn(h); i++) {
        int other = placement.domainOn(h, i);
        if (other == d || found.contains(other)) {
          continue;
        }
        boolean joined = false;
        for (int g : together[other]) {
          joined |= groups.get(g);
        }
        if (joined) {
          found.add(other);
          for (int g : together[other]) {
            groups.set(g);
          }
          grew = true;
        }
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  int[] apartGroups(int d) {
    return apart[d];
  }

  int[] togetherGroups(int d) {
    return together[d];
  }

  String apartName(int g) {
    return apartNames[g];
  }

  String togetherName(int g) {
    return togetherNames[g];
  }

  int apartCount() {
    return apartNames.length;
  }

  int togetherCount() {
    return togetherNames.length;
  }

  /** Members of the hard apart group on the host. */
  int apartOn(int g, int h) {
    return apartOnHost.count(g, h);
  }

  /** Members of the hard together group on the host. */
  int togetherOn(int g, int h) {
    return togetherOnHost.count(g, h);
  }

  /** Running members of the hard together group. */
  int togetherSize(int g) {
    return togetherHolding[g];
  }

  void arrive(int d, int h) {
    for (int g : apart[d]) {
      apartOnHost.add(g, h, 1);
    }
    for (int g : together[d]) {
      togetherOnHost.add(g, h, 1);
    }
  }

  void leave(int d, int h) {
    for (int g : apart[d]) {
      apartOnHost.add(g, h, -1);
    }
    for (int g : together[d]) {
      togetherOnHost.add(g, h, -1);
    }
  }
}
