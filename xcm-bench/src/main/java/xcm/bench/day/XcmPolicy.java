package xcm.bench.day;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.coordinator.balancing.BalancerSettings;
import xcm.coordinator.balancing.ContinuousBalancer;
import xcm.coordinator.balancing.DemandTracker;
import xcm.coordinator.balancing.PowerAction;
import xcm.coordinator.balancing.PowerSaver;
import xcm.coordinator.balancing.PowerSettings;
import xcm.coordinator.balancing.RoundDecision;
import xcm.coordinator.balancing.RoundResult;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;

/**
 * XCM as the coordinator runs it: {@link DemandTracker} fed every minute, and every round the
 * power-saving policy first (when on), then the continuous balancer, on a snapshot of smoothed
 * demand; a round is skipped while migrations of an earlier one are queued or running, as the
 * coordinator's admission skips it beside another operation.
 */
final class XcmPolicy implements DayPolicy {
  private final String name;
  private final BalancerSettings settings;
  private final PowerSettings power;
  private final DemandTracker tracker;
  private final ContinuousBalancer balancer;
  private final PowerSaver saver;
  private final ArrayDeque<Integer> moveMinutes = new ArrayDeque<>();
  private final Map<RoundResult, Integer> results = new EnumMap<>(RoundResult.class);
  private Map<String, Integer> hostIndex;

  XcmPolicy(String name, Planner planner, BalancerSettings settings, PowerSettings power) {
    this.name = name;
    this.settings = settings;
    this.power = power;
    tracker = new DemandTracker(settings.window());
    balancer = new ContinuousBalancer(planner);
    saver = new PowerSaver(planner);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int intervalMinutes() {
    return (int) settings.interval().toMinutes();
  }

  @Override
  public void observe(SimCluster cluster) {
    long at = (cluster.minute() + 1) * 60_000L;
    for (int v = 0; v < cluster.vmCount(); v++) {
      tracker.observe(cluster.trace().vms().get(v).name(), cluster.demand(v), at);
    }
  }

  @Override
  public void round(SimCluster cluster) {
    if (!cluster.idle()) {
      results.merge(RoundResult.BUSY, 1, Integer::sum);
      return;
    }
    if (hostIndex == null) {
      hostIndex = new HashMap<>();
      for (int h = 0; h < cluster.hostCount(); h++) {
        hostIndex.put(cluster.trace().hosts().get(h).name(), h);
      }
    }
    Map<String, Double> deviations = new HashMap<>();
    ClusterSnapshot snapshot =
        SimSnapshot.of(
            cluster,
            v -> {
              DayTrace.Vm vm = cluster.trace().vms().get(v);
              DemandTracker.Demand demand = tracker.estimate(vm.name(), cluster.demand(v));
              deviations.put(vm.name(), demand.deviation());
              return demand.mean();
            });
    Map<String, Integer> vmIndex = vmIndex(cluster);
    if (power.enabled()) {
      PowerAction action =
          saver.decide(
              snapshot, deviations, power, new PlanOptions(settings.cooldown().toSeconds()));
      if (action instanceof PowerAction.Evacuate evacuate) {
        cluster.evacuate(hostIndex.get(evacuate.host()));
        queue(cluster, evacuate.plan().moves(), vmIndex);
        return;
      }
      if (action instanceof PowerAction.Wake wake) {
        wake.hosts().forEach(h -> cluster.wake(hostIndex.get(h)));
        return;
      }
    }
    int minute = cluster.minute();
    while (!moveMinutes.isEmpty() && moveMinutes.peekFirst() <= minute - 60) {
      moveMinutes.removeFirst();
    }
    RoundDecision decision = balancer.decide(snapshot, deviations, settings, moveMinutes.size());
    results.merge(decision.result(), 1, Integer::sum);
    if (decision.result() == RoundResult.MOVED || decision.result() == RoundResult.MENDED) {
      queue(cluster, decision.moves(), vmIndex);
      decision.moves().forEach(m -> moveMinutes.addLast(minute));
    }
  }

  /** How the rounds ended, e.g. {@code moved 40, no_gain 200}. */
  String rounds() {
    List<String> parts = new ArrayList<>();
    results.forEach((r, n) -> parts.add(r.label() + " " + n));
    return String.join(", ", parts);
  }

  private void queue(SimCluster cluster, List<Move> moves, Map<String, Integer> vmIndex) {
    for (Move move : moves) {
      cluster.migrate(vmIndex.get(move.domain()), hostIndex.get(move.to()));
    }
  }

  private Map<String, Integer> vmIndex(SimCluster cluster) {
    Map<String, Integer> index = new HashMap<>();
    for (int v = 0; v < cluster.vmCount(); v++) {
      index.put(cluster.trace().vms().get(v).name(), v);
    }
    return index;
  }
}
