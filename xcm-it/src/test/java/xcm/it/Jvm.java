package xcm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
