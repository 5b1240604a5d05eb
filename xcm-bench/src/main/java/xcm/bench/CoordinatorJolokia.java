package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.ClusterMXBean;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.EnrolmentMXBean;
import xcm.mbeans.HostState;
import xcm.mbeans.HostSummary;
import xcm.mbeans.LeadershipMXBean;
import xcm.mbeans.MoveStatus;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationMXBean;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;
import xcm.mbeans.OperationsMXBean;

/**
 * A coordinator's Jolokia as the benches read and drive it, on the one XCM client: attributes named
 * through the MXBean interfaces, states decoded to their enums ({@link Decoding}), operations
 * carried out with the client's typed outcome. A refusal is a {@link JolokiaException} whose
 * outcome is {@link JolokiaException.Outcome#REFUSED}.
 *
 * <pre>{@code
 * CoordinatorJolokia coordinator = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
 * String id = coordinator.drain("dmz01", false);
 * while (coordinator.progress(id).state() == OperationState.RUNNING) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CoordinatorJolokia {
  private static final String HOSTS = Attributes.name(ClusterMXBean.class, ClusterMXBean::getHosts);
  private static final String HOST_COUNT =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getHostCount);
  private static final String ACTIVE_HOST_COUNT =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getActiveHostCount);
  private static final String DOMAIN_COUNT =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getDomainCount);
  private static final String DEFINITIONS_KEPT =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getDefinitionsKept);
  private static final String COLLECT_ROUNDS =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getCollectRounds);
  private static final String LAST_COLLECT_DURATION =
      Attributes.name(ClusterMXBean.class, ClusterMXBean::getLastCollectDurationSeconds);
  private static final String HOST_URL =
      Attributes.name(ClusterHostMXBean.class, ClusterHostMXBean::getUrl);
  private static final String ENROLLED =
      Attributes.name(EnrolmentMXBean.class, EnrolmentMXBean::getEnrolled);
  private static final String PENDING =
      Attributes.name(EnrolmentMXBean.class, EnrolmentMXBean::getPending);
  private static final String UNSETTLED_MOVES =
      Attributes.name(OperationsMXBean.class, OperationsMXBean::getUnsettledMoves);
  private static final String RECOVERING =
      Attributes.name(OperationsMXBean.class, OperationsMXBean::isRecovering);
  private static final String STATE =
      Attributes.name(OperationMXBean.class, OperationMXBean::getState);
  private static final String ID = Attributes.name(OperationMXBean.class, OperationMXBean::getId);
  private static final String KIND =
      Attributes.name(OperationMXBean.class, OperationMXBean::getKind);
  private static final String SUMMARY =
      Attributes.name(OperationMXBean.class, OperationMXBean::getSummary);
  private static final String REQUESTED_BY =
      Attributes.name(OperationMXBean.class, OperationMXBean::getRequestedBy);
  private static final String STARTED =
      Attributes.name(OperationMXBean.class, OperationMXBean::getStartedEpochMillis);
  private static final String FINISHED =
      Attributes.name(OperationMXBean.class, OperationMXBean::getFinishedEpochMillis);
  private static final String ROLE =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::getRole);
  private static final String ACTING =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::isActing);
  private static final String EPOCH =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::getEpoch);
  private static final String ACTIVE_COORDINATOR =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::getActiveCoordinator);
  private static final String DURATION =
      Attributes.name(OperationMXBean.class, OperationMXBean::getDurationSeconds);
  private static final String MOVES_DONE =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesDone);
  private static final String MOVES =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMoves);
  private static final String ERRORS =
      Attributes.name(OperationMXBean.class, OperationMXBean::getErrors);

  private final Endpoint endpoint;
  private final String where;

  public CoordinatorJolokia(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.where = "the coordinator at " + endpoint.url();
  }

  /** One row of the summary view's hosts. */
  public record Host(String name, HostState state) {}

  /** The collection's counters, read at once: rounds so far, the last one's wall time. */
  public record Collection(long rounds, double lastRoundSeconds, int activeHosts) {}

  /** Where an operation stands, and for how long it ran (so far, while it runs). */
  public record Progress(OperationState state, double durationSeconds) {}

  /** An operation as {@code xcm:type=Operation} shows it. */
  public record Operation(
      OperationState state,
      double durationSeconds,
      int movesDone,
      List<MoveStatus> moves,
      List<String> errors) {}

  /**
   * One operation in brief, as {@code xcm:type=Operation} shows it.
   *
   * @param finishedEpochMillis when it ended; 0 while it runs
   */
  public record OperationRow(
      String id,
      OperationType kind,
      String summary,
      String requestedBy,
      OperationState state,
      long startedEpochMillis,
      long finishedEpochMillis) {}

  /**
   * Its part in the lease, as {@code xcm:type=Leadership} shows it.
   *
   * @param epoch the lease's epoch as it last read it
   * @param activeCoordinator the name of the coordinator holding the lease; empty when none does
   */
  public record Leadership(
      CoordinatorRole role, boolean acting, long epoch, String activeCoordinator) {}

  public String url() {
    return endpoint.url();
  }

  /** Its role, whether it acts, and the lease as it last read it. */
  public Leadership leadership() throws JolokiaException, InterruptedException {
    JsonNode lead =
        endpoint.send(
            Request.read(
                ObjectNames.leadership(), List.of(ROLE, ACTING, EPOCH, ACTIVE_COORDINATOR)));
    return new Leadership(
        Decoding.state(CoordinatorRole.class, lead.path(ROLE).asText(), where),
        lead.path(ACTING).asBoolean(),
        lead.path(EPOCH).asLong(),
        lead.path(ACTIVE_COORDINATOR).asText());
  }

  /** True when its Jolokia answers a read of the summary view. */
  public boolean answers() throws InterruptedException {
    try {
      hostCount();
      return true;
    } catch (JolokiaException e) {
      return false;
    }
  }

  /** Every host of the summary view with its state. */
  public List<Host> hosts() throws JolokiaException, InterruptedException {
    List<Host> hosts = new ArrayList<>();
    for (JsonNode row : endpoint.send(Request.read(ObjectNames.cluster(), HOSTS))) {
      HostSummary host = Decoding.record(HostSummary.class, row, where);
      hosts.add(new Host(host.name(), Decoding.state(HostState.class, host.state(), where)));
    }
    return hosts;
  }

  /** Hosts it knows, in any state. */
  public int hostCount() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.cluster(), HOST_COUNT)).asInt();
  }

  public int activeHostCount() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.cluster(), ACTIVE_HOST_COUNT)).asInt();
  }

  /** Domains defined on all hosts, active or not. */
  public int domainCount() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.cluster(), DOMAIN_COUNT)).asInt();
  }

  /** The libvirt definitions it keeps to restart domains of a failed host. */
  public int definitionsKept() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.cluster(), DEFINITIONS_KEPT)).asInt();
  }

  /** The collection's counters, without the per-host rows: cheap to poll. */
  public Collection collection() throws JolokiaException, InterruptedException {
    JsonNode cluster =
        endpoint.send(
            Request.read(
                ObjectNames.cluster(),
                List.of(COLLECT_ROUNDS, LAST_COLLECT_DURATION, ACTIVE_HOST_COUNT)));
    return new Collection(
        cluster.path(COLLECT_ROUNDS).asLong(),
        cluster.path(LAST_COLLECT_DURATION).asDouble(),
        cluster.path(ACTIVE_HOST_COUNT).asInt());
  }

  /** Moves whose end is not known yet, one line each. */
  public List<String> unsettledMoves() throws JolokiaException, InterruptedException {
    List<String> moves = new ArrayList<>();
    endpoint
        .send(Request.read(ObjectNames.operations(), UNSETTLED_MOVES))
        .forEach(m -> moves.add(m.asText()));
    return moves;
  }

  /** True while it settles the operations it ran before it restarted. */
  public boolean recovering() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.operations(), RECOVERING)).asBoolean();
  }

  /** The names of its operation MBeans, running or recent; none when it has none. */
  public List<String> operations() throws JolokiaException, InterruptedException {
    List<String> names = new ArrayList<>();
    operationStates().ifPresent(all -> all.fieldNames().forEachRemaining(names::add));
    return names;
  }

  /** True when one of its operations is RUNNING. */
  public boolean operationRunning() throws JolokiaException, InterruptedException {
    Optional<JsonNode> all = operationStates();
    if (all.isPresent()) {
      for (JsonNode op : all.get()) {
        if (state(op) == OperationState.RUNNING) {
          return true;
        }
      }
    }
    return false;
  }

  /** Its operations, running or recent, in brief; none when it has none. */
  public List<OperationRow> operationRows() throws JolokiaException, InterruptedException {
    List<OperationRow> rows = new ArrayList<>();
    Optional<JsonNode> all =
        endpoint.sendIfFound(
            Request.read(
                ObjectNames.allOperations(),
                List.of(ID, KIND, SUMMARY, REQUESTED_BY, STATE, STARTED, FINISHED)));
    if (all.isPresent()) {
      for (JsonNode op : all.get()) {
        rows.add(
            new OperationRow(
                op.path(ID).asText(),
                Decoding.state(OperationType.class, op.path(KIND).asText(), where),
                op.path(SUMMARY).asText(),
                op.path(REQUESTED_BY).asText(),
                state(op),
                op.path(STARTED).asLong(),
                op.path(FINISHED).asLong()));
      }
    }
    return rows;
  }

  public Progress progress(String id) throws JolokiaException, InterruptedException {
    JsonNode op = endpoint.send(Request.read(ObjectNames.operation(id), List.of(STATE, DURATION)));
    return new Progress(state(op), op.path(DURATION).asDouble());
  }

  /**
   * Waits for operation {@code id} to end; returns its duration in seconds.
   *
   * @throws IllegalStateException naming its errors when it did not succeed
   */
  public double awaitSucceeded(String id) throws JolokiaException, InterruptedException {
    Progress op = progress(id);
    while (op.state() == OperationState.RUNNING) {
      Thread.sleep(20);
      op = progress(id);
    }
    if (op.state() != OperationState.SUCCEEDED) {
      throw new IllegalStateException(
          "operation " + id + " ended " + op.state() + ": " + operation(id).errors());
    }
    return op.durationSeconds();
  }

  public Operation operation(String id) throws JolokiaException, InterruptedException {
    JsonNode op = endpoint.send(Request.read(ObjectNames.operation(id)));
    List<MoveStatus> moves = new ArrayList<>();
    op.path(MOVES).forEach(m -> moves.add(Decoding.record(MoveStatus.class, m, where)));
    List<String> errors = new ArrayList<>();
    op.path(ERRORS).forEach(e -> errors.add(e.asText()));
    return new Operation(
        state(op), op.path(DURATION).asDouble(), op.path(MOVES_DONE).asInt(), moves, errors);
  }

  /** Asks to migrate a domain; returns the operation's id. */
  public String migrate(String domain, String toHost)
      throws JolokiaException, InterruptedException {
    return endpoint
        .send(Request.exec(ObjectNames.operations(), "migrate", domain, toHost))
        .asText();
  }

  /** Sets a VM's placement rules (text form) through {@code xcm:type=Rules}, replacing its own. */
  public void setRules(String domain, String rules) throws JolokiaException, InterruptedException {
    endpoint.send(Request.exec(ObjectNames.rules(), "setRules", domain, rules));
  }

  /** Asks to drain a host; returns the operation's id. */
  public String drain(String host, boolean dryRun) throws JolokiaException, InterruptedException {
    return endpoint.send(Request.exec(ObjectNames.operations(), "drain", host, dryRun)).asText();
  }

  /** Asks to balance with a policy; returns the operation's id. */
  public String balance(String policy, boolean dryRun)
      throws JolokiaException, InterruptedException {
    return endpoint
        .send(Request.exec(ObjectNames.operations(), "balance", policy, dryRun))
        .asText();
  }

  /** Returns a host in maintenance (or draining with no drain running) to service. */
  public void activate(String host) throws JolokiaException, InterruptedException {
    endpoint.send(Request.exec(ObjectNames.operations(), "activate", host));
  }

  /**
   * Says that {@code host} is known to be off ({@code ./xcm confirm-down}): its domains restart
   * elsewhere. Refused for a host whose agent answers, or while a fence agent runs for it.
   */
  public void confirmDown(String host) throws JolokiaException, InterruptedException {
    endpoint.send(Request.exec(ObjectNames.operations(), "confirmDown", host));
  }

  /** The agent URL it holds for {@code host}. */
  public String hostUrl(String host) throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.clusterHost(host), HOST_URL)).asText();
  }

  /** The hosts enrolled with their certificates, as {@code xcm:type=Enrolment} lists them. */
  public List<EnrolledHost> enrolled() throws JolokiaException, InterruptedException {
    List<EnrolledHost> enrolled = new ArrayList<>();
    for (JsonNode row : endpoint.send(Request.read(ObjectNames.enrolment(), ENROLLED))) {
      enrolled.add(Decoding.record(EnrolledHost.class, row, where));
    }
    return enrolled;
  }

  /** How many enrolment requests wait for an operator. */
  public int pendingCount() throws JolokiaException, InterruptedException {
    return endpoint.send(Request.read(ObjectNames.enrolment(), PENDING)).size();
  }

  /** A one-time enrolment token for exactly {@code host}, valid {@code minutes}. */
  public String issueToken(String host, int minutes) throws JolokiaException, InterruptedException {
    return endpoint
        .send(Request.exec(ObjectNames.enrolment(), "issueToken", host, minutes))
        .asText();
  }

  /** Asks it to add the agent at {@code url}; returns what it answered. */
  public String addHost(String url) throws JolokiaException, InterruptedException {
    return endpoint.send(Request.exec(ObjectNames.operations(), "addHost", url)).asText();
  }

  /** MBean name → its State; empty when no operation MBean exists. */
  private Optional<JsonNode> operationStates() throws JolokiaException, InterruptedException {
    return endpoint.sendIfFound(Request.read(ObjectNames.allOperations(), List.of(STATE)));
  }

  private OperationState state(JsonNode op) {
    return Decoding.state(OperationState.class, op.path(STATE).asText(), where);
  }
}
