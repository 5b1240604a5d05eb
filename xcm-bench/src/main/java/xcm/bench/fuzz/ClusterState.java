package xcm.bench.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xcm.bench.AgentJolokia;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.HostState;

/**
 * What fuzzing must not change: the operations that exist, each host's state, each domain's host.
 *
 * @param placement domain name → the host whose agent defines it
 */
record ClusterState(
    List<String> operations, Map<String, HostState> hostStates, Map<String, String> placement) {

  /** Reads it from the coordinator and every agent ({@code agents}: host name → its agent). */
  static ClusterState read(CoordinatorJolokia coordinator, Map<String, AgentJolokia> agents)
      throws JolokiaException, InterruptedException {
    List<String> operations = coordinator.operations();
    Map<String, HostState> states = new TreeMap<>();
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      states.put(host.name(), host.state());
    }
    Map<String, String> placement = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : agents.entrySet()) {
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        placement.put(d.name(), agent.getKey());
      }
    }
    return new ClusterState(operations, states, placement);
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
    return null;
  }

  String describe() {
    return "no operation, hosts "
        + hostStates
        + ", "
        + placement.size()
        + " domains in place, processes alive";
  }
}
