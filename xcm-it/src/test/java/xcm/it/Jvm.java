package xcm.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xcm.bench.BenchProcesses;
import xcm.testkit.launch.XcmCommands;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.testkit.launch.XcmProcess;
import xcm.trust.HostCredentials;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;

/**
 * One XCM process (agent or coordinator) started from the built jars as the demo starts it ({@link
 * XcmCommands}: agents with the test kit beside them, the JVM options of conf/agent.jvm and
 * conf/coordinator.jvm), with its output in {@code target/it-logs/<name>.log}. Stopped by PID.
 */
final class Jvm implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final XcmCommands COMMANDS = XcmCommands.at(ROOT);
  static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();

  final String name;
  final Process process;
  final Path log;
  private final XcmProcess started;
  String jolokiaUrl;
  String metricsUrl;
  String webhookUrl;
  String enrolUrl;

  /** A coordinator's state directory: its {@code ca/ca.crt} is what agents trust. */
  Path stateDir;

  private Jvm(XcmProcess started) {
    this.name = started.name();
    this.process = started.process();
    this.log = started.log();
    this.started = started;
  }

  /**
   * A coordinator, with Jolokia and metrics on free ports and the given collect interval; the test
   * adds the rest.
   */
  static Options coordinator(String name, String collectInterval) {
    return new Options(name, Program.COORDINATOR)
        // A state of its own (a cluster authority, enrolments), unless the test gives one.
        .with("--state-dir", freshStateDir(name))
        .with("--jolokia-port", 0)
        .with("--metrics-port", 0)
        .with("--enrol-port", 0)
        .with("--collect-interval", collectInterval);
  }

  /**
   * An agent on the given libvirt URI, with Jolokia and metrics on free ports; the test adds the
   * rest.
   */
  static Options agent(String name, String libvirtUri) {
    return new Options(name, Program.AGENT)
        .with("--libvirt-uri", libvirtUri)
        .with("--jolokia-port", 0)
        .with("--metrics-port", 0);
  }

  private static Path freshStateDir(String name) {
    try {
      Files.createDirectories(LOGS.getParent());
      return Files.createTempDirectory(LOGS.getParent(), "state-" + name + "-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot make a state directory for " + name, e);
    }
  }

  /** The libvirt test driver URI of a host in {@code nodes/}. */
  static String testNode(String host) {
    return "test://" + ROOT.resolve("nodes/" + host + ".xml");
  }

  /** The command line of an XCM process to start: options given once each, then -D settings. */
  static final class Options {
    private final String name;
    private final Program program;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> properties = new ArrayList<>();
    private final List<String> javaOptions = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();

    private Options(String name, Program program) {
      this.name = name;
      this.program = program;
    }

    /** Sets an option, replacing a default of the same name. */
    Options with(String option, Object value) {
      options.put(option, value.toString());
      return this;
    }

    /**
     * An agent that joins {@code coordinator} as host {@code host}: with a one-time token its
     * operator issues (kept in {@code dir}, mode 600), its key and certificate in {@code dir}.
     */
    Options joining(Jvm coordinator, Jolokia operator, Path dir, String host) throws IOException {
      String token;
      try {
        token =
            operator.exec("xcm:type=Enrolment", "issueToken", host, "60").path("value").asText();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while issuing a token for " + host, e);
      }
      Path tokenFile = xcm.testkit.launch.Secrets.write(dir.resolve(host + ".token"), token);
      return enrolment(
          coordinator, coordinator.authority(), tokenFile, dir.resolve(host + "-tls"), host);
    }

    /**
     * An agent that asks {@code coordinator}'s enrolment door for its certificate, with a one-time
     * token (in a file of mode 600), keeping its key in {@code keyDir}; libvirt's test driver
     * reports no host UUID, so it is given one, the same for a host name every time.
     */
    Options enrolment(Jvm coordinator, Path authority, Path tokenFile, Path keyDir, String host) {
      return asking(coordinator, keyDir, host).with("--enrol-token-file", tokenFile);
    }

    /**
     * An agent that asks {@code coordinator} to enrol as {@code host} without a token: it waits
     * until an operator approves it.
     */
    Options asking(Jvm coordinator, Path keyDir, String host) {
      with("--enrol-url", coordinator.enrolUrl)
          .with("--enrol-ca-file", coordinator.authority())
          .with("--enrol-key-dir", keyDir)
          .property("xcm.agent.enrol.poll=1s");
      // libvirt's test driver reports no host UUID: it is given one. A real libvirtd has its own.
      String uri = options.get("--libvirt-uri");
      return uri != null && uri.startsWith("test:") ? with("--host-uuid", hostUuid(host)) : this;
    }

    /** A {@code -D key=value} setting. */
    Options property(String keyValue) {
      properties.add("-D");
      properties.add(keyValue);
      return this;
    }

    /** A JVM option besides those of its argfile in conf/, e.g. {@code -Dname=value}. */
    Options javaOption(String option) {
      javaOptions.add(option);
      return this;
    }

    /**
     * A directory or jar after the program's own jars: test classes the process must be able to
     * load, as a class of the product could be.
     */
    Options classPath(Path entry) {
      classPath.add(entry.toAbsolutePath().toString());
      return this;
    }

    Jvm start() throws IOException {
      List<String> command = command();
      Jvm jvm = new Jvm(XcmProcess.start(name, command, ROOT, LOGS.resolve(name + ".log")));
      if (program == Program.COORDINATOR) {
        jvm.stateDir =
            ROOT.resolve(options.getOrDefault("--state-dir", ".xcm/coordinator")).normalize();
      }
      jvm.awaitEndpoints(program, Duration.ofSeconds(60));
      return jvm;
    }

    /** The command line {@link #start} runs: for a process that something else starts. */
    List<String> command() {
      List<String> args = new ArrayList<>();
      options.forEach(
          (option, value) -> {
            args.add(option);
            args.add(value);
          });
      args.addAll(properties);
      List<String> command = new ArrayList<>(COMMANDS.command(program, args));
      command.addAll(1, javaOptions);
      if (!classPath.isEmpty()) {
        int jars = command.indexOf("-cp") + 1;
        command.set(
            jars,
            command.get(jars) + File.pathSeparator + String.join(File.pathSeparator, classPath));
      }
      return command;
    }
  }

  /**
   * Reads the Jolokia and metrics URLs (and the coordinator's webhook URL, or "off") the process
   * prints once it is ready.
   */
  private void awaitEndpoints(Program program, Duration timeout) throws IOException {
    jolokiaUrl = started.awaitPrinted("Jolokia", timeout);
    metricsUrl = started.awaitPrinted("metrics", timeout);
    if (program == Program.COORDINATOR) {
      webhookUrl = started.awaitPrinted("webhook", timeout);
      enrolUrl = started.awaitPrinted("enrol", timeout);
    }
  }

  /** The libvirt host UUID a test-driver host is given: the same for a name every time. */
  static String hostUuid(String host) {
    return BenchProcesses.hostUuid(host);
  }

  /**
   * A certificate of another agent of this coordinator's cluster, named {@code host}, made with its
   * authority's key as enrolment would: what a member broken into holds.
   */
  HostCredentials agentCertificate(String host) throws IOException {
    return ClusterAuthority.builder()
        .directory(stateDir.resolve("ca"))
        .open()
        .issueWithKey(Subject.agent(host, java.util.UUID.fromString(hostUuid(host))));
  }

  /** A coordinator's cluster authority certificate, which its agents trust. */
  Path authority() {
    return stateDir.resolve("ca/ca.crt");
  }

  long pid() {
    return started.pid();
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  void kill() {
    started.kill();
  }

  @Override
  public void close() {
    started.close();
  }
}
