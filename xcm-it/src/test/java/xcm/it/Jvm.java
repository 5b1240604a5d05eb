package xcm.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xcm.testkit.launch.XcmCommands;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.testkit.launch.XcmProcess;

/**
 * One XCM process (agent or coordinator) started from the built jars as the demo starts it ({@link
 * XcmCommands}: agents with the test kit beside them, the JVM options of conf/jvm.properties), with
 * its output in {@code target/it-logs/<name>.log}. Stopped by PID.
 */
final class Jvm implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final XcmCommands COMMANDS = XcmCommands.at(ROOT);
  private static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();

  final String name;
  final Process process;
  final Path log;
  private final XcmProcess started;
  String jolokiaUrl;
  String metricsUrl;
  String webhookUrl;
  String enrolUrl;

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
        .with("--jolokia-port", 0)
        .with("--metrics-port", 0)
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

    /** An agent's registration with the coordinator. */
    Options coordinator(Jvm coordinator, Path passwordFile) {
      return with("--coordinator", coordinator.jolokiaUrl)
          .with("--coordinator-password-file", passwordFile);
    }

    /**
     * An agent that asks {@code coordinator}'s enrolment door for its certificate, with a one-time
     * token (in a file of mode 600), keeping its key in {@code keyDir}; libvirt's test driver
     * reports no host UUID, so it is given one, the same for a host name every time.
     */
    Options enrolment(Jvm coordinator, Path authority, Path tokenFile, Path keyDir, String host) {
      return with("--enrol-url", coordinator.enrolUrl)
          .with("--enrol-ca-file", authority)
          .with("--enrol-token-file", tokenFile)
          .with("--enrol-key-dir", keyDir)
          .with("--host-uuid", hostUuid(host));
    }

    /** A {@code -D key=value} setting. */
    Options property(String keyValue) {
      properties.add("-D");
      properties.add(keyValue);
      return this;
    }

    /** A JVM option besides those of conf/jvm.properties, e.g. {@code -Dname=value}. */
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
      Jvm jvm = new Jvm(XcmProcess.start(name, command, ROOT, LOGS.resolve(name + ".log")));
      jvm.awaitEndpoints(program, Duration.ofSeconds(60));
      return jvm;
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
    return java.util
        .UUID
        .nameUUIDFromBytes(
            ("xcm-test-host:" + host).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
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
