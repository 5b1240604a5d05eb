package xcm.coordinator.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import xcm.coordinator.enrol.EnrolmentAnswer;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.enrol.EnrolmentRequest;
import xcm.mbeans.AgentReach;
import xcm.mbeans.DomainState;
import xcm.mbeans.EpochFence;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.StaleEpochException;
import xcm.mbeans.placement.PlacementRules;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.Keys;
import xcm.trust.Pem;
import xcm.trust.Role;
import xcm.trust.tls.ClientAuth;
import xcm.trust.tls.ExpectedPeer;
import xcm.trust.tls.ServerTls;

/**
 * One agent as the coordinator sees it: the agent's {@link HostOperationsMXBean} contract served as
 * Jolokia JSON over real HTTP on loopback, so that the coordinator's real {@code JolokiaClient}
 * reads it exactly as it reads an agent (bulk read of {@code xcm:type=Host} and {@code
 * xcm:type=Domain,*}, exec and attribute reads on {@code xcm:type=HostOperations}, errors with
 * their {@code error_type}). The host's domains are held in memory; the real agent and its contract
 * are exercised by xcm-agent's tests and the cross-process tests (xcm-it).
 *
 * <p>It follows the agent's rules where the coordinator depends on them: a domain held by a
 * migration (going out, or coming in until finishIncoming or abortIncoming) cannot be changed
 * (IllegalStateException); abortIncoming removes only a copy this agent took in and knows of,
 * finishIncoming runs only such a copy; an unknown migration id, an unknown domain or a domain that
 * does not run are refused (IllegalArgumentException, which the client reports as refused). {@link
 * #restart()} forgets what a restarted agent forgets (its migrations and the copies coming in) and
 * keeps what libvirt keeps (the domains and their states). Every change carries the coordinator's
 * epoch and meets the agent's own fence ({@link EpochFence}, kept in memory as by an agent without
 * an epoch file): one older than the newest seen is refused with {@link StaleEpochException}, whose
 * type the client reads as superseded, before anything changes.
 *
 * <p>What the next {@code migrate} does is scripted with {@link #plan(Plan...)}; by default a
 * migration succeeds at once. Thread-safe.
 */
public final class FakeAgent implements HostOperationsMXBean, AutoCloseable {
  private static final String HOST_OPERATIONS = "xcm:type=HostOperations";
  private static final long GIB = 1L << 30;

  private final String host;
  private final Map<String, FakeAgent> peers;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Map<String, Domain> domains = new TreeMap<>(); // guarded by this
  private final Set<String> incoming = new HashSet<>(); // guarded by this
  private final Map<String, Migration> migrations = new LinkedHashMap<>(); // guarded by this
  private final Deque<Plan> plans = new ArrayDeque<>(); // guarded by this
  private final List<String> changes = new ArrayList<>(); // guarded by this
  private final List<String> tickets = new ArrayList<>(); // guarded by this
  private final Map<String, String> placements = new HashMap<>(); // guarded by this
  private final Map<String, String> placementErrors = new HashMap<>(); // guarded by this
  private volatile Runnable beforeMigrate = () -> {};
  private volatile long answerAfterMillis;
  private volatile HttpServer server;
  private volatile SSLContext tls; // null: plain HTTP
  private int port;
  private int nextId = 1;
  private volatile String hostUuid = "";
  private final Map<String, Integer> statusReads = new HashMap<>(); // guarded by this
  private final EpochFence epochs;

  /** One domain as libvirt holds it. */
  public record Domain(String name, String uuid, DomainState state) {}

  /**
   * What a migration does: ends as {@code kind} after {@code runningPolls} reads of its status
   * (meanwhile the domain is paused on the source and a paused copy waits on the destination), and
   * whether the answer to {@code migrate} reaches the caller.
   *
   * @param noAnswer the answer to {@code migrate} never reaches the caller
   * @param leftCopy FAIL only: the state of a copy the failed migration leaves on the destination;
   *     null for a clean roll-back
   */
  public record Plan(
      Kind kind, String error, DomainState leftCopy, int runningPolls, boolean noAnswer) {

    /** How a migration ends, or that it never starts. */
    public enum Kind {
      SUCCEED,
      FAIL,
      INCOMPLETE,
      REFUSE,
      REFUSE_FOR_NOW,
      NOTHING
    }

    /** The domain runs on the destination only. */
    public static Plan succeed() {
      return new Plan(Kind.SUCCEED, null, null, 0, false);
    }

    /** Rolled back: the domain runs on the source again, as before; {@code error} says why. */
    public static Plan fail(String error) {
      return new Plan(Kind.FAIL, error, null, 0, false);
    }

    /** Rolled back on the source, but a copy in state {@code copy} stays on the destination. */
    public static Plan failLeaving(String error, DomainState copy) {
      return new Plan(Kind.FAIL, error, copy, 0, false);
    }

    /** Runs on the destination; the source could not remove its paused copy. */
    public static Plan incomplete(String error) {
      return new Plan(Kind.INCOMPLETE, error, null, 0, false);
    }

    /** {@code migrate} itself is refused (IllegalArgumentException); nothing starts. */
    public static Plan refuse(String message) {
      return new Plan(Kind.REFUSE, message, null, 0, false);
    }

    /**
     * {@code migrate} itself is refused for the agent's state (IllegalStateException: libvirt
     * cannot tell the domain's state, the agent is stopping); nothing starts.
     */
    public static Plan refuseForNow(String message) {
      return new Plan(Kind.REFUSE_FOR_NOW, message, null, 0, false);
    }

    /** The request is lost before the agent acts on it: nothing starts and no answer comes. */
    public static Plan lost() {
      return new Plan(Kind.NOTHING, null, null, 0, true);
    }

    /** This plan, still RUNNING for {@code polls} reads of its status before it ends. */
    public Plan running(int polls) {
      return new Plan(kind, error, leftCopy, polls, noAnswer);
    }

    /** This plan, still RUNNING until {@link FakeAgent#endMigrations()}. */
    public Plan hanging() {
      return running(Integer.MAX_VALUE);
    }

    /** This plan carried out, but the answer to {@code migrate} never reaches the caller. */
    public Plan answerLost() {
      return new Plan(kind, error, leftCopy, runningPolls, true);
    }
  }

  private static final class Migration {
    final String id;
    final String domain;
    final FakeAgent destination;
    final String destinationUrl;
    final Plan plan;
    final long started = System.currentTimeMillis();
    int pollsLeft;
    MigrationStatus.Phase phase = MigrationStatus.Phase.FINISH;
    MigrationStatus.State state = MigrationStatus.State.RUNNING;
    String error = "";

    Migration(String id, String domain, FakeAgent destination, String url, Plan plan) {
      this.id = id;
      this.domain = domain;
      this.destination = destination;
      this.destinationUrl = url;
      this.plan = plan;
      this.pollsLeft = plan.runningPolls();
    }
  }

  /** Thrown inside a request whose answer must be lost: the connection closes without one. */
  private static final class LostAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LostAnswer() {
      super(null, null, false, false);
    }
  }

  private FakeAgent(String host, Map<String, FakeAgent> peers) {
    this.host = host;
    this.peers = peers;
    this.epochs = new EpochFence(host, 0, EpochFence.IN_MEMORY);
  }

  /**
   * Starts an agent for {@code host} on a free loopback port. Agents given the same {@code peers}
   * map find each other by URL, as agents do.
   */
  public static FakeAgent start(String host, Map<String, FakeAgent> peers) {
    FakeAgent agent = new FakeAgent(host, peers);
    agent.serve(0);
    peers.put(agent.url(), agent);
    return agent;
  }

  /**
   * Starts an agent for {@code host} enrolled at {@code desk} (with a token, as an agent does it):
   * it serves HTTPS with the certificate the desk issued it and takes only the coordinator's
   * certificate, as an enrolled agent does.
   */
  public static FakeAgent startEnrolled(
      String host, Map<String, FakeAgent> peers, EnrolmentDesk desk) {
    FakeAgent agent = new FakeAgent(host, peers);
    try {
      // Bound first: the URL it enrols with names its port.
      HttpsServer bound = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      agent.port = bound.getAddress().getPort();
      UUID uuid = UUID.nameUUIDFromBytes(host.getBytes(StandardCharsets.UTF_8));
      KeyPair key = Keys.generate(new SecureRandom());
      EnrolmentAnswer answer =
          desk.submit(
              new EnrolmentRequest(
                  host,
                  "https://127.0.0.1:" + agent.port + "/jolokia/",
                  uuid.toString(),
                  CertificateRequest.create(key, host, Optional.of(uuid)).pem(),
                  Optional.of(desk.issueToken(host, Duration.ofMinutes(5))),
                  "127.0.0.1",
                  Optional.empty()));
      if (!(answer instanceof EnrolmentAnswer.Issued issued)) {
        throw new IllegalStateException(host + " was not enrolled: " + answer);
      }
      HostCredentials own =
          new HostCredentials(key.getPrivate(), Pem.readCertificates(issued.certificate()));
      agent.tls =
          ServerTls.builder()
              .credentials(own)
              .authority(desk.authority().certificate())
              .revocations(desk.authority()::revocations)
              .clientAuth(ClientAuth.NEED)
              .expectClient(ExpectedPeer.role(Role.COORDINATOR))
              .build();
      agent.hostUuid = uuid.toString();
      bound.setHttpsConfigurator(new HttpsConfigurator(agent.tls));
      agent.start(bound);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot enrol " + host + ": " + e.getMessage(), e);
    }
    peers.put(agent.url(), agent);
    return agent;
  }

  public String host() {
    return host;
  }

  public String url() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port + "/jolokia/";
  }

  /** Defines a domain here in {@code state}; its UUID is {@code uuid-<name>}. */
  public synchronized FakeAgent domain(String name, DomainState state) {
    return domain(name, "uuid-" + name, state);
  }

  /** Defines a domain here in {@code state} with its UUID. */
  public synchronized FakeAgent domain(String name, String uuid, DomainState state) {
    domains.put(name, new Domain(name, uuid, state));
    return this;
  }

  /** Defines a copy of a domain that is coming in (as after PREPARE), in {@code state}. */
  public synchronized FakeAgent incoming(String name, DomainState state) {
    domain(name, state);
    incoming.add(name);
    return this;
  }

  /** What the next calls of {@code migrate} do, in order; after them migrations succeed. */
  public synchronized FakeAgent plan(Plan... next) {
    plans.addAll(List.of(next));
    return this;
  }

  /**
   * A coordinator of epoch {@code epoch} acted here, as after a takeover: requests of older epochs
   * are refused from now on.
   */
  public FakeAgent sawEpoch(long epoch) {
    epochs.admit(epoch, "be told of a newer coordinator");
    return this;
  }

  /** Runs {@code check} each time the agent is asked to migrate, before it answers. */
  public void beforeMigrate(Runnable check) {
    beforeMigrate = check;
  }

  /** The domains defined here, by name. */
  public synchronized Map<String, Domain> domains() {
    return Map.copyOf(domains);
  }

  /** name → state of every domain here, e.g. {@code {web01=RUNNING}}. */
  public synchronized Map<String, DomainState> states() {
    Map<String, DomainState> states = new TreeMap<>();
    domains.values().forEach(d -> states.put(d.name(), d.state()));
    return states;
  }

  /**
   * The operations that change something that this agent was asked for, as {@code "operation
   * argument"}, in order (sampleNow and migration status reads are left out).
   */
  public synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  /** The hand-over tickets {@code migrate} was given, in order. */
  public synchronized List<String> tickets() {
    return List.copyOf(tickets);
  }

  /** How often {@code migrate} was asked for. */
  public synchronized long migrateCalls() {
    return changes.stream().filter(c -> c.startsWith("migrate ")).count();
  }

  /** How often the status of any migration was read by its id. */
  public synchronized int statusReads() {
    return statusReads.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** How often the status of migration {@code id} was read. */
  public synchronized int statusReads(String id) {
    return statusReads.getOrDefault(id, 0);
  }

  /** Ends every migration still running, as its plan says. */
  public synchronized void endMigrations() {
    for (Migration m : migrations.values()) {
      if (m.state == MigrationStatus.State.RUNNING) {
        end(m);
      }
    }
  }

  /** Stops answering: connections are refused until {@link #serveAgain()}. */
  public void stopServing() {
    HttpServer s = server;
    if (s != null) {
      s.stop(0);
      server = null;
    }
  }

  /** Answers again, on the same port. */
  public void serveAgain() {
    serve(port);
  }

  /**
   * The agent process restarts: it forgets its migrations and which copies were coming in; the
   * domains stay as libvirt holds them. A migration still running dies with the process, leaving
   * the domains as they were at that instant.
   */
  public synchronized void restart() {
    migrations.clear();
    incoming.clear();
  }

  @Override
  public void close() {
    stopServing();
    threads.shutdownNow();
    peers.values().remove(this);
  }

  // ---- the HostOperationsMXBean contract, as the agent keeps it

  @Override
  public long getEpoch() {
    return epochs.newest();
  }

  @Override
  public long announceEpoch(long epoch) {
    epochs.admit(epoch, "take note of a newer active coordinator");
    return epochs.newest();
  }

  @Override
  public long sampleNow() {
    return System.currentTimeMillis();
  }

  @Override
  public String defineDomain(String xml, long epoch) {
    throw new UnsupportedOperationException("defineDomain is not used by the coordinator");
  }

  @Override
  public synchronized void startDomain(String domain, long epoch) {
    changes.add("startDomain " + domain);
    epochs.admit(epoch, "start domain '" + domain + "'");
    Domain d = unheld(domain, "start");
    if (d.state() != DomainState.SHUTOFF) {
      throw new IllegalStateException(
          host + ": cannot start domain '" + domain + "': it is " + describe(d.state()));
    }
    put(d, DomainState.RUNNING);
  }

  @Override
  public synchronized void destroyDomain(String domain, long epoch) {
    changes.add("destroyDomain " + domain);
    epochs.admit(epoch, "destroy domain '" + domain + "'");
    Domain d = unheld(domain, "destroy");
    if (!d.state().isActive()) {
      throw new IllegalStateException(host + ": domain '" + domain + "' is not running");
    }
    put(d, DomainState.SHUTOFF);
  }

  @Override
  public synchronized void resumeDomain(String domain, long epoch) {
    changes.add("resumeDomain " + domain);
    epochs.admit(epoch, "resume domain '" + domain + "'");
    Domain d = unheld(domain, "resume");
    if (d.state() != DomainState.PAUSED) {
      throw new IllegalStateException(host + ": domain '" + domain + "' is not paused");
    }
    put(d, DomainState.RUNNING);
  }

  /**
   * Metadata written by hand that the agent could not read: the domain reports no rules and this
   * error, as a real agent does.
   */
  public synchronized FakeAgent unreadablePlacement(String domain, String error) {
    placements.remove(domain);
    placementErrors.put(domain, error);
    return this;
  }

  /** Keeps the rules in text form, as the agent reads them back from libvirt. */
  @Override
  public synchronized void setPlacement(String domain, String rules, long epoch) {
    epochs.admit(epoch, "set the placement rules of domain '" + domain + "'");
    PlacementRules parsed;
    try {
      parsed = PlacementRules.parse(rules);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          host + ": cannot set the placement rules of domain '" + domain + "': " + e.getMessage());
    }
    changes.add("setPlacement " + domain + " " + parsed);
    unheld(domain, "set the placement rules of");
    placements.put(domain, parsed.toString());
    placementErrors.remove(domain);
  }

  @Override
  public synchronized void undefineDomain(String domain, long epoch) {
    changes.add("undefineDomain " + domain);
    epochs.admit(epoch, "undefine domain '" + domain + "'");
    Domain d = unheld(domain, "undefine");
    if (d.state().isActive()) {
      throw new IllegalStateException(
          host + ": cannot undefine domain '" + domain + "': it is " + describe(d.state()));
    }
    domains.remove(domain);
    placements.remove(domain);
  }

  @Override
  public synchronized String migrate(String domain, String destination, String ticket, long epoch) {
    changes.add("migrate " + domain);
    epochs.admit(epoch, "migrate domain '" + domain + "'");
    tickets.add(ticket);
    beforeMigrate.run();
    Plan plan = plans.isEmpty() ? Plan.succeed() : plans.poll();
    String refusal = host + ": cannot migrate domain '" + domain + "': ";
    if (plan.kind() == Plan.Kind.NOTHING) {
      throw new LostAnswer();
    }
    if (plan.kind() == Plan.Kind.REFUSE) {
      throw new IllegalArgumentException(plan.error());
    }
    if (plan.kind() == Plan.Kind.REFUSE_FOR_NOW) {
      throw new IllegalStateException(plan.error());
    }
    FakeAgent to = peers.get(destination);
    if (to == null) {
      throw new IllegalArgumentException(refusal + "no agent at " + destination);
    }
    Domain d = domains.get(domain);
    if (d == null) {
      throw new IllegalArgumentException(refusal + "no such domain");
    }
    if (held(domain)) {
      throw new IllegalArgumentException(refusal + "it is being migrated");
    }
    if (!runs(d.state())) {
      throw new IllegalArgumentException(refusal + "it is " + describe(d.state()));
    }
    // PREPARE on the destination, PERFORM here; FINISH and CONFIRM when the migration ends.
    to.takeIn(d);
    put(d, DomainState.PAUSED);
    Migration m = new Migration("m-" + host + "-" + nextId++, domain, to, destination, plan);
    migrations.put(m.id, m);
    if (m.pollsLeft == 0) {
      end(m);
    }
    if (plan.noAnswer()) {
      throw new LostAnswer();
    }
    return m.id;
  }

  @Override
  public synchronized MigrationStatus migration(String id) {
    statusReads.merge(id, 1, Integer::sum);
    Migration m = migrations.get(id);
    if (m == null) {
      throw new IllegalArgumentException(
          host + ": no migration with id '" + id + "' (unknown, or ended more than an hour ago)");
    }
    if (m.state == MigrationStatus.State.RUNNING
        && m.pollsLeft != Integer.MAX_VALUE
        && --m.pollsLeft <= 0) {
      end(m);
    }
    return status(m);
  }

  @Override
  public synchronized List<MigrationStatus> getMigrations() {
    List<MigrationStatus> newestFirst = new ArrayList<>();
    for (Migration m : migrations.values()) {
      newestFirst.add(0, status(m));
    }
    return newestFirst;
  }

  @Override
  public MigrationJob completedMigration(String domain) {
    return null;
  }

  @Override
  public String domainDefinition(String domain) {
    throw new UnsupportedOperationException("domainDefinition is not faked");
  }

  @Override
  public AgentReach reachesAgent(String url) {
    throw new UnsupportedOperationException("reachesAgent is not faked");
  }

  @Override
  public synchronized void prepareIncoming(String xml, String ticket) {
    throw new UnsupportedOperationException("prepareIncoming is called by agents only");
  }

  @Override
  public synchronized void finishIncoming(String domain, String ticket) {
    changes.add("finishIncoming " + domain);
    finishIn(domain);
  }

  /** FINISH, asked by the coordinator or by the source agent. */
  private synchronized void finishIn(String domain) {
    Domain d = domains.get(domain);
    if (d == null) {
      incoming.remove(domain);
      throw new IllegalArgumentException(
          host + ": cannot finish domain '" + domain + "': it is not defined here");
    }
    if (runs(d.state())) {
      incoming.remove(domain);
      return;
    }
    if (!incoming.contains(domain)) {
      throw new IllegalStateException(
          host
              + ": cannot finish domain '"
              + domain
              + "': no migration of it is coming in here (it is "
              + describe(d.state())
              + ")");
    }
    put(d, DomainState.RUNNING);
    incoming.remove(domain);
  }

  @Override
  public synchronized void finishIncomingCopy(String domain, long epoch) {
    epochs.admit(epoch, "finish the incoming domain '" + domain + "'");
    finishIncoming(domain, "");
  }

  @Override
  public synchronized void abortIncomingCopy(String domain, long epoch) {
    epochs.admit(epoch, "abort the incoming domain '" + domain + "'");
    abortIncoming(domain, "");
  }

  @Override
  public synchronized void abortIncoming(String domain, String ticket) {
    changes.add("abortIncoming " + domain);
    if (!incoming.contains(domain)) {
      return;
    }
    Domain d = domains.get(domain);
    if (d != null && runs(d.state())) {
      throw new IllegalStateException(
          host + ": cannot abort the incoming domain '" + domain + "': it runs here");
    }
    domains.remove(domain);
    incoming.remove(domain);
  }

  // ---- the agent's halves of a migration

  private synchronized void takeIn(Domain d) {
    if (domains.containsKey(d.name())) {
      throw new IllegalStateException(
          host + ": cannot take in domain '" + d.name() + "': a domain of that name is here");
    }
    domains.put(d.name(), new Domain(d.name(), d.uuid(), DomainState.PAUSED));
    incoming.add(d.name());
  }

  /** FINISH and CONFIRM, or the roll-back, as the migration's plan says. */
  private void end(Migration m) {
    Plan plan = m.plan;
    Domain source = domains.get(m.domain);
    switch (plan.kind()) {
      case SUCCEED, INCOMPLETE -> {
        try {
          m.destination.finishIn(m.domain);
        } catch (RuntimeException e) {
          // FINISH refused: the destination does not run it; roll back.
          m.destination.dropIncoming(m.domain, null);
          put(source, DomainState.RUNNING);
          finish(
              m,
              MigrationStatus.State.FAILED,
              "FINISH: " + e.getMessage() + "; rolled back, it runs on " + host);
          return;
        }
        if (plan.kind() == Plan.Kind.INCOMPLETE) {
          m.phase = MigrationStatus.Phase.CONFIRM;
          finish(m, MigrationStatus.State.INCOMPLETE, plan.error());
        } else {
          domains.remove(m.domain);
          m.phase = MigrationStatus.Phase.DONE;
          finish(m, MigrationStatus.State.SUCCEEDED, "");
        }
      }
      case FAIL -> {
        m.destination.dropIncoming(m.domain, plan.leftCopy());
        put(source, DomainState.RUNNING);
        m.phase = MigrationStatus.Phase.PREPARE;
        finish(m, MigrationStatus.State.FAILED, plan.error());
      }
      default -> throw new IllegalStateException("plan " + plan + " never starts a migration");
    }
  }

  private void finish(Migration m, MigrationStatus.State state, String error) {
    m.state = state;
    m.error = error;
  }

  /** Removes an incoming copy, or leaves it in state {@code left}, still held as coming in. */
  private synchronized void dropIncoming(String domain, DomainState left) {
    Domain d = domains.get(domain);
    if (d == null || !incoming.contains(domain)) {
      return;
    }
    if (left == null) {
      domains.remove(domain);
      incoming.remove(domain);
    } else {
      put(d, left);
    }
  }

  private MigrationStatus status(Migration m) {
    return new MigrationStatus(
        m.id,
        m.domain,
        host,
        m.destinationUrl,
        m.destination.host,
        m.phase,
        m.state,
        m.error,
        m.started,
        m.state == MigrationStatus.State.RUNNING ? 0 : System.currentTimeMillis(),
        m.state == MigrationStatus.State.RUNNING ? -1 : 7,
        MigrationStatus.Method.HANDOVER,
        -1,
        -1);
  }

  /** True while a migration holds the domain: going out, or coming in. */
  private boolean held(String domain) {
    if (incoming.contains(domain)) {
      return true;
    }
    return migrations.values().stream()
        .anyMatch(m -> m.domain.equals(domain) && m.state == MigrationStatus.State.RUNNING);
  }

  private Domain unheld(String domain, String action) {
    Domain d = domains.get(domain);
    if (d == null) {
      throw new IllegalArgumentException(
          host + ": cannot " + action + " domain '" + domain + "': no such domain");
    }
    if (held(domain)) {
      throw new IllegalStateException(
          host + ": cannot " + action + " domain '" + domain + "': it is being migrated");
    }
    return d;
  }

  private void put(Domain d, DomainState state) {
    domains.put(d.name(), new Domain(d.name(), d.uuid(), state));
  }

  private static boolean runs(DomainState state) {
    return state == DomainState.RUNNING || state == DomainState.BLOCKED;
  }

  private static String describe(DomainState state) {
    return state == DomainState.SHUTOFF ? "shut off" : state.name().toLowerCase(Locale.ROOT);
  }

  // ---- Jolokia over HTTP

  private void serve(int onPort) {
    try {
      HttpServer s;
      if (tls == null) {
        s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
      } else {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        s = https;
      }
      start(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start(HttpServer s) {
    s.createContext("/jolokia/", this::handle);
    s.setExecutor(threads);
    s.start();
    port = s.getAddress().getPort();
    server = s;
  }

  /** From now on every request is answered only after {@code delay}: a slow or loaded host. */
  public void answerAfter(java.time.Duration delay) {
    answerAfterMillis = delay.toMillis();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (answerAfterMillis > 0) {
        try {
          Thread.sleep(answerAfterMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      JsonNode request = json.readTree(exchange.getRequestBody());
      JsonNode reply;
      try {
        if (request.isArray()) {
          ArrayNode replies = json.createArrayNode();
          request.forEach(r -> replies.add(answer(r)));
          reply = replies;
        } else {
          reply = answer(request);
        }
      } catch (LostAnswer lost) {
        return; // closed without a response
      }
      byte[] body = json.writeValueAsBytes(reply);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** One Jolokia request's reply: status 200 with a value, or the error as Jolokia reports it. */
  private JsonNode answer(JsonNode request) {
    ObjectNode reply = json.createObjectNode();
    try {
      Object value = value(request);
      if (value == null && request.path("mbean").asText().equals("xcm:type=Domain,*")) {
        return reply.put("status", 404).put("error", "No MBean found for xcm:type=Domain,*");
      }
      reply.put("status", 200).set("value", json.valueToTree(value));
    } catch (IllegalArgumentException e) {
      reply
          .put("status", 400)
          .put("error_type", IllegalArgumentException.class.getName())
          .put("error", e.getMessage());
    } catch (IllegalStateException e) {
      // Its own type, as Jolokia reports it: a stale epoch's tells the client more.
      reply
          .put("status", 500)
          .put("error_type", e.getClass().getName())
          .put("error", e.getMessage());
    }
    return reply;
  }

  private Object value(JsonNode request) {
    String type = request.path("type").asText();
    String mbean = request.path("mbean").asText();
    if (type.equals("read") && mbean.equals("xcm:type=Host")) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("Name", host);
      value.put("Cpus", 16);
      value.put("MemoryBytes", 64 * GIB);
      value.put("MemoryFreeBytes", 32 * GIB);
      value.put("CpuUtilisation", 0.1);
      value.put("Stale", false);
      value.put("LastSampleEpochMillis", System.currentTimeMillis());
      value.put("HostUuid", hostUuid);
      return value;
    }
    if (type.equals("read") && mbean.equals("xcm:type=Domain,*")) {
      Map<String, Object> value = new LinkedHashMap<>();
      synchronized (this) {
        for (Domain d : domains.values()) {
          Map<String, Object> attributes = new LinkedHashMap<>();
          attributes.put("Name", d.name());
          attributes.put("Uuid", d.uuid());
          attributes.put("State", d.state().name());
          attributes.put("MemoryBytes", d.state().isActive() ? GIB : 0);
          attributes.put("MaxMemoryBytes", GIB);
          attributes.put("Vcpus", 1);
          attributes.put("Placement", placements.getOrDefault(d.name(), ""));
          attributes.put("PlacementError", placementErrors.getOrDefault(d.name(), ""));
          value.put(ObjectNames.domain(d.name()).getCanonicalName(), attributes);
        }
      }
      return value.isEmpty() ? null : value;
    }
    if (type.equals("read") && mbean.equals(HOST_OPERATIONS)) {
      if (request.path("attribute").asText().equals("Migrations")) {
        return getMigrations();
      }
      if (request.path("attribute").asText().equals("Epoch")) {
        return getEpoch();
      }
    }
    if (type.equals("exec") && mbean.equals(HOST_OPERATIONS)) {
      List<String> args = new ArrayList<>();
      request.path("arguments").forEach(a -> args.add(a.asText()));
      return exec(request.path("operation").asText(), args);
    }
    throw new IllegalArgumentException("the fake agent does not answer " + request);
  }

  private Object exec(String operation, List<String> args) {
    Map<String, Integer> arity = new HashMap<>();
    arity.put("sampleNow", 0);
    // Jolokia's arguments are positional: the hand-over ticket, then the coordinator's epoch last.
    arity.put("migrate", 4);
    arity.put("finishIncoming", 2);
    arity.put("abortIncoming", 2);
    arity.put("finishIncomingCopy", 2);
    arity.put("abortIncomingCopy", 2);
    arity.put("setPlacement", 3);
    arity.put("startDomain", 2);
    arity.put("destroyDomain", 2);
    arity.put("resumeDomain", 2);
    arity.put("undefineDomain", 2);
    Integer expected = arity.getOrDefault(operation, 1);
    if (args.size() != expected) {
      throw new IllegalArgumentException(operation + " takes " + expected + " arguments");
    }
    switch (operation) {
      case "sampleNow":
        return sampleNow();
      case "migrate":
        return migrate(args.get(0), args.get(1), args.get(2), epoch(args.get(3)));
      case "migration":
        return migration(args.get(0));
      case "announceEpoch":
        return announceEpoch(epoch(args.get(0)));
      case "startDomain":
        startDomain(args.get(0), epoch(args.get(1)));
        return null;
      case "destroyDomain":
        destroyDomain(args.get(0), epoch(args.get(1)));
        return null;
      case "resumeDomain":
        resumeDomain(args.get(0), epoch(args.get(1)));
        return null;
      case "undefineDomain":
        undefineDomain(args.get(0), epoch(args.get(1)));
        return null;
      case "setPlacement":
        setPlacement(args.get(0), args.get(1), epoch(args.get(2)));
        return null;
      case "finishIncoming":
        finishIncoming(args.get(0), args.get(1));
        return null;
      case "abortIncoming":
        abortIncoming(args.get(0), args.get(1));
        return null;
      case "finishIncomingCopy":
        finishIncomingCopy(args.get(0), epoch(args.get(1)));
        return null;
      case "abortIncomingCopy":
        abortIncomingCopy(args.get(0), epoch(args.get(1)));
        return null;
      default:
        throw new IllegalArgumentException("no operation " + operation + " on " + HOST_OPERATIONS);
    }
  }

  /** A long argument, as Jolokia converts one. */
  private static long epoch(String argument) {
    try {
      return Long.parseLong(argument);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the epoch must be a whole number, found " + argument);
    }
  }
}
