package xcm.coordinator.migration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.Attributes;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.ObjectNames;

/**
 * The agents of a move as its runner and resolver use them: operations of {@code
 * xcm:type=HostOperations}, its attributes and fresh reads of the host, each waited for on the
 * calling worker.
 *
 * <p>Thread-safe.
 */
final class AgentCalls {
  private final JolokiaClient agents;

  AgentCalls(JolokiaClient agents) {
    this.agents = agents;
  }

  /** Executes an operation of the agent's {@code xcm:type=HostOperations}; returns its result. */
  JsonNode exec(String url, String operation, Object... arguments)
      throws JolokiaException, InterruptedException {
    return agents.send(url, Request.exec(ObjectNames.hostOperations(), operation, arguments));
  }

  /** Reads one attribute of the agent's {@code xcm:type=HostOperations}. */
  JsonNode read(String url, Function<HostOperationsMXBean, ?> attribute)
      throws JolokiaException, InterruptedException {
    return agents.send(
        url,
        Request.read(
            ObjectNames.hostOperations(), Attributes.name(HostOperationsMXBean.class, attribute)));
  }

  /** Reads the agent's host and domains, as a collection round does. */
  HostData host(String url) throws JolokiaException, InterruptedException {
    return JolokiaClient.await(Agents.host(agents, url));
  }
}
