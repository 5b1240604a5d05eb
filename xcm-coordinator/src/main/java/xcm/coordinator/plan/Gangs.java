package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;
import xcm.mbeans.placement.Strength;

/**
 * VMs that a hard {@code together} rule keeps on one host, seen by the planners as one domain: a
 * gang's memory, vCPUs and CPU load are its members' sums, its rules their union, and it stays
 * where it is if any member must. Policies, plugged in or built in, plan on the {@link #collapsed}
 * snapshot and so can only move a gang whole; {@link #expand} turns each move of a gang back into
 * its members' moves, one after the other.
 *
 * <p>Only gangs that share a host now are collapsed: a broken together rule is repaired by {@link
 * RuleRepair} first. A gang whose members' rules cannot be joined (two members in one hard apart
 * group, host rules that contradict) stays where it is.
 *
 * <p>Immutable once built.
 */
final class Gangs {
  /** Libvirt domain names cannot contain '/', so a gang's name is never a VM's. */
  private static final String PREFIX = "together/";

  private final ClusterSnapshot collapsed;
  private final Map<String, List<ClusterSnapshot.Domain>> members;

  private Gangs(ClusterSnapshot collapsed, Map<String, List<ClusterSnapshot.Domain>> members) {
    this.collapsed = collapsed;
    this.members = members;
  }

  /** The snapshot's gangs; with none, {@link #collapsed} is the snapshot itself. */
  static Gangs of(ClusterSnapshot snapshot) {
    List<List<Integer>> components = components(snapshot);
    if (components.isEmpty()) {
      return new Gangs(snapshot, Map.of());
    }
    boolean[] inGang = new boolean[snapshot.domains().size()];
    Map<String, List<ClusterSnapshot.Domain>> members = new LinkedHashMap<>();
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (List<Integer> component : components) {
      List<ClusterSnapshot.Domain> gang = new ArrayList<>();
      for (int d : component) {
        gang.add(snapshot.domains().get(d));
        inGang[d] = true;
      }
      ClusterSnapshot.Domain joined = join(gang);
      members.put(joined.name(), gang);
      domains.add(joined);
    }
    for (int d = 0; d < inGang.length; d++) {
      if (!inGang[d]) {
        domains.add(snapshot.domains().get(d));
      }
    }
    return new Gangs(new ClusterSnapshot(snapshot.hosts(), domains), members);
  }

  ClusterSnapshot collapsed() {
    return collapsed;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** The plan with each move of a gang replaced by its members' moves. */
  Plan expand(Plan plan) {
    if (members.isEmpty()) {
      return plan;
    }
    List<Move> moves = new ArrayList<>();
    for (Move move : plan.moves()) {
      List<ClusterSnapshot.Domain> gang = members.get(move.domain());
      if (gang == null) {
        moves.add(move);
        continue;
      }
      List<String> names = new ArrayList<>();
      gang.forEach(m -> names.add(m.name()));
      String reason =
          move.reason()
              + "; with its rule '"
              + move.domain().replace(PREFIX, "together ")
              + "' ("
              + String.join(", ", names)
              + ")";
      for (int i = 0; i < gang.size(); i++) {
        double after = i == gang.size() - 1 ? move.scoreAfter() : move.scoreBefore();
        moves.add(
            new Move(
                gang.get(i).name(), move.from(), move.to(), move.scoreBefore(), after, reason));
      }
    }
    List<String> notes = new ArrayList<>(plan.notes());
    notes.add(members.size() + " groups kept together by hard rules move whole");
    return new Plan(
        plan.policy(),
        plan.scoreName(),
        moves,
        plan.initialScore(),
        plan.finalScore(),
        plan.lowerBound(),
        plan.targetReached(),
        notes);
  }

  /**
   * A drain refusal planned on the {@link #collapsed} snapshot, told in VMs: a gang is named by its
   * members and its rule instead of its stand-in's name, and the counts ("2 of its 6 domains") are
   * of the VMs on {@code host}, each member counted.
   */
  PlacementException expand(PlacementException refusal, String host) {
    int hidden = 0;
    for (List<ClusterSnapshot.Domain> gang : members.values()) {
      hidden += gang.get(0).host().equals(host) ? gang.size() - 1 : 0;
    }
    if (hidden == 0) {
      return refusal;
    }
    int total = hidden;
    for (ClusterSnapshot.Domain d : collapsed.domains()) {
      total += d.host().equals(host) && d.holdsResources() ? 1 : 0;
    }
    List<Unplaced> vms = new ArrayList<>();
    for (Unplaced u : refusal.unplaced()) {
      List<ClusterSnapshot.Domain> gang = members.get(u.domain());
      if (gang == null) {
        vms.add(u);
      } else {
        for (ClusterSnapshot.Domain member : gang) {
          vms.add(
              new Unplaced(
                  member.name(), member.memoryBytes(), u.shortfallBytes(), u.cause(), u.reason()));
        }
      }
    }
    String message =
        DrainRefusal.message(
            host,
            vms.size(),
            total,
            refusal.unplaced(),
            u ->
                members.containsKey(u.domain())
                    ? names(members.get(u.domain()))
                        + ", kept together by rule '"
                        + u.domain().replace(PREFIX, "together ")
                        + "'"
                    : u.domain());
    return new PlacementException(message, vms);
  }

  private static String names(List<ClusterSnapshot.Domain> gang) {
    List<String> names = new ArrayList<>();
    gang.forEach(m -> names.add(m.name()));
    return String.join(" and ", names);
  }

  /**
   * Running domains joined by hard together rules, two or more on one host, in snapshot order; a
   * component spread over hosts or holding two members of one hard apart group is left out.
   */
  private static List<List<Integer>> components(ClusterSnapshot snapshot) {
    int n = snapshot.domains().size();
    int[] parent = new int[n];
    Map<String, Integer> first = new HashMap<>();
    boolean any = false;
    for (int d = 0; d < n; d++) {
      parent[d] = d;
      ClusterSnapshot.Domain domain = snapshot.domains().get(d);
      if (!domain.holdsResources()) {
        continue;
      }
      for (GroupRule rule : domain.rules().together()) {
        if (rule.strength() == Strength.HARD) {
          Integer other = first.putIfAbsent(rule.group(), d);
          if (other != null) {
            parent[find(parent, d)] = find(parent, other);
            any = true;
          }
        }
      }
    }
    if (!any) {
      return List.of();
    }
    Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
    for (int d = 0; d < n; d++) {
      if (snapshot.domains().get(d).holdsResources()) {
        byRoot.computeIfAbsent(find(parent, d), r -> new ArrayList<>()).add(d);
      }
    }
    List<List<Integer>> gangs = new ArrayList<>();
    for (List<Integer> component : byRoot.values()) {
      if (component.size() > 1
          && oneHost(snapshot, component)
          && !apartInside(snapshot, component)) {
        gangs.add(component);
      }
    }
    return gangs;
  }

  private static int find(int[] parent, int d) {
    while (parent[d] != d) {
      parent[d] = parent[parent[d]];
      d = parent[d];
    }
    return d;
  }

  private static boolean oneHost(ClusterSnapshot snapshot, List<Integer> component) {
    String host = snapshot.domains().get(component.get(0)).host();
    for (int d : component) {
      if (!snapshot.domains().get(d).host().equals(host)) {
        return false;
      }
    }
    return true;
  }

  private static boolean apartInside(ClusterSnapshot snapshot, List<Integer> component) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int d : component) {
      for (GroupRule rule : snapshot.domains().get(d).rules().apart()) {
        if (rule.strength() == Strength.HARD && !seen.add(rule.group())) {
          return true;
        }
      }
    }
    return false;
  }

  /** One domain standing for the gang: sums of the members, the union of their other rules. */
  private static ClusterSnapshot.Domain join(List<ClusterSnapshot.Domain> gang) {
    long memory = 0;
    int vcpus = 0;
    double busy = 0;
    boolean pinned = false;
    OptionalLong lastMoved = OptionalLong.empty();
    TreeSet<String> hardTogether = new TreeSet<>();
    Map<String, GroupRule> apart = new LinkedHashMap<>();
    Map<String, GroupRule> together = new LinkedHashMap<>();
    List<HostRule> hosts = new ArrayList<>();
    boolean rulesPinned = false;
    for (ClusterSnapshot.Domain member : gang) {
      memory += member.memoryBytes();
      vcpus += member.vcpus();
      busy += member.cpuUtilisation() * member.vcpus();
      pinned |= member.pinned();
      rulesPinned |= member.rules().pinned();
      if (member.lastMovedSecondsAgo().isPresent()
          && (lastMoved.isEmpty()
              || member.lastMovedSecondsAgo().getAsLong() < lastMoved.getAsLong())) {
        lastMoved = member.lastMovedSecondsAgo();
      }
      for (GroupRule rule : member.rules().apart()) {
        apart.merge(rule.group(), rule, Gangs::firmer);
      }
      for (GroupRule rule : member.rules().together()) {
        if (rule.strength() == Strength.HARD) {
          hardTogether.add(rule.group());
        } else {
          together.merge(rule.group(), rule, Gangs::firmer);
        }
      }
      for (HostRule rule : member.rules().hosts()) {
        if (!hosts.contains(rule)) {
          hosts.add(rule);
        }
      }
    }
    hardTogether.forEach(together::remove);
    PlacementRules rules;
    try {
      rules =
          new PlacementRules(
              new ArrayList<>(apart.values()),
              new ArrayList<>(together.values()),
              hosts,
              rulesPinned,
              gang.get(0).rules().restart());
    } catch (RulesFormatException e) {
      // Members whose rules cannot hold at once on any host: the gang stays where it is.
      rules = PlacementRules.NONE;
      pinned = true;
    }
    ClusterSnapshot.Domain first = gang.get(0);
    return new ClusterSnapshot.Domain(
        PREFIX + hardTogether.first(),
        first.host(),
        DomainState.RUNNING,
        memory,
        vcpus,
        vcpus == 0 ? 0 : busy / vcpus,
        rules,
        pinned,
        lastMoved);
  }

  private static GroupRule firmer(GroupRule a, GroupRule b) {
    return a.strength() == Strength.HARD ? a : b;
  }
}
