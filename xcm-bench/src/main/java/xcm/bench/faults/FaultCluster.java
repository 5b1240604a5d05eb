package xcm.bench.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.journal.Journal;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * The cluster the fault trials run on: a coordinator and three agents, each its own process on a
 * port that stays the same across restarts, as the demo starts them (the coordinator by {@code
 * ./xcm}, the agents with the test kit beside them, their test-driver hosts keeping their domains
 * across restarts); started, killed and restarted here, read through the benches' Jolokia views.
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class FaultCluster {
  static final String COORDINATOR = "coordinator";
  static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  private static final Duration START = Duration.ofSeconds(120);

  /** A domain running on a host. */
  record Running(String name, String host) {}

  private final Path root;
  private final BenchProcesses processes;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new TreeMap<>();
  private final CoordinatorJolokia coordinator;
  private final Map<String, AgentJolokia> agents = new LinkedHashMap<>();
  private final FenceDevices fence;
  private int coordinatorStarts;
  private String enrolUrl;

  FaultCluster(Path root, BenchProcesses processes) throws IOException {
    this(root, processes, null);
  }

  /**
   * With {@code fence} not null, the cluster of the host-failure trials: the coordinator powers
   * hosts off through those devices, sees a host SUSPECT after 3 s of silence (collecting every
   * second) and fences again 2 s after a failed attempt; each agent writes its pid file.
   */
  FaultCluster(Path root, BenchProcesses processes, FenceDevices fence) throws IOException {
    this.root = root;
    this.processes = processes;
    this.fence = fence;
    ports.put(COORDINATOR, freePort());
    for (String host : HOSTS) {
      ports.put(host, freePort());
    }
    this.coordinator = new CoordinatorJolokia(BenchProcesses.jolokia().at(url(COORDINATOR)));
  }

  /** The coordinator's enrolment door and authority, its operator issuing the agents' tokens. */
  private BenchProcesses.Joining joining() {
    return new BenchProcesses.Joining(enrolUrl, authority(), coordinator);
  }

  private Path authority() {
    return processes.dir().resolve("coordinator/ca/ca.crt");
  }

  /** Starts every process; returns once every agent joined. */
  void start() throws IOException, InterruptedException {
    startCoordinator();
    // Enrolled agents speak TLS with their cluster certificates, which the coordinator's authority
    // (made at its first start) issues.
    JolokiaClient client = BenchProcesses.agentJolokia(authority());
    for (String host : HOSTS) {
      agents.put(host, new AgentJolokia(client.at(url(host))));
    }
    for (String host : HOSTS) {
      startAgent(host);
    }
    Await.until("all agents joined", START, () -> coordinator.activeHostCount() == HOSTS.size());
  }

  CoordinatorJolokia coordinator() {
    return coordinator;
  }

  /** The processes' names, sorted: the coordinator's and the hosts'. */
  List<String> names() {
    return new ArrayList<>(running.keySet());
  }

  long pid(String name) {
    return running.get(name).pid();
  }

  /** The process of the coordinator or of a host's agent, as last started. */
  Process process(String name) {
    return running.get(name);
  }

  /** SIGKILL, and waits until it is gone; not started again. */
  void kill(String name) throws InterruptedException {
    Process process = running.get(name);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Starts the agent of a host that was powered off: the VMs of a host that lost power do not run
   * when it boots (none is set to autostart), so its test driver opens its state file with every
   * domain shut off.
   */
  void powerOn(String host) throws IOException, InterruptedException {
    Path state = stateFile(host);
    if (Files.exists(state)) {
      Files.writeString(state, shutOff(Files.readString(state)));
    }
    startAgent(host);
  }

  /** The test driver's state XML with every domain's run state SHUTOFF (libvirt's code 5). */
  static String shutOff(String stateXml) {
    return RUNSTATE.matcher(stateXml).replaceAll("<$1:runstate>5</$1:runstate>");
  }

  private static final Pattern RUNSTATE =
      Pattern.compile("<([A-Za-z0-9_]+):runstate>\\s*\\d+\\s*</\\1:runstate>");

  private Path stateFile(String host) {
    return processes.dir().resolve(host + ".state.xml");
  }

  /** A client of the agents that gives up on a request after {@code timeout}. */
  Map<String, AgentJolokia> agents(Duration timeout) throws IOException {
    JolokiaClient client = BenchProcesses.agentJolokia(authority(), timeout);
    Map<String, AgentJolokia> view = new LinkedHashMap<>();
    for (String host : HOSTS) {
      view.put(host, new AgentJolokia(client.at(url(host))));
    }
    return view;
  }

  /** SIGKILL, as in a crash, then started again. */
  void killAndRestart(String name) throws IOException, InterruptedException {
    Process process = running.get(name);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    if (HOSTS.contains(name)) {
      startAgent(name);
    } else {
      startCoordinator();
    }
  }

  /** The output of the coordinator as last started. */
  Path coordinatorLog() {
    return processes.dir().resolve(COORDINATOR + "-" + coordinatorStarts + ".log");
  }

  /** SIGTERM, as an operator stops it; false when it did not end within a minute. */
  boolean stopCoordinator() throws InterruptedException {
    Process process = running.get(COORDINATOR);
    process.destroy();
    return process.waitFor(60, TimeUnit.SECONDS);
  }

  /** The journal of the coordinator, which must be stopped: H2 lets one process open it. */
  Journal openJournal() {
    return Journal.open(
        "jdbc:h2:file:" + processes.dir().resolve("coordinator/journal"),
        "",
        "",
        Clock.systemUTC());
  }

  /**
   * Starts the coordinator; returns once it printed its Jolokia URL, which it does only after it
   * decided whether it must recover operations it ran before: from then on its {@code Recovering}
   * tells. (Its Jolokia answers earlier, before that decision.)
   */
  void startCoordinator() throws IOException, InterruptedException {
    // A log per start: the line the wait reads must be this start's.
    String log = COORDINATOR + "-" + ++coordinatorStarts;
    List<String> failover =
        fence == null
            ? List.of()
            : List.of(
                "--fence-devices",
                fence.file().toString(),
                "-D",
                "xcm.coordinator.failure.detect-after=3s",
                "-D",
                "xcm.coordinator.failure.fence-retry=2s");
    Process process =
        processes.script(
            log,
            Program.COORDINATOR,
            processes.coordinatorOptions(
                ports.get(COORDINATOR),
                fence == null ? "500ms" : "1s",
                processes.dir().resolve("coordinator"),
                Stream.concat(
                        failover.stream(),
                        Stream.of(
                            "-D",
                            "xcm.coordinator.unreachable-after-rounds=2",
                            "-D",
                            "xcm.coordinator.migration.timeout=30s",
                            "-D",
                            "xcm.coordinator.cooldown=0s",
                            // The housekeeping job settles UNSETTLED moves: every second, not every
                            // 30.
                            "-D",
                            "xcm.coordinator.dead-host-check-interval=1s",
                            "-D",
                            "xcm.coordinator.nightly-balance.cron="))
                    .toArray(String[]::new)));
    running.put(COORDINATOR, process);
    processes.endpoint(log, process, "Jolokia");
    enrolUrl = processes.endpoint(log, process, "enrol");
  }

  void startAgent(String host) throws IOException, InterruptedException {
    // The test kit beside it: its domains outlive it (--libvirt-state) and it hands them over.
    Process process =
        processes.xcm(
            host,
            Program.AGENT,
            processes.agentOptions(
                ports.get(host),
                host,
                joining(),
                "--libvirt-uri",
                "test://" + root.resolve("nodes/" + host + ".xml"),
                "--libvirt-state",
                stateFile(host).toString(),
                "--sample-interval",
                "500ms"));
    running.put(host, process);
    if (fence != null) {
      // Written before the agent answers: its device must be able to power it off at once.
      Files.writeString(fence.pidFile(host), process.pid() + "\n");
    }
    AgentJolokia agent = agents.get(host);
    Await.until(host + " answers", START, agent::answers);
  }

  /**
   * No operation runs (the journal holds none as running), every agent is ACTIVE-reachable, no move
   * is UNSETTLED (the coordinator settles those once their agents answer), and the coordinator is
   * not recovering: it refuses requests while it does.
   */
  boolean quiet() throws JolokiaException, InterruptedException {
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      if (host.state() == HostState.UNREACHABLE) {
        return false;
      }
    }
    return coordinator.hostCount() == HOSTS.size()
        && !coordinator.operationRunning()
        && coordinator.unsettledMoves().isEmpty()
        && !coordinator.recovering();
  }

  /** Hosts that are ACTIVE, as the coordinator sees them. */
  List<String> activeHosts() throws JolokiaException, InterruptedException {
    List<String> active = new ArrayList<>();
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      if (host.state() == HostState.ACTIVE) {
        active.add(host.name());
      }
    }
    return active;
  }

  /** Domain UUID → every copy the agents define, each agent sampled first. */
  Map<String, List<Copy>> copies() throws JolokiaException, InterruptedException {
    Map<String, List<Copy>> copies = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : agents.entrySet()) {
      agent.getValue().sampleNow();
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        copies
            .computeIfAbsent(d.uuid(), u -> new ArrayList<>())
            .add(new Copy(agent.getKey(), d.state()));
      }
    }
    return copies;
  }

  /** Domain UUID → where it runs, as the agents last sampled it. */
  Map<String, Running> running() throws JolokiaException, InterruptedException {
    Map<String, Running> where = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : agents.entrySet()) {
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        if (d.state() == DomainState.RUNNING) {
          where.put(d.uuid(), new Running(d.name(), agent.getKey()));
        }
      }
    }
    return where;
  }

  /** The coordinator's Jolokia (HTTP), or an enrolled agent's (HTTPS). */
  private String url(String name) {
    return (name.equals(COORDINATOR) ? "http" : "https")
        + "://127.0.0.1:"
        + ports.get(name)
        + "/jolokia/";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
