package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes a bench starts, each exactly as users start it ({@code ./xcm agent ...}, {@code
 * ./xcm coordinator ...}) with its output in a file of a temporary directory. {@link #close()}
 * stops them all by PID and deletes the directory; so does a bench stopped by Ctrl-C or SIGTERM.
 */
final class BenchProcesses implements AutoCloseable {
  static final String PASSWORD = "bench";

  /**
   * The agents' peer user's: they hand domains over to each other with it, and may do only that.
   */
  static final String PEER_PASSWORD = "bench-peer";

  private final Path root;
  final Path dir;
  final Path password;
  final Path peerPassword;
  private final List<Process> processes = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stopAll, "xcm-bench-stop");

  BenchProcesses(Path root, String name) throws IOException {
    this.root = root;
    this.dir = Files.createTempDirectory("xcm-bench-" + name);
    this.password = Files.writeString(dir.resolve("password"), PASSWORD);
    this.peerPassword = Files.writeString(dir.resolve("peer.password"), PEER_PASSWORD);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts {@code ./xcm <args>} with its output appended to {@code <dir>/<name>.log}, so that a
   * process started again after a kill keeps its earlier output.
   */
  Process start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("xcm").toString());
    command.addAll(args);
    return run(name, command);
  }

  /**
   * Starts {@code java <options> -jar <root>/<jar> <args>} with this JVM's java, for tests that run
   * where the jars were just built (no {@code ./xcm} build check).
   */
  Process java(String name, List<String> options, String jar, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-jar");
    command.add(root.resolve(jar).toString());
    command.addAll(args);
    return run(name, command);
  }

  /** Starts another program (a peer to compare with) the same way. */
  Process run(String name, List<String> command) throws IOException {
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
  String endpoint(String name, Process process, String label)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          String[] words = line.trim().split("\\s+");
          if (words.length >= 2 && words[0].equals(label)) {
            return words[1];
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + ": not ready within 120 s, see " + log);
  }

  /** Processes started so far, in order. */
  List<Process> all() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  /** Copies every process's log to {@code target}, which outlives {@link #close()}. */
  void keepLogs(Path target) throws IOException {
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
