package xcm.coordinator.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.mbeans.RuleStatus;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.Strength;

/**
 * Every placement rule of a cluster and how it stands: one row per apart or together group (its
 * strength is its members' — the firmest when they disagree), one per VM–host rule and pin, and one
 * per VM whose metadata cannot be read. Only running VMs can break a rule. Pure.
 *
 * <pre>{@code
 * RulesReport report = RulesReport.of(snapshot, Map.of("vm9", "<near> is not a placement rule"));
 * report.rows();                 // [RuleStatus[rule=apart db, satisfied=false, ...], ...]
 * report.violations("apart", Strength.HARD);
 * }</pre>
 */
public record RulesReport(List<RuleStatus> rows) {

  /** The kinds of {@link RuleStatus#kind()}, in the order rows come. */
  public static final List<String> KINDS =
      List.of("apart", "together", "host", "pinned", "metadata");

  /**
   * @param errors VMs (by name) whose rules could not be read, with why
   */
  public static RulesReport of(ClusterSnapshot snapshot, Map<String, String> errors) {
    Map<String, ClusterSnapshot.Host> hosts = new HashMap<>();
    snapshot.hosts().forEach(h -> hosts.put(h.name(), h));
    List<RuleStatus> rows = new ArrayList<>();
    groups(snapshot, true, rows);
    groups(snapshot, false, rows);
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      for (HostRule rule : d.rules().hosts()) {
        ClusterSnapshot.Host host = hosts.get(d.host());
        boolean met = !d.holdsResources() || rule.met(host.labels());
        String labels = host.labels().toString();
        rows.add(
            new RuleStatus(
                rule.toString(),
                "host",
                rule.kind().strength().word(),
                List.of(d.name()),
                met,
                (met ? "" : "not met: ")
                    + d.name()
                    + (d.holdsResources() ? " runs" : " is defined")
                    + " on "
                    + d.host()
                    + " ("
                    + (labels.isEmpty() ? "no labels" : labels)
                    + ")"));
      }
    }
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.rules().pinned()) {
        rows.add(
            new RuleStatus(
                "pinned", "pinned", "hard", List.of(d.name()), true, "stays on " + d.host()));
      }
    }
    new TreeMap<>(errors)
        .forEach(
            (domain, error) ->
                rows.add(
                    new RuleStatus(
                        "metadata",
                        "metadata",
                        "hard",
                        List.of(domain),
                        false,
                        "its placement metadata cannot be read, so it is planned as having no"
                            + " rules: "
                            + error)));
    return new RulesReport(List.copyOf(rows));
  }

  /** Rules of the kind and strength broken now. */
  public int violations(String kind, Strength strength) {
    int n = 0;
    for (RuleStatus row : rows) {
      if (!row.satisfied() && row.kind().equals(kind) && row.strength().equals(strength.word())) {
        n++;
      }
    }
    return n;
  }

  /** Rules of the strength broken now, of every kind. */
  public int violations(Strength strength) {
    int n = 0;
    for (String kind : KINDS) {
      n += violations(kind, strength);
    }
    return n;
  }

  private static void groups(ClusterSnapshot snapshot, boolean apart, List<RuleStatus> rows) {
    Map<String, List<ClusterSnapshot.Domain>> members = new TreeMap<>();
    Map<String, Strength> strength = new HashMap<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      for (GroupRule rule : apart ? d.rules().apart() : d.rules().together()) {
        members.computeIfAbsent(rule.group(), g -> new ArrayList<>()).add(d);
        strength.merge(rule.group(), rule.strength(), (a, b) -> a == Strength.HARD ? a : b);
      }
    }
    String word = apart ? "apart" : "together";
    for (Map.Entry<String, List<ClusterSnapshot.Domain>> group : members.entrySet()) {
      Map<String, List<String>> byHost = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      for (ClusterSnapshot.Domain d : group.getValue()) {
        names.add(d.name());
        if (d.holdsResources()) {
          byHost.computeIfAbsent(d.host(), h -> new ArrayList<>()).add(d.name());
        }
      }
      String reason = apart ? apartReason(byHost) : togetherReason(byHost);
      rows.add(
          new RuleStatus(
              word + " " + group.getKey(),
              word,
              strength.get(group.getKey()).word(),
              List.copyOf(names),
              reason.isEmpty(),
              reason.isEmpty()
                  ? (apart
                      ? "every running member on its own host"
                      : "all running members share a host")
                  : reason));
    }
  }

  private static String apartReason(Map<String, List<String>> byHost) {
    List<String> shared = new ArrayList<>();
    new TreeMap<>(byHost)
        .forEach(
            (host, names) -> {
              if (names.size() > 1) {
                shared.add(String.join(" and ", names) + " share " + host);
              }
            });
    return String.join("; ", shared);
  }

  private static String togetherReason(Map<String, List<String>> byHost) {
    if (byHost.size() <= 1) {
      return "";
    }
    List<String> where = new ArrayList<>();
    new TreeMap<>(byHost)
        .forEach((host, names) -> where.add(String.join(", ", names) + " on " + host));
    return "spread over " + byHost.size() + " hosts: " + String.join("; ", where);
  }
}
