package xcm.bench.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xcm.bench.AgentJolokia;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.HostState;

/**
 * What fuzzing must not change: the operations that exist, each host's state, each domain's host
 * and placement rules, the hosts enrolled; and how many enrolment requests wait, which must stay
 * within the waiting room's bound.
 *
 * @param placement domain name → the host whose agent defines it
 * @param rules domain name → its placement rules as its libvirt metadata holds them, read from its
 *     agent ({@link AgentJolokia#placements})
 * @param enrolled the names of the hosts enrolled, as {@code xcm:type=Enrolment} lists them
 * @param pending enrolment requests waiting for an operator
 */
record ClusterState(
    List<String> operations,
    Map<String, HostState> hostStates,
    Map<String, String> placement,
    Map<String, String> rules,
    List<String> enrolled,
    int pending) {
  /** The most requests the coordinator's waiting room keeps. */
  static final int MAX_PENDING = 256;

  /** Reads it from the coordinator and every agent ({@code agents}: host name → its agent). */
  static ClusterState read(CoordinatorJolokia coordinator, Map<String, AgentJolokia> agents)
      throws JolokiaException, InterruptedException {
    List<String> operations = coordinator.operations();
    Map<String, HostState> states = new TreeMap<>();
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      states.put(host.name(), host.state());
    }
    Map<String, String> placement = new TreeMap<>();
    Map<String, String> rules = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : agents.entrySet()) {
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        placement.put(d.name(), agent.getKey());
      }
      rules.putAll(agent.getValue().placements());
    }
    List<String> enrolled =
        coordinator.enrolled().stream().map(EnrolledHost::host).sorted().toList();
    return new ClusterState(
        operations, states, placement, rules, enrolled, coordinator.pendingCount());
  }

  /** Null when nothing changed, else what did. */
  String changeTo(ClusterState now) {
    if (!now.operations.isEmpty()) {
      return "operations were started: " + now.operations;
    }
    if (!now.hostStates.equals(hostStates)) {
      return "hosts changed from " + hostStates + " to " + now.hostStates;
    }
    if (!now.placement.equals(placement)) {
      return "domains moved from " + placement + " to " + now.placement;
    }
    if (!now.rules.equals(rules)) {
      return "placement rules changed from " + rules + " to " + now.rules;
    }
    if (!now.enrolled.equals(enrolled)) {
      return "hosts enrolled changed from " + enrolled + " to " + now.enrolled;
    }
    if (now.pending > MAX_PENDING) {
      return now.pending + " enrolment requests wait, over the bound of " + MAX_PENDING;
    }
    return null;
  }

  String describe() {
    return "no operation, hosts "
        + hostStates
        + ", "
        + placement.size()
        + " domains in place with their placement rules ("
        + rules.values().stream().filter(r -> !r.isEmpty()).count()
        + " have some), hosts enrolled "
        + enrolled
        + ", processes alive";
  }
}
