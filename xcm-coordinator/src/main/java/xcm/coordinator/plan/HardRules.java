package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.mbeans.placement.GroupRule;
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
  private final List<String> apartNames = new ArrayList<>();
  private final List<String> togetherNames = new ArrayList<>();
  private final GroupOccupancy apartOnHost;
  private final GroupOccupancy togetherOnHost;
  private final int[] togetherHolding;

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
      apart[d] = ids(domain.rules().apart(), apartIds, apartNames);
      together[d] = ids(domain.rules().together(), togetherIds, togetherNames);
      members += apart[d].length + together[d].length;
      List<HostRule> hard = new ArrayList<>();
      for (HostRule rule : domain.rules().hosts()) {
        if (rule.kind().strength() == Strength.HARD) {
          hard.add(rule);
        }
      }
      filter[d] = hard.isEmpty() ? -1 : filterIds.computeIfAbsent(hard, this::newFilter);
    }
    apartOnHost = new GroupOccupancy(members);
    togetherOnHost = new GroupOccupancy(members);
    togetherHolding = new int[togetherNames.size()];
    for (int d = 0; d < domains; d++) {
      if (holds[d]) {
        for (int g : together[d]) {
          togetherHolding[g]++;
        }
      }
    }
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

  private static int[] ids(List<GroupRule> rules, Map<String, Integer> ids, List<String> names) {
    int hard = 0;
    for (GroupRule rule : rules) {
      hard += rule.strength() == Strength.HARD ? 1 : 0;
    }
    if (hard == 0) {
      return NONE;
    }
    int[] out = new int[hard];
    int i = 0;
    for (GroupRule rule : rules) {
      if (rule.strength() == Strength.HARD) {
        out[i++] =
            ids.computeIfAbsent(
                rule.group(),
                g -> {
                  names.add(g);
                  return names.size() - 1;
                });
      }
    }
    return out;
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
            + apartNames.get(g)
            + "'";
      }
    }
    for (int g : withGroup ? NONE : together[d]) {
      if (togetherHolding[g] > 1 && togetherOnHost.count(g, to) == 0) {
        return "its rule 'together "
            + togetherNames.get(g)
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
    return apartNames.get(g);
  }

  String togetherName(int g) {
    return togetherNames.get(g);
  }

  int apartCount() {
    return apartNames.size();
  }

  int togetherCount() {
    return togetherNames.size();
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
