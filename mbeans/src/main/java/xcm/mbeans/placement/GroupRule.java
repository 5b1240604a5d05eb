package xcm.mbeans.placement;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A VM's membership of a VM–VM group: every VM naming the same group in an {@code apart} rule runs
 * on a different host, every VM naming it in a {@code together} rule on the same host.
 *
 * @param group 1 to 63 letters, digits, {@code .}, {@code _} or {@code -}
 */
public record GroupRule(String group, Strength strength) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");

  /**
   * @throws RulesFormatException naming the group when its name is outside the characters above
   */
  public GroupRule {
    Objects.requireNonNull(strength, "strength");
    if (group == null || !NAME.matcher(group).matches()) {
      throw new RulesFormatException(
          "group name '"
              + (group == null ? null : PlacementRules.clip(group))
              + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
    }
  }
}
