package xcm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One XCM process (agent or coordinator) started from its built jar, as {@code ./xcm} starts it,
 * with its output in {@code target/it-logs/<name>.log}. Stopped by PID.
 */
final class Jvm implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();

  final String name;
  final Process process;
  final Path log;
  String jolokiaUrl;
  String metricsUrl;
  String webhookUrl;

  private Jvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The coordinator's JVM options in the ITs. */
  static final List<String> COORDINATOR_JVM =
      List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** The agents' JVM options in the ITs: small, as many of them run at once. */
  static final List<String> AGENT_JVM =
      List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k");

  /**
   * A coordinator from its jar with {@link #COORDINATOR_JVM}, Jolokia and metrics on free ports and
   * the given collect interval; the test adds the rest.
   */
  static Options coordinator(String name, String collectInterval) {
    return new Options(name, COORDINATOR_JVM, "xcm-coordinator/target/xcm-coordinator.jar")
        .with("--jolokia-port", 0)
        .with("--metrics-port", 0)
        .with("--collect-interval", collectInterval);
  }

  /**
   * An agent from its jar with {@link #AGENT_JVM}, on the given libvirt URI, with Jolokia and
   * metrics on free ports; the test adds the rest.
   */
  static Options agent(String name, String libvirtUri) {
    return new Options(name, AGENT_JVM, "xcm-agent/target/xcm-agent.jar")
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
    private List<String> javaOptions;
    private final String jar;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> properties = new ArrayList<>();

    private Options(String name, List<String> javaOptions, String jar) {
      this.name = name;
      this.javaOptions = javaOptions;
      this.jar = jar;
    }

    /** Other JVM options instead of the default ones. */
    Options javaOptions(List<String> javaOptions) {
      this.javaOptions = javaOptions;
      return this;
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

    /** A {@code -D key=value} setting. */
    Options property(String keyValue) {
      properties.add("-D");
      properties.add(keyValue);
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
      return Jvm.start(name, javaOptions, jar, args);
    }
  }

  static Jvm start(String name, List<String> javaOptions, String jar, List<String> args)
      throws IOException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-jar");
    command.add(ROOT.resolve(jar).toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Jvm jvm = new Jvm(name, process, log);
    jvm.awaitEndpoints(Duration.ofSeconds(60));
    return jvm;
  }

  /**
   * Reads the Jolokia and metrics URLs (and the coordinator's webhook URL) the process prints once
   * it is ready.
   */
  private void awaitEndpoints(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        String[] words = line.trim().split("\\s+");
        if (words.length >= 2 && words[0].equals("Jolokia")) {
          jolokiaUrl = words[1];
        } else if (words.length >= 2 && words[0].equals("metrics")) {
          metricsUrl = words[1];
        } else if (words.length >= 2 && words[0].equals("webhook")) {
          webhookUrl = words[1];
        }
      }
      if (jolokiaUrl != null && metricsUrl != null) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + Files.readString(log));
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException(
        name + " did not start within " + timeout + ":\n" + Files.readString(log));
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
