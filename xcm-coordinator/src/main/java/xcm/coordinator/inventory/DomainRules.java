package xcm.coordinator.inventory;

import java.util.Objects;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;

/**
 * A domain's placement rules as its agent last reported them, read from the domain's libvirt
 * metadata: the rules, or why they could not be read. A domain whose rules cannot be read — its
 * metadata written wrong by hand, say — counts as having none, and {@code error} says why, so that
 * the views can name it.
 *
 * <pre>{@code
 * DomainRules rules = DomainRules.reported("apart db; pinned", "");   // rules apart db; pinned
 * DomainRules.reported("", "<near> is not a placement rule …");      // NONE, with that error
 * }</pre>
 *
 * @param error empty when the rules were read
 */
public record DomainRules(PlacementRules rules, String error) {
  /** No rules, no error: also what an agent older than the rules reports. */
  public static final DomainRules NONE = new DomainRules(PlacementRules.NONE, "");

  /** What is kept of an error an agent reports: enough to say why, not a document. */
  static final int MAX_ERROR_CHARS = 512;

  public DomainRules {
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(error, "error");
    if (!error.isEmpty() && !rules.isEmpty()) {
      throw new IllegalArgumentException("rules that could not be read are none: " + error);
    }
  }

  /**
   * The rules an agent reported for a domain ({@code Placement} and {@code PlacementError} of its
   * {@code xcm:type=Domain}), read here again: null for both (an agent without the attributes) is
   * {@link #NONE}; an error from the agent, or text this coordinator cannot read, is no rules with
   * the reason.
   */
  public static DomainRules reported(String text, String error) {
    if (error != null && !error.isEmpty()) {
      return new DomainRules(PlacementRules.NONE, clip(error));
    }
    if (text == null || text.isBlank()) {
      return NONE;
    }
    try {
      return new DomainRules(PlacementRules.parse(text), "");
    } catch (RulesFormatException e) {
      return new DomainRules(
          PlacementRules.NONE,
          clip("the agent reports rules this coordinator cannot read: " + e.getMessage()));
    }
  }

  /** True when the rules were read. */
  public boolean readable() {
    return error.isEmpty();
  }

  private static String clip(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }
}
