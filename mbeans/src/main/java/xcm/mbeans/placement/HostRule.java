package xcm.mbeans.placement;

import java.util.Map;
import java.util.Objects;

/**
 * A VM–host rule: the hosts it names are those carrying every label of {@code labels}.
 *
 * <pre>{@code
 * HostRule licensed = new HostRule(HostRuleKind.ON, HostLabels.parse("licence=oracle"));
 * licensed.met(HostLabels.parse("licence=oracle,rack=r1"));   // true
 * }</pre>
 */
public record HostRule(HostRuleKind kind, HostLabels labels) {

  /**
   * @throws RulesFormatException when no label is given
   */
  public HostRule {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(labels, "labels");
    if (labels.asMap().isEmpty()) {
      throw new RulesFormatException("rule '" + kind.word() + "' names no label");
    }
  }

  /** True if a host carrying every label of this rule's. */
  public boolean matches(HostLabels host) {
    for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
      if (!label.getValue().equals(host.asMap().get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** True if a VM on a host with these labels keeps this rule. */
  public boolean met(HostLabels host) {
    return matches(host) == kind.wantsMatch();
  }

  @Override
  public String toString() {
    return kind.word() + " " + labels;
  }
}
