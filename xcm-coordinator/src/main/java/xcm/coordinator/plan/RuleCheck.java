package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.Strength;

/**
 * Placement rules checked against a cluster, outside any plan: whether an operator's migration
 * breaks a hard rule, and whether rules about to be set on a VM can hold at all together with the
 * others' rules. Pure: snapshot in, answer out.
 *
 * <pre>{@code
 * RuleCheck.migrationBreaks(snapshot, "db2", "h1");  // Optional[host h1 already holds db1 of its rule 'apart db']
 * RuleCheck.conflicts(snapshot, "db2", PlacementRules.parse("together db; apart db"));
 * }</pre>
 */
public final class RuleCheck {
  private RuleCheck() {}

  /**
   * The hard rule a move of the domain to the host would break, naming it and the VM in the way;
   * empty when none would. Capacity, host state and the like are not rules and not checked here.
   *
   * @throws IllegalArgumentException when the domain or the host is not in the snapshot
   */
  public static Optional<String> migrationBreaks(
      ClusterSnapshot snapshot, String domain, String toHost) {
    Placement placement = new Placement(snapshot, new PlanOptions(0));
    int d = placement.domainIndex(domain);
    int to = placement.hostIndex(toHost);
    if (d < 0 || to < 0) {
      throw new IllegalArgumentException(
          (d < 0 ? "domain " + domain : "host " + toHost) + " is not in the cluster");
    }
    if (snapshot.domains().get(d).rules().pinned()) {
      return Optional.of("its rules pin it (rule 'pinned')");
    }
    return Optional.ofNullable(placement.rules().refusal(d, to, placement, false));
  }

  /**
   * Why the rules cannot hold if set on the domain, given every other VM's rules and the ACTIVE
   * hosts: a group kept both together and apart by hard rules, hard host rules no ACTIVE host meets
   * (for the VM, or for a hard together group as a whole), a hard together group larger than any
   * ACTIVE host, a hard apart group with more running members than ACTIVE hosts, a group that its
   * members call hard and soft at once. Empty when the rules can hold.
   */
  public static List<String> conflicts(
      ClusterSnapshot snapshot, String domain, PlacementRules rules) {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    ClusterSnapshot.Domain self = null;
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.name().equals(domain)) {
        self = d.withRules(rules);
        domains.add(self);
      } else {
        domains.add(d);
      }
    }
    if (self == null) {
      throw new IllegalArgumentException("domain " + domain + " is not in the cluster");
    }
    List<ClusterSnapshot.Host> active =
        snapshot.hosts().stream().filter(h -> h.state() == HostState.ACTIVE).toList();
    List<String> problems = new ArrayList<>();
    strengths(domains, self, problems);
    for (GroupRule together : rules.together()) {
      if (together.strength() != Strength.HARD) {
        continue;
      }
      List<ClusterSnapshot.Domain> members = members(domains, together, false);
      for (GroupRule apart : rules.apart()) {
        if (apart.strength() != Strength.HARD) {
          continue;
        }
        for (ClusterSnapshot.Domain other : members) {
          if (other != self && has(other.rules().apart(), apart.group(), true)) {
            problems.add(
                "rules 'together "
                    + together.group()
                    + "' and 'apart "
                    + apart.group()
                    + "' contradict each other: "
                    + domain
                    + " and "
                    + other.name()
                    + " would have to share a host and not share one");
          }
        }
      }
      long memory = 0;
      List<HostRule> hostRules = new ArrayList<>();
      for (ClusterSnapshot.Domain member : members) {
        memory += member.holdsResources() ? member.memoryBytes() : 0;
        member.rules().hosts().stream()
            .filter(r -> r.kind().strength() == Strength.HARD)
            .forEach(hostRules::add);
      }
      long largest = active.stream().mapToLong(ClusterSnapshot.Host::capacityBytes).max().orElse(0);
      if (memory > largest) {
        problems.add(
            "rule 'together "
                + together.group()
                + "': its running members need "
                + mib(memory)
                + " on one host and the largest ACTIVE host has "
                + mib(largest));
      }
      if (!hostRules.isEmpty() && active.stream().noneMatch(h -> meetsAll(h, hostRules))) {
        problems.add(
            "rule 'together "
                + together.group()
                + "': no ACTIVE host meets the host rules of all its members ("
                + describe(hostRules)
                + ")");
      }
    }
    for (GroupRule apart : rules.apart()) {
      if (apart.strength() != Strength.HARD) {
        continue;
      }
      long running =
          members(domains, apart, true).stream()
              .filter(ClusterSnapshot.Domain::holdsResources)
              .count();
      if (running > active.size()) {
        problems.add(
            "rule 'apart "
                + apart.group()
                + "': "
                + running
                + " running members need as many hosts and "
                + active.size()
                + " are ACTIVE");
      }
    }
    List<HostRule> own =
        rules.hosts().stream().filter(r -> r.kind().strength() == Strength.HARD).toList();
    if (!own.isEmpty() && active.stream().noneMatch(h -> meetsAll(h, own))) {
      TreeSet<String> labels = new TreeSet<>();
      active.forEach(
          h ->
              labels.add(
                  h.name()
                      + " ("
                      + (h.labels().asMap().isEmpty() ? "no labels" : h.labels().toString())
                      + ")"));
      problems.add(
          "no ACTIVE host meets "
              + describe(own)
              + "; the ACTIVE hosts are "
              + String.join(", ", labels));
    }
    return problems;
  }

  /** A group its members call hard and soft at once: the operator must say which. */
  private static void strengths(
      List<ClusterSnapshot.Domain> domains, ClusterSnapshot.Domain self, List<String> problems) {
    Map<String, Strength> own = new TreeMap<>();
    self.rules().apart().forEach(g -> own.put("apart " + g.group(), g.strength()));
    self.rules().together().forEach(g -> own.put("together " + g.group(), g.strength()));
    for (ClusterSnapshot.Domain other : domains) {
      if (other == self) {
        continue;
      }
      List<String[]> theirs = new ArrayList<>();
      other
          .rules()
          .apart()
          .forEach(g -> theirs.add(new String[] {"apart " + g.group(), g.strength().word()}));
      other
          .rules()
          .together()
          .forEach(g -> theirs.add(new String[] {"together " + g.group(), g.strength().word()}));
      for (String[] rule : theirs) {
        Strength mine = own.remove(rule[0]);
        if (mine != null && !mine.word().equals(rule[1])) {
          problems.add(
              "rule '"
                  + rule[0]
                  + "' would be "
                  + mine.word()
                  + " for "
                  + self.name()
                  + " and is "
                  + rule[1]
                  + " for "
                  + other.name()
                  + ": a group is hard or soft for all its members");
        }
      }
    }
  }

  private static List<ClusterSnapshot.Domain> members(
      List<ClusterSnapshot.Domain> domains, GroupRule group, boolean apart) {
    List<ClusterSnapshot.Domain> members = new ArrayList<>();
    for (ClusterSnapshot.Domain d : domains) {
      if (has(apart ? d.rules().apart() : d.rules().together(), group.group(), true)) {
        members.add(d);
      }
    }
    return members;
  }

  private static boolean has(List<GroupRule> rules, String group, boolean hardOnly) {
    for (GroupRule rule : rules) {
      if (rule.group().equals(group) && (!hardOnly || rule.strength() == Strength.HARD)) {
        return true;
      }
    }
    return false;
  }

  private static boolean meetsAll(ClusterSnapshot.Host host, List<HostRule> rules) {
    return rules.stream().allMatch(r -> r.met(host.labels()));
  }

  private static String describe(List<HostRule> rules) {
    List<String> text = new ArrayList<>();
    rules.forEach(r -> text.add("'" + r + "'"));
    return String.join(" and ", new TreeSet<>(text));
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
