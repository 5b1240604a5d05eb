package xcm.mbeans.placement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where one VM may run, as its operator said: VM–VM groups it is kept {@code apart} from or {@code
 * together} with, VM–host rules on host labels, whether XCM may move it at all, and its restart
 * priority after a host failure. Kept in the VM's own libvirt definition ({@link PlacementXml}), so
 * the rules travel with it.
 *
 * <p>The text form, used by the CLI, the MBeans and the views, is clauses separated by {@code ;}:
 *
 * <pre>{@code
 * apart db; together app soft; on rack=r1,ssd=true; not-on zone=b; prefer ssd=true; avoid rack=r3;
 * pinned; restart high
 * }</pre>
 *
 * A group rule is hard unless it says {@code soft}; {@code on} and {@code not-on} are hard, {@code
 * prefer} and {@code avoid} soft. Restart priority is {@code medium} unless said.
 *
 * <p>Immutable. Rules that contradict themselves (on and not-on the same labels, one label asked
 * with two values) are refused on construction.
 */
public record PlacementRules(
    List<GroupRule> apart,
    List<GroupRule> together,
    List<HostRule> hosts,
    boolean pinned,
    RestartPriority restart) {

  public static final PlacementRules NONE =
      new PlacementRules(List.of(), List.of(), List.of(), false, RestartPriority.MEDIUM);

  /** At most this many rules of each kind on one VM. */
  public static final int MAX_RULES = 16;

  /**
   * @throws RulesFormatException naming the rule: a group named twice, too many rules, or host
   *     rules no host can meet together
   */
  public PlacementRules {
    apart = List.copyOf(apart);
    together = List.copyOf(together);
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(restart, "restart");
    checkGroups("apart", apart);
    checkGroups("together", together);
    if (hosts.size() > MAX_RULES) {
      throw new RulesFormatException(
          hosts.size() + " host rules: at most " + MAX_RULES + " on one VM");
    }
    checkHostRules(hosts);
  }

  /** True if it says nothing beyond the defaults. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** Reads the text form (see the class comment); blank text is {@link #NONE}. */
  public static PlacementRules parse(String text) {
    Objects.requireNonNull(text, "text");
    List<GroupRule> apart = new ArrayList<>();
    List<GroupRule> together = new ArrayList<>();
    List<HostRule> hosts = new ArrayList<>();
    boolean pinned = false;
    RestartPriority restart = null;
    for (String raw : text.split("[;\n]", -1)) {
      String clause = clip(raw.strip());
      if (clause.isEmpty()) {
        continue;
      }
      String[] words = raw.strip().split("\\s+", 2);
      String rest = words.length > 1 ? words[1].strip() : "";
      switch (words[0]) {
        case "apart" -> apart.add(groupRule(clause, rest));
        case "together" -> together.add(groupRule(clause, rest));
        case "pinned" -> {
          if (!rest.isEmpty()) {
            throw new RulesFormatException("rule '" + clause + "': pinned takes nothing after it");
          }
          pinned = true;
        }
        case "restart" -> {
          if (restart != null) {
            throw new RulesFormatException("rule '" + clause + "': restart is given twice");
          }
          restart = RestartPriority.ofWord(rest);
          if (restart == null) {
            throw new RulesFormatException(
                "rule '" + clause + "': restart takes high, medium, low or never");
          }
        }
        default -> {
          HostRuleKind kind = HostRuleKind.ofWord(words[0]);
          if (kind == null) {
            throw new RulesFormatException(
                "rule '"
                    + clause
                    + "' starts with none of apart, together, on, not-on, prefer, avoid, pinned,"
                    + " restart");
          }
          hosts.add(new HostRule(kind, labels(clause, rest)));
        }
      }
    }
    return new PlacementRules(
        apart, together, hosts, pinned, restart == null ? RestartPriority.MEDIUM : restart);
  }

  /**
   * Rules can be typed by anyone who may set them: what is quoted back in an error is kept short.
   */
  static String clip(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }

  static GroupRule groupRule(String clause, String rest) {
    String[] words = rest.split("\\s+");
    if (rest.isEmpty() || words.length > 2) {
      throw new RulesFormatException(
          "rule '" + clause + "' must be a group name, then hard or soft if you like");
    }
    Strength strength = Strength.HARD;
    if (words.length == 2) {
      if (words[1].equals("soft")) {
        strength = Strength.SOFT;
      } else if (!words[1].equals("hard")) {
        throw new RulesFormatException(
            "rule '" + clause + "': '" + clip(words[1]) + "' is neither hard nor soft");
      }
    }
    return new GroupRule(words[0], strength);
  }

  static HostLabels labels(String clause, String text) {
    try {
      return HostLabels.parse(text);
    } catch (RulesFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RulesFormatException("rule '" + clause + "': " + e.getMessage());
    }
  }

  /** The text form, in a fixed order, that {@link #parse} reads back to an equal value. */
  @Override
  public String toString() {
    List<String> clauses = new ArrayList<>();
    for (GroupRule rule : apart) {
      clauses.add(groupText("apart", rule));
    }
    for (GroupRule rule : together) {
      clauses.add(groupText("together", rule));
    }
    for (HostRule rule : hosts) {
      clauses.add(rule.toString());
    }
    if (pinned) {
      clauses.add("pinned");
    }
    if (restart != RestartPriority.MEDIUM) {
      clauses.add("restart " + restart.word());
    }
    return String.join("; ", clauses);
  }

  private static String groupText(String word, GroupRule rule) {
    return word + " " + rule.group() + (rule.strength() == Strength.SOFT ? " soft" : "");
  }

  private static void checkGroups(String word, List<GroupRule> rules) {
    if (rules.size() > MAX_RULES) {
      throw new RulesFormatException(
          rules.size() + " " + word + " rules: at most " + MAX_RULES + " on one VM");
    }
    Set<String> seen = new HashSet<>();
    for (GroupRule rule : rules) {
      if (!seen.add(rule.group())) {
        throw new RulesFormatException(word + " group '" + rule.group() + "' is named twice");
      }
    }
  }

  /**
   * Refuses hard host rules that no host could meet at once: two {@code on} rules asking one label
   * for two values, or a {@code not-on} whose labels an {@code on} rule asks for already.
   */
  private static void checkHostRules(List<HostRule> rules) {
    java.util.TreeMap<String, String> required = new java.util.TreeMap<>();
    for (HostRule rule : rules) {
      if (rule.kind() != HostRuleKind.ON) {
        continue;
      }
      for (Map.Entry<String, String> label : rule.labels().asMap().entrySet()) {
        String before = required.putIfAbsent(label.getKey(), label.getValue());
        if (before != null && !before.equals(label.getValue())) {
          throw new RulesFormatException(
              "rules 'on "
                  + label.getKey()
                  + "="
                  + before
                  + "' and 'on "
                  + label.getKey()
                  + "="
                  + label.getValue()
                  + "' contradict each other: a host has one value for '"
                  + label.getKey()
                  + "'");
        }
      }
    }
    HostLabels onEveryAllowedHost = new HostLabels(required);
    for (HostRule rule : rules) {
      if (rule.kind() == HostRuleKind.NOT_ON
          && !required.isEmpty()
          && rule.matches(onEveryAllowedHost)) {
        throw new RulesFormatException(
            "rule '"
                + rule
                + "' forbids every host the 'on' rules allow (each carries "
                + onEveryAllowedHost
                + ")");
      }
    }
  }
}
