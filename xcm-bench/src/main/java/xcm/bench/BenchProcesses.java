package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.testkit.launch.XcmProcess;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

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

  private final Path root;
  private final XcmCommands commands;
  private final Path dir;
  private final Path password;
  private final List<Process> processes = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stopAll, "xcm-bench-stop");

  /** A new temporary directory {@code xcm-bench-<name>...} with the password files. */
  public BenchProcesses(Path root, String name) throws IOException {
    this.root = root;
    this.commands = XcmCommands.at(root);
    this.dir = Files.createTempDirectory("xcm-bench-" + name);
    this.password = Secrets.write(dir.resolve("password"), PASSWORD);
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

  /**
   * The options every coordinator a bench starts is given: Jolokia on {@code jolokiaPort} (0: any
   * free port, which it prints) for operators with {@link #PASSWORD}, /metrics and its enrolment
   * door on any port (it prints {@code enrol https://…/enrol}), collecting every {@code
   * collectInterval}, its state (the cluster's authority in {@code ca/}) in {@code stateDir}; then
   * {@code more}. It reaches only the agents it enrolled.
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
            "--enrol-port",
            "0");
    options.addAll(List.of(more));
    return options;
  }

  /**
   * How the agents a bench starts join its coordinator: its enrolment door, its authority's
   * certificate file, and its operator, who issues each a one-time token.
   */
  public record Joining(String enrolUrl, Path authority, CoordinatorJolokia operator) {}

  /**
   * What agents need to join the coordinator {@code coordinator}, started as {@code name} with
   * {@link #coordinatorOptions} and its state in {@code stateDir}.
   */
  public Joining joining(String name, Process coordinator, Path stateDir)
      throws IOException, InterruptedException {
    String jolokia = endpoint(name, coordinator, "Jolokia");
    String enrol = endpoint(name, coordinator, "enrol");
    return new Joining(
        enrol, stateDir.resolve("ca/ca.crt"), new CoordinatorJolokia(jolokia().at(jolokia)));
  }

  /**
   * The options every agent a bench starts is given: Jolokia on {@code jolokiaPort} (0: any free
   * port, which it prints) with {@link #PASSWORD} for its local user {@code xcm}, /metrics on any
   * port; when {@code joining} is not null, it enrols as {@code host} with a token its operator
   * issues, keeping its key in {@code <dir>/<host>-tls} (its Jolokia then speaks HTTPS: {@link
   * #agentJolokia}); on libvirt's test driver, which reports none, with {@link #hostUuid} of the
   * host. Then {@code more}.
   */
  public List<String> agentOptions(int jolokiaPort, String host, Joining joining, String... more)
      throws IOException, InterruptedException {
    List<String> options = served(jolokiaPort);
    if (joining != null) {
      String token;
      try {
        token = joining.operator().issueToken(host, 60);
      } catch (JolokiaException e) {
        throw new IOException("cannot issue an enrolment token for " + host + ": " + e, e);
      }
      options.addAll(
          List.of(
              "--enrol-url",
              joining.enrolUrl(),
              "--enrol-ca-file",
              joining.authority().toString(),
              "--enrol-token-file",
              Secrets.write(dir.resolve(host + ".token"), token).toString(),
              "--enrol-key-dir",
              dir.resolve(host + "-tls").toString()));
      int uri = List.of(more).indexOf("--libvirt-uri");
      if (uri >= 0 && uri + 1 < more.length && more[uri + 1].startsWith("test:")) {
        options.addAll(List.of("--host-uuid", hostUuid(host)));
      }
    }
    options.addAll(List.of(more));
    return options;
  }

  /**
   * The bench's client of enrolled agents, as their local user {@code xcm} with {@link #PASSWORD},
   * over TLS trusting the cluster authority's certificate in {@code authority}.
   */
  public static JolokiaClient agentJolokia(Path authority) throws IOException {
    return agentJolokia(authority, Duration.ofSeconds(60));
  }

  /** As {@link #agentJolokia(Path)}, each request given up after {@code timeout}. */
  public static JolokiaClient agentJolokia(Path authority, Duration timeout) throws IOException {
    try {
      return agentJolokia(Pem.readCertificates(Files.readString(authority)).get(0), timeout);
    } catch (CertificateException e) {
      throw new IOException("cannot read the cluster's authority " + authority + ": " + e, e);
    }
  }

  /** As {@link #agentJolokia(Path)}, trusting the cluster authority's certificate {@code ca}. */
  public static JolokiaClient agentJolokia(X509Certificate ca) {
    return agentJolokia(ca, Duration.ofSeconds(60));
  }

  /**
   * As {@link #agentJolokia(X509Certificate)}, each request given up after {@code timeout}: for a
   * reader that must not wait on an agent that is stopped.
   */
  public static JolokiaClient agentJolokia(X509Certificate ca, Duration timeout) {
    return JolokiaClient.builder()
        .credentials(Credentials.basic("xcm", PASSWORD, "the bench's credentials"))
        .tls(
            ClientTls.builder()
                .authority(ca)
                .revocations(Revocations::none)
                .expectServer(ExpectedPeer.role(Role.AGENT))
                .build())
        .timeout(timeout)
        .build();
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

  /**
   * Starts an agent for {@code host} on libvirt's test driver with the host file {@code node}, the
   * test kit beside it (the agents hand domains over), enrolling through {@code joining}; returns
   * once its Jolokia answers, with its URL.
   */
  public String testDriverAgent(String host, Joining joining, Path node)
      throws IOException, InterruptedException {
    Process agent =
        xcm(
            host,
            Program.AGENT,
            agentOptions(0, host, joining, "--name", host, "--libvirt-uri", "test://" + node));
    return endpoint(host, agent, "Jolokia");
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
