package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Reply;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.ObjectNames;

/**
 * An agent's Jolokia as the benches read and drive it, on the one XCM client: its domains with
 * their states decoded ({@link Decoding}), its migrations as records. A refusal is a {@link
 * JolokiaException} whose outcome is {@link JolokiaException.Outcome#REFUSED}.
 *
 * <pre>{@code
 * AgentJolokia agent = new AgentJolokia(BenchProcesses.jolokia().at(url));
 * for (AgentJolokia.Domain d : agent.domains()) { ... d.state() == DomainState.RUNNING ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentJolokia {
  private static final String NAME = Attributes.name(DomainMXBean.class, DomainMXBean::getName);
  private static final String UUID = Attributes.name(DomainMXBean.class, DomainMXBean::getUuid);
  private static final String STATE = Attributes.name(DomainMXBean.class, DomainMXBean::getState);
  private static final String PLACEMENT =
      Attributes.name(DomainMXBean.class, DomainMXBean::getPlacement);
  private static final String PLACEMENT_ERROR =
      Attributes.name(DomainMXBean.class, DomainMXBean::getPlacementError);
  private static final String EPOCH =
      Attributes.name(HostOperationsMXBean.class, HostOperationsMXBean::getEpoch);
  private static final String MIGRATIONS =
      Attributes.name(HostOperationsMXBean.class, HostOperationsMXBean::getMigrations);

  private final Endpoint endpoint;
  private final String where;

  public AgentJolokia(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.where = "the agent at " + endpoint.url();
  }

  /** One domain as the agent's last sample shows it. */
  public record Domain(String name, String uuid, DomainState state) {}

  public String url() {
    return endpoint.url();
  }

  /** True when its Jolokia answers a read of the host's MBean. */
  public boolean answers() throws InterruptedException {
    try {
      endpoint.send(Request.read(ObjectNames.host()));
      return true;
    } catch (JolokiaException e) {
      return false;
    }
  }

  /** Every domain defined on the host, running or not; none when it has none. */
  public List<Domain> domains() throws JolokiaException, InterruptedException {
    Optional<JsonNode> all =
        endpoint.sendIfFound(Request.read(ObjectNames.allDomains(), List.of(NAME, UUID, STATE)));
    return all.isPresent() ? decode(all.get()) : List.of();
  }

  private List<Domain> decode(JsonNode all) {
    List<Domain> domains = new ArrayList<>();
    for (JsonNode d : all) {
      domains.add(
          new Domain(
              d.path(NAME).asText(),
              d.path(UUID).asText(),
              Decoding.state(DomainState.class, d.path(STATE).asText(), where)));
    }
    return domains;
  }

  /**
   * Every domain defined on the host as libvirt has it now: a sample taken and read in one bulk
   * request, so that a reader polling several agents sees each as it is, not as of its last sample.
   */
  public List<Domain> freshDomains() throws JolokiaException, InterruptedException {
    List<Reply> replies =
        endpoint.send(
            List.of(
                Request.exec(ObjectNames.hostOperations(), "sampleNow"),
                Request.read(ObjectNames.allDomains(), List.of(NAME, UUID, STATE))));
    replies.get(0).value();
    Optional<JolokiaException> failure = replies.get(1).failure();
    if (failure.isPresent()) {
      if (failure.get().refusal() == JolokiaException.Refusal.NOT_FOUND) {
        return List.of();
      }
      throw failure.get();
    }
    return decode(replies.get(1).value());
  }

  /**
   * Every defined domain's placement rules as its libvirt metadata holds them: name → their text
   * form ({@code DomainMXBean#getPlacement}), followed by {@code " (unreadable: why)"} when they
   * cannot be read; an empty text for none.
   */
  public Map<String, String> placements() throws JolokiaException, InterruptedException {
    Optional<JsonNode> all =
        endpoint.sendIfFound(
            Request.read(ObjectNames.allDomains(), List.of(NAME, PLACEMENT, PLACEMENT_ERROR)));
    Map<String, String> rules = new TreeMap<>();
    if (all.isPresent()) {
      for (JsonNode d : all.get()) {
        String error = d.path(PLACEMENT_ERROR).asText();
        rules.put(
            d.path(NAME).asText(),
            d.path(PLACEMENT).asText() + (error.isEmpty() ? "" : " (unreadable: " + error + ")"));
      }
    }
    return rules;
  }

  /** Samples libvirt now, so that the next reads are fresh. */
  public void sampleNow() throws JolokiaException, InterruptedException {
    endpoint.send(Request.exec(ObjectNames.hostOperations(), "sampleNow"));
  }

  /**
   * Starts a live migration to the agent at {@code destinationUrl}; returns its id. No hand-over
   * ticket: the bench's agents are not enrolled, and a live migration needs none. The bench asks as
   * an operator acting directly does, with the agent's own epoch.
   */
  public String migrate(String domain, String destinationUrl)
      throws JolokiaException, InterruptedException {
    return endpoint
        .send(
            Request.exec(
                ObjectNames.hostOperations(), "migrate", domain, destinationUrl, "", epoch()))
        .asText();
  }

  /** The newest coordinator epoch the agent has seen, 1 while it has seen none. */
  private long epoch() throws JolokiaException, InterruptedException {
    return Math.max(1, endpoint.send(Request.read(ObjectNames.hostOperations(), EPOCH)).asLong());
  }

  /** The migrations this agent started, newest first (the last hour's, at most 100). */
  public List<MigrationStatus> migrations() throws JolokiaException, InterruptedException {
    List<MigrationStatus> migrations = new ArrayList<>();
    for (JsonNode m : endpoint.send(Request.read(ObjectNames.hostOperations(), MIGRATIONS))) {
      migrations.add(Decoding.record(MigrationStatus.class, m, where));
    }
    return migrations;
  }

  /** One migration this agent started, as the source, its phase and state read into enums. */
  public MigrationStatus migration(String id) throws JolokiaException, InterruptedException {
    return Decoding.record(
        MigrationStatus.class,
        endpoint.send(Request.exec(ObjectNames.hostOperations(), "migration", id)),
        where);
  }
}
