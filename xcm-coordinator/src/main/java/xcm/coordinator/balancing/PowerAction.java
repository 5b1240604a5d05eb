package xcm.coordinator.balancing;

import java.util.List;
import xcm.coordinator.plan.Plan;

/** What the power-saving policy decided in a round. */
public sealed interface PowerAction {
  /** Why, in one line, for the views and the audit log. */
  String reason();

  /** Nothing to do. */
  record Hold(String reason) implements PowerAction {}

  /** Empty this host with this plan, then put it in STANDBY. */
  record Evacuate(String host, Plan plan, String reason) implements PowerAction {}

  /**
   * Bring these STANDBY hosts back to ACTIVE (powering them on through their hook first): as many
   * as bring peak demand back within the targets, so that a morning's rise wakes its hosts at once.
   */
  record Wake(List<String> hosts, String reason) implements PowerAction {
    public Wake {
      hosts = List.copyOf(hosts);
    }
  }
}
