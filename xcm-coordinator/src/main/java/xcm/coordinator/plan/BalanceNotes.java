package xcm.coordinator.plan;

import java.util.List;

/** The remarks every balance plan carries about what it left alone on purpose. */
final class BalanceNotes {
  private BalanceNotes() {}

  static void ignored(
      ClusterSnapshot snapshot, Placement placement, int onInactiveHosts, List<String> notes) {
    int shutOff = 0;
    int pinned = 0;
    int held = 0;
    int cooling = 0;
    for (int d = 0; d < placement.domainCount(); d++) {
      ClusterSnapshot.Domain domain = snapshot.domains().get(d);
      if (!placement.holdsResources(d)) {
        shutOff++;
      } else if (domain.rules().pinned()) {
        pinned++;
      } else if (domain.pinned()) {
        held++;
      } else if (placement.options().coolingDown(domain)) {
        cooling++;
      }
    }
    if (shutOff > 0) {
      notes.add(shutOff + " domains hold no resources (shut off, crashed): ignored");
    }
    if (onInactiveHosts > 0) {
      notes.add(onInactiveHosts + " domains on hosts that are not ACTIVE: not counted, not moved");
    }
    if (pinned > 0) {
      notes.add(pinned + " domains pinned by their rules stay");
    }
    if (held > 0) {
      notes.add(held + " domains held (moving now, or moved by this plan already) stay");
    }
    if (cooling > 0) {
      notes.add(
          cooling
              + " domains moved within the "
              + placement.options().cooldownSeconds()
              + " s cooldown stay");
    }
  }
}
