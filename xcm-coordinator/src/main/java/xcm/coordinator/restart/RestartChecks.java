package xcm.coordinator.restart;

import java.util.Optional;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.migration.MoveRequest;

/**
 * The last look before a restart starts its domain, on the cluster as last collected: planned a
 * while ago, the restart must not start a domain that runs somewhere now, nor one whose host came
 * back (powered on again: its copy is the one that counts).
 */
public final class RestartChecks {
  private RestartChecks() {}

  /** Why {@code move} must not start now; empty when it may. */
  public static Optional<String> refusal(ClusterSnapshot cluster, MoveRequest move) {
    HostRecord source = cluster.host(move.from());
    if (source == null) {
      return Optional.of("host " + move.from() + " is no member any more");
    }
    if (source.failure() == null || !source.failure().fenced()) {
      return Optional.of("host " + move.from() + " is " + source.state() + ", not fenced");
    }
    if (source.reachable() && source.missedRounds() == 0) {
      return Optional.of("host " + move.from() + " answers again: its copy counts");
    }
    for (HostRecord h : cluster.hosts().values()) {
      if (h.data() == null || h.removedAt() != null || h.name().equals(move.to())) {
        continue;
      }
      for (DomainData d : h.data().domains()) {
        if (d.uuid().equals(move.uuid()) && d.active()) {
          return Optional.of("it runs on " + h.name());
        }
      }
    }
    return Optional.empty();
  }
}
