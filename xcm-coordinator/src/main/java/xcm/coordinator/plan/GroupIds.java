package xcm.coordinator.plan;

import java.util.List;
import java.util.Map;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.Strength;

/** Group names numbered in the order they are met, so rules can be kept in primitive arrays. */
final class GroupIds {
  private static final int[] NONE = new int[0];

  private GroupIds() {}

  /**
   * The numbers of the groups of one strength among the rules, numbering new names in {@code ids}.
   */
  static int[] of(List<GroupRule> rules, Strength strength, Map<String, Integer> ids) {
    int count = 0;
    for (GroupRule rule : rules) {
      count += rule.strength() == strength ? 1 : 0;
    }
    if (count == 0) {
      return NONE;
    }
    int[] out = new int[count];
    int i = 0;
    for (GroupRule rule : rules) {
      if (rule.strength() == strength) {
        out[i++] = ids.computeIfAbsent(rule.group(), g -> ids.size());
      }
    }
    return out;
  }

  /** The names by number. */
  static String[] names(Map<String, Integer> ids) {
    String[] names = new String[ids.size()];
    ids.forEach((name, id) -> names[id] = name);
    return names;
  }
}
