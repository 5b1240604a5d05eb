package xcm.agent.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An agent in a JVM of its own, started from the built jar as {@code ./xcm agent} starts it, with
 * its output in {@code target/it-logs/<name>.log}: Jolokia serves every MBeanServer of a JVM, so
 * two agents in one JVM would see each other's MBeans. Stopped by its PID.
 */
final class AgentProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "xcm-agent.jar").toAbsolutePath();
  private static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();

  final String name;
  private final Process process;
  private final Path log;
  private String jolokiaUrl;

  private AgentProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the agent; call {@link #awaitReady()} before using it.
   *
   * @param passwordFile its operator's password, the coordinator's
   * @param peerPasswordFile the password of its peer user, whom other agents hand domains over to
   *     it as, and which it uses toward them
   */
  static AgentProcess launch(
      String name, String libvirtUri, Path passwordFile, Path peerPasswordFile) throws IOException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start, like ./xcm's agent options.
    command.addAll(List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k"));
    command.addAll(
        List.of(
            "-jar",
            JAR.toString(),
            "--libvirt-uri",
            libvirtUri,
            "--name",
            name,
            "--sample-interval",
            "1s",
            "--jolokia-port",
            "0",
            "--metrics-port",
            "0",
            "--jolokia-password-file",
            passwordFile.toString(),
            "--jolokia-peer-password-file",
            peerPasswordFile.toString()));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new AgentProcess(name, process, log);
  }

  /** Waits for the Jolokia URL the agent prints once it is ready. */
  AgentProcess awaitReady() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        String[] words = line.trim().split("\\s+");
        if (words.length >= 2 && words[0].equals("Jolokia")) {
          jolokiaUrl = words[1];
        }
      }
      if (jolokiaUrl != null) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(name + ": interrupted while starting", e);
      }
    }
    close();
    throw new IllegalStateException(name + " did not start in 60 s:\n" + Files.readString(log));
  }

  String jolokiaUrl() {
    return jolokiaUrl;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: the agent dies at once, as in a crash, and its test-driver domains with it. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }
}
