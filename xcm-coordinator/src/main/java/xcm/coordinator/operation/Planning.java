package xcm.coordinator.operation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.DrainStrategy;
import xcm.coordinator.plan.PlacementException;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.PlanRequestException;
import xcm.coordinator.plan.Planner;
import xcm.coordinator.plan.PolicySpec;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;
import xcm.mbeans.placement.PlacementRules;

/**
 * Plans on fresh samples: runs a collection round, then the planner on what it found. Both take
 * time (the round waits for the slowest agent), so nothing here holds a lock that requests share;
 * {@link Admission} checks the plan against the cluster again before it runs.
 *
 * <p>Thread-safe.
 */
final class Planning {
  private final Inventory inventory;
  private final Runnable collectNow;
  private final Planner planner;
  private final MoveOutcomes outcomes;
  private final Clock clock;
  private final long reservedMemoryBytes;
  private final PlanOptions balanceOptions;

  Planning(
      Inventory inventory,
      Runnable collectNow,
      Planner planner,
      MoveOutcomes outcomes,
      Clock clock,
      long reservedMemoryBytes,
      PlanOptions balanceOptions) {
    this.inventory = inventory;
    this.collectNow = collectNow;
    this.planner = planner;
    this.outcomes = outcomes;
    this.clock = clock;
    this.reservedMemoryBytes = reservedMemoryBytes;
    this.balanceOptions = balanceOptions;
  }

  /**
   * A balance plan with the policy as written.
   *
   * @param held domains (by UUID) no plan may move, with the hosts they move from
   * @throws IllegalArgumentException naming a bad policy or parameter
   */
  Plan balance(String policy, Map<String, String> held) {
    try {
      PolicySpec spec = PolicySpec.parse(policy);
      collectNow.run();
      return planner.balance(input(held), spec.policy(), spec.parameters(), balanceOptions);
    } catch (PlanRequestException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * A drain plan for a host: every domain placed on the others, best fit first.
   *
   * @throws IllegalArgumentException naming the domains that fit nowhere
   */
  Plan drain(String host, Map<String, String> held, boolean force) {
    collectNow.run();
    try {
      ClusterSnapshot input = input(held);
      if (force) {
        input = unpinnedOn(input, host);
      }
      // An evacuation moves everything: the cooldown only keeps balances from ping-ponging.
      return planner.drain(input, host, DrainStrategy.BEST_FIT, new PlanOptions(0));
    } catch (PlacementException e) {
      // The planner's refusal starts by naming the host too: said once.
      String lead = "cannot drain host \"" + host + "\": ";
      String why =
          e.getMessage().startsWith(lead)
              ? e.getMessage().substring(lead.length())
              : e.getMessage();
      throw new IllegalArgumentException("cannot drain host " + host + ": " + why);
    }
  }

  /** The snapshot with the rule 'pinned' dropped from the domains on the host: a forced drain. */
  private static ClusterSnapshot unpinnedOn(ClusterSnapshot snapshot, String host) {
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      PlacementRules r = d.rules();
      domains.add(
          d.host().equals(host) && r.pinned()
              ? d.withRules(
                  new PlacementRules(r.apart(), r.together(), r.hosts(), false, r.restart()))
              : d);
    }
    return new ClusterSnapshot(snapshot.hosts(), domains);
  }

  private ClusterSnapshot input(Map<String, String> held) {
    return PlanningInput.of(
        inventory.snapshot(), reservedMemoryBytes, outcomes.lastMoved(), held, clock.instant());
  }

  /** A plan as {@code xcm:type=Operation} shows it, noting the UNSETTLED moves' domains. */
  static PlanView view(Plan plan, List<JournaledMove> unsettled) {
    List<String> notes = new ArrayList<>(plan.notes());
    notes.addAll(UnsettledReasons.notes(unsettled));
    return new PlanView(
        plan.policy(),
        plan.scoreName(),
        plan.initialScore(),
        plan.finalScore(),
        plan.lowerBound(),
        plan.targetReached(),
        plan.moves().stream()
            .map(
                m ->
                    new PlannedMove(
                        m.domain(), m.from(), m.to(), m.scoreBefore(), m.scoreAfter(), m.reason()))
            .toList(),
        notes);
  }
}
