package xcm.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.HostState;

/**
 * What the trials ask of the coordinator: a random migration, drain or balance, and activations
 * that keep hosts in service between trials. The coordinator may be a view of several, as the CLI
 * sees them: each request then goes to the active one.
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class Requests {
  private final CoordinatorJolokia coordinator;
  private final FaultAgents agents;
  private final Random random;

  Requests(CoordinatorJolokia coordinator, FaultAgents agents, Random random) {
    this.coordinator = coordinator;
    this.agents = agents;
    this.random = random;
  }

  /** A call of an operation that returns the id of the operation it started. */
  private interface Call {
    String run() throws JolokiaException, InterruptedException;
  }

  /** Asks the coordinator for a random action. */
  Action act() throws JolokiaException, InterruptedException {
    Map<String, FaultAgents.Running> running = agents.running();
    List<String> active = activeHosts();
    int kind = random.nextInt(3);
    if (kind == 0 || active.size() < 2) {
      List<String> uuids = new ArrayList<>(running.keySet());
      FaultAgents.Running domain = running.get(uuids.get(random.nextInt(uuids.size())));
      List<String> others = new ArrayList<>(active);
      others.remove(domain.host());
      if (others.isEmpty()) {
        return Action.refused("migrate: nowhere to migrate " + domain.name());
      }
      String to = others.get(random.nextInt(others.size()));
      return ask(
          "migrate " + domain.name() + " to " + to, () -> coordinator.migrate(domain.name(), to));
    }
    if (kind == 1) {
      String host = active.get(random.nextInt(active.size()));
      return ask("drain " + host, () -> coordinator.drain(host, false));
    }
    String policy = random.nextBoolean() ? "weighted" : "domain-count,target=strict";
    return ask("balance " + policy, () -> coordinator.balance(policy, false));
  }

  /** Hosts that are ACTIVE, as the coordinator sees them. */
  private List<String> activeHosts() throws JolokiaException, InterruptedException {
    List<String> active = new ArrayList<>();
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      if (host.state() == HostState.ACTIVE) {
        active.add(host.name());
      }
    }
    return active;
  }

  /** Drains leave hosts in maintenance; put them back so that the next trials have room. */
  void keepHostsInService() throws JolokiaException, InterruptedException {
    List<CoordinatorJolokia.Host> hosts = coordinator.hosts();
    long active = hosts.stream().filter(h -> h.state() == HostState.ACTIVE).count();
    if (active < 2 || random.nextInt(3) == 0) {
      for (CoordinatorJolokia.Host host : hosts) {
        if (host.state() == HostState.MAINTENANCE || host.state() == HostState.DRAINING) {
          try {
            coordinator.activate(host.name());
          } catch (JolokiaException e) {
            // A host still draining stays so; the next round puts it back.
            if (e.outcome() != JolokiaException.Outcome.REFUSED) {
              throw e;
            }
          }
        }
      }
    }
  }

  /** The coordinator may not answer: it may be the process just killed. */
  private static Action ask(String asked, Call call) throws InterruptedException {
    try {
      return Action.started(asked, call.run());
    } catch (JolokiaException e) {
      return e.outcome() == JolokiaException.Outcome.REFUSED
          ? Action.refused(asked)
          : Action.unanswered(asked);
    }
  }
}
