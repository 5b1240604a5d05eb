package xcm.coordinator.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.Attributes;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.ObjectNames;

/**
 * The agents of a move as its runner and resolver use them: operations of {@code
 * xcm:type=HostOperations}, its attributes and fresh reads of the host, each waited for on the
 * calling worker.
 *
 * <p>Thread-safe.
 */
final class AgentCalls {
  private static final ObjectMapper STATUS =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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

  /** The source agent's status of its migration {@code id}. */
  MigrationStatus migration(String url, String id) throws JolokiaException, InterruptedException {
    return status(url, exec(url, "migration", id));
  }

  /** The migrations the agent started, newest first. */
  List<MigrationStatus> migrations(String url) throws JolokiaException, InterruptedException {
    List<MigrationStatus> migrations = new ArrayList<>();
    for (JsonNode m : read(url, HostOperationsMXBean::getMigrations)) {
      migrations.add(status(url, m));
    }
    return migrations;
  }

  /**
   * A migration's status as the agent sent it, its phase, state and method read into their enums;
   * fields a newer agent adds are passed over.
   */
  private static MigrationStatus status(String url, JsonNode json) throws JolokiaException {
    try {
      return STATUS.treeToValue(json, MigrationStatus.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new JolokiaException(
          JolokiaException.Outcome.UNKNOWN,
          null,
          "agent at "
              + url
              + " answered with a migration status this coordinator cannot read: "
              + json,
          e);
    }
  }

  /** Reads the agent's host and domains, as a collection round does. */
  HostData host(String url) throws JolokiaException, InterruptedException {
    return JolokiaClient.await(Agents.host(agents, url));
  }
}
