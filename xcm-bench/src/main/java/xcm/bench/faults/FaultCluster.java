package xcm.bench.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.coordinator.journal.Journal;
import xcm.mbeans.HostState;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * The cluster the fault trials run on: a coordinator and three agents ({@link FaultAgents}), each
 * its own process on a port that stays the same across restarts, as the demo starts them (the
 * coordinator by {@code ./xcm}, the agents with the test kit beside them, their test-driver hosts
 * keeping their domains across restarts); started, killed and restarted here, read through the
 * benches' Jolokia views.
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class FaultCluster {
  static final String COORDINATOR = "coordinator";
  private static final Duration START = Duration.ofSeconds(120);

  private final BenchProcesses processes;
  private final int coordinatorPort;
  private final FaultAgents agents;
  private final CoordinatorJolokia coordinator;
  private final FenceDevices fence;
  private Process coordinatorProcess;
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
    this.processes = processes;
    this.fence = fence;
    this.coordinatorPort = FaultAgents.freePort();
    this.agents =
        new FaultAgents(root, processes, processes.dir().resolve("coordinator/ca/ca.crt"), fence);
    this.coordinator =
        new CoordinatorJolokia(
            BenchProcesses.jolokia().at("http://127.0.0.1:" + coordinatorPort + "/jolokia/"));
  }

  /**
   * The settings every coordinator of the fault trials runs with, besides the benches' own ({@link
   * BenchProcesses#coordinatorOptions}): a host unreachable after two silent rounds, moves given up
   * after 30 s, no cooldown, no nightly balance, and UNSETTLED moves settled every second.
   */
  static List<String> trialSettings() {
    return List.of(
        "-D",
        "xcm.coordinator.unreachable-after-rounds=2",
        "-D",
        "xcm.coordinator.migration.timeout=30s",
        "-D",
        "xcm.coordinator.cooldown=0s",
        // The housekeeping job settles UNSETTLED moves: every second, not every 30.
        "-D",
        "xcm.coordinator.dead-host-check-interval=1s",
        "-D",
        "xcm.coordinator.nightly-balance.cron=");
  }

  /** The coordinator's enrolment door and authority, its operator issuing the agents' tokens. */
  private BenchProcesses.Joining joining() {
    return new BenchProcesses.Joining(
        enrolUrl, processes.dir().resolve("coordinator/ca/ca.crt"), coordinator);
  }

  /** Starts every process; returns once every agent joined. */
  void start() throws IOException, InterruptedException {
    startCoordinator();
    for (String host : FaultAgents.HOSTS) {
      agents.start(host, joining());
    }
    Await.until(
        "all agents joined",
        START,
        () -> coordinator.activeHostCount() == FaultAgents.HOSTS.size());
  }

  CoordinatorJolokia coordinator() {
    return coordinator;
  }

  FaultAgents agents() {
    return agents;
  }

  /** The processes' names, sorted: the coordinator's and the hosts'. */
  List<String> names() {
    List<String> names = new ArrayList<>(FaultAgents.HOSTS);
    names.add(COORDINATOR);
    names.sort(null);
    return names;
  }

  long pid(String name) {
    return process(name).pid();
  }

  /** The process of the coordinator or of a host's agent, as last started. */
  Process process(String name) {
    return name.equals(COORDINATOR) ? coordinatorProcess : agents.process(name);
  }

  /** SIGKILL, and waits until it is gone; not started again. */
  void kill(String name) throws InterruptedException {
    Process process = process(name);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the agent of a host that was powered off ({@link FaultAgents#powerOn}). */
  void powerOn(String host) throws IOException, InterruptedException {
    agents.powerOn(host, joining());
  }

  /** A client of the agents that gives up on a request after {@code timeout}. */
  Map<String, AgentJolokia> agents(Duration timeout) throws IOException {
    return agents.views(timeout);
  }

  /** SIGKILL, as in a crash, then started again. */
  void killAndRestart(String name) throws IOException, InterruptedException {
    kill(name);
    if (name.equals(COORDINATOR)) {
      startCoordinator();
    } else {
      agents.start(name, joining());
    }
  }

  /** The output of the coordinator as last started. */
  Path coordinatorLog() {
    return processes.dir().resolve(COORDINATOR + "-" + coordinatorStarts + ".log");
  }

  /** SIGTERM, as an operator stops it; false when it did not end within a minute. */
  boolean stopCoordinator() throws InterruptedException {
    coordinatorProcess.destroy();
    return coordinatorProcess.waitFor(60, TimeUnit.SECONDS);
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
    coordinatorProcess =
        processes.script(
            log,
            Program.COORDINATOR,
            processes.coordinatorOptions(
                coordinatorPort,
                fence == null ? "500ms" : "1s",
                processes.dir().resolve("coordinator"),
                Stream.concat(failover.stream(), trialSettings().stream()).toArray(String[]::new)));
    processes.endpoint(log, coordinatorProcess, "Jolokia");
    enrolUrl = processes.endpoint(log, coordinatorProcess, "enrol");
  }

  /** As {@link #quiet(CoordinatorJolokia)}, of this cluster's coordinator. */
  boolean quiet() throws JolokiaException, InterruptedException {
    return quiet(coordinator);
  }

  /**
   * No operation runs (the journal holds none as running), every agent is ACTIVE-reachable, no move
   * is UNSETTLED (the coordinator settles those once their agents answer), and the coordinator is
   * not recovering: it refuses requests while it does.
   */
  static boolean quiet(CoordinatorJolokia coordinator)
      throws JolokiaException, InterruptedException {
    for (CoordinatorJolokia.Host host : coordinator.hosts()) {
      if (host.state() == HostState.UNREACHABLE) {
        return false;
      }
    }
    return coordinator.hostCount() == FaultAgents.HOSTS.size()
        && !coordinator.operationRunning()
        && coordinator.unsettledMoves().isEmpty()
        && !coordinator.recovering();
  }

  /** Domain UUID → every copy the agents define, each agent sampled first. */
  Map<String, List<Copy>> copies() throws JolokiaException, InterruptedException {
    return agents.copies();
  }

  /** Domain UUID → where it runs, as the agents last sampled it. */
  Map<String, FaultAgents.Running> running() throws JolokiaException, InterruptedException {
    return agents.running();
  }
}
