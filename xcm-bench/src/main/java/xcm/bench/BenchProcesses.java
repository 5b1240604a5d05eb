package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.testkit.launch.XcmProcess;

/**
 * The processes a bench starts, with their output in files of a temporary directory: the product as
 * users start it ({@code ./xcm agent ...}, {@code ./xcm coordinator ...}), or agents with the test
 * kit beside them as the demo starts them ({@link XcmCommands}), for clusters on libvirt's test
 * driver that hand domains over or keep them across restarts. {@link #close()} stops them all by
 * PID and deletes the directory; so does a bench stopped by Ctrl-C or SIGTERM.
 *
 * <pre>{@code
 * try (BenchProcesses processes = new BenchProcesses(root, "drain")) {
 *   Process coordinator = processes.script(
 *       "coordinator", Program.COORDINATOR, processes.coordinatorOptions(0, "1s", state));
 *   String url = processes.endpoint("coordinator", coordinator, "Jolokia");
 *   CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class BenchProcesses implements AutoCloseable {
  /** The password of user {@code xcm} on every process a bench starts. */
  public static final String PASSWORD = "bench";

  /**
   * The agents' peer user's: they hand domains over to each other with it, and may do only that.
   */
  private static final String PEER_PASSWORD = "bench-peer";

  private final Path root;
  private final XcmCommands commands;
  private final Path dir;
  private final Path password;
  private final Path peerPassword;
  private final List<Process> processes = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stopAll, "xcm-bench-stop");

  /** A new temporary directory {@code xcm-bench-<name>...} with the password files. */
  public BenchProcesses(Path root, String name) throws IOException {
    this.root = root;
    this.commands = XcmCommands.at(root);
    this.dir = Files.createTempDirectory("xcm-bench-" + name);
    this.password = Secrets.write(dir.resolve("password"), PASSWORD);
    this.peerPassword = Secrets.write(dir.resolve("peer.password"), PEER_PASSWORD);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * The one XCM Jolokia client as user {@code xcm} with {@link #PASSWORD}: what the benches read
   * and act through. A request may take a minute, as on a loaded shared machine.
   */
  public static JolokiaClient jolokia() {
    return JolokiaClient.builder()
        .credentials(Credentials.basic("xcm", PASSWORD, "the bench's credentials"))
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  /** The XCM checkout the processes run from: its {@code xcm} script, jars and {@code nodes/}. */
  public Path root() {
    return root;
  }

  /** The temporary directory: logs, state directories, generated host XML. */
  public Path dir() {
    return dir;
  }

  /** The file holding {@link #PASSWORD}, for {@code --*-password-file} options. */
  public Path passwordFile() {
    return password;
  }

  /** The file holding the agents' peer password, for {@code --jolokia-peer-password-file}. */
  public Path peerPasswordFile() {
    return peerPassword;
  }

  /**
   * The options every coordinator a bench starts is given: Jolokia on {@code jolokiaPort} (0: any
   * free port, which it prints), /metrics on any port, collecting every {@code collectInterval},
   * its state in {@code stateDir}, and {@link #PASSWORD} for agents, agents registering and
   * operators; then {@code more}.
   */
  public List<String> coordinatorOptions(
      int jolokiaPort, String collectInterval, Path stateDir, String... more) {
    List<String> options =
        served(
            jolokiaPort,
            "--collect-interval",
            collectInterval,
            "--state-dir",
            stateDir.toString(),
            "--agent-password-file",
            password.toString(),
            "--jolokia-registration-password-file",
            password.toString());
    options.addAll(List.of(more));
    return options;
  }

  /**
   * The options every agent a bench starts is given: Jolokia on {@code jolokiaPort} (0: any free
   * port, which it prints) with {@link #PASSWORD} for user {@code xcm} and the peer password,
   * /metrics on any port, registering with the coordinator at {@code coordinatorUrl} unless that is
   * null; then {@code more}.
   */
  public List<String> agentOptions(int jolokiaPort, String coordinatorUrl, String... more) {
    List<String> options =
        served(jolokiaPort, "--jolokia-peer-password-file", peerPassword.toString());
    if (coordinatorUrl != null) {
      options.addAll(
          List.of(
              "--coordinator", coordinatorUrl, "--coordinator-password-file", password.toString()));
    }
    options.addAll(List.of(more));
    return options;
  }

  /**
   * A coordinator in certificate mode: as {@link #coordinatorOptions} but with no password for
   * agents and none for agents registering, so it reaches only the agents it enrolled, over mutual
   * TLS; its enrolment door on any free port (it prints {@code enrol https://…/enrol}) and its
   * cluster authority in {@code <stateDir>/ca/}; then {@code more}.
   */
  public List<String> enrolmentCoordinatorOptions(
      String collectInterval, Path stateDir, String... more) {
    List<String> options =
        served(
            0,
            "--collect-interval",
            collectInterval,
            "--state-dir",
            stateDir.toString(),
            "--enrol-port",
            "0");
    options.addAll(List.of(more));
    return options;
  }

  /**
   * An agent that enrols with the coordinator's door at {@code enrolUrl}, trusting the cluster
   * authority's certificate {@code authority} ({@code <state>/ca/ca.crt}), presenting the one-time
   * token in {@code tokenFile} (mode 600), keeping its key and certificate in {@code keyDir};
   * libvirt's test driver reports no host UUID, so it is given {@link #hostUuid(String)} of {@code
   * host}. Its Jolokia is then HTTPS with its cluster certificate, and still takes {@link
   * #PASSWORD} for user {@code xcm} from a client without one; then {@code more}.
   */
  public List<String> enrolledAgentOptions(
      String host, String enrolUrl, Path authority, Path tokenFile, Path keyDir, String... more) {
    List<String> options =
        served(
            0,
            "--enrol-url",
            enrolUrl,
            "--enrol-ca-file",
            authority.toString(),
            "--enrol-token-file",
            tokenFile.toString(),
            "--enrol-key-dir",
            keyDir.toString(),
            "--host-uuid",
            hostUuid(host));
    options.addAll(List.of(more));
    return options;
  }

  /**
   * The libvirt host UUID a test-driver host is given when it enrols: the same for a name every
   * time (as xcm-it's tests give it).
   */
  public static String hostUuid(String host) {
    return UUID.nameUUIDFromBytes(("xcm-test-host:" + host).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Jolokia on {@code jolokiaPort} for user {@code xcm} with {@link #PASSWORD}, /metrics on any.
   */
  private List<String> served(int jolokiaPort, String... more) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--jolokia-port",
                Integer.toString(jolokiaPort),
                "--metrics-port",
                "0",
                "--jolokia-password-file",
                password.toString()));
    options.addAll(List.of(more));
    return options;
  }

  /**
   * Starts the agent or the coordinator as users do, {@code ./xcm agent|coordinator <options>},
   * with its output appended to {@code <dir>/<name>.log}, so that a process started again after a
   * kill keeps its earlier output.
   *
   * @throws IllegalArgumentException for another program, which {@code ./xcm} does not start so
   */
  public Process script(String name, Program program, List<String> options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("xcm").toString());
    command.add(
        switch (program) {
          case AGENT -> "agent";
          case COORDINATOR -> "coordinator";
          default -> throw new IllegalArgumentException("./xcm does not start " + program + " so");
        });
    command.addAll(options);
    return run(name, command);
  }

  /**
   * Starts an XCM program from the jars just built, as {@link XcmCommands} builds its command line
   * (no {@code ./xcm} build check), with its output appended to {@code <dir>/<name>.log}.
   */
  public Process xcm(String name, Program program, List<String> args) throws IOException {
    return run(name, commands.command(program, args));
  }

  /** Starts another program (a peer to compare with) the same way. */
  public Process run(String name, List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
            .start();
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  /** The word after {@code label} in what the process printed once ready, e.g. its Jolokia URL. */
  public String endpoint(String name, Process process, String label)
      throws IOException, InterruptedException {
    return XcmProcess.awaitPrinted(
        name, process, dir.resolve(name + ".log"), label, Duration.ofSeconds(120));
  }

  /** Processes started so far, in order. */
  public List<Process> all() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  /** Copies every process's log to {@code target}, which outlives {@link #close()}. */
  public void keepLogs(Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook stops the processes.
    }
    stopAll();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void stopAll() {
    List<Process> started = all();
    for (Process p : started) {
      p.destroy();
    }
    for (Process p : started) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
