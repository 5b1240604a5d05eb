package xcm.testkit.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One program started in a process of its own (usually from {@link XcmCommands}), its output and
 * errors together in a log file, where what it prints once ready is read: an agent's or a
 * coordinator's {@code Jolokia URL}, {@code metrics URL} lines. Stopped by its PID.
 *
 * <pre>{@code
 * try (XcmProcess agent = XcmProcess.start("dmz01", xcm.command(Program.AGENT, args), root, log)) {
 *   String jolokia = agent.awaitPrinted("Jolokia", Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class XcmProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path log;

  private XcmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} in {@code directory}, its output replacing what {@code log} held.
   *
   * @param name what the process is called in errors, e.g. its host
   */
  public static XcmProcess start(String name, List<String> command, Path directory, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new XcmProcess(name, process, log);
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** What it printed so far. */
  public String output() throws IOException {
    return read(log);
  }

  /** The word after {@code label} at the start of a line it printed so far, e.g. "Jolokia". */
  public Optional<String> printed(String label) throws IOException {
    return printed(log, label);
  }

  /**
   * Waits until it prints a line starting with {@code label}; returns the word after it. When it
   * exits first or the time is up it is stopped, and the error holds its output.
   */
  public String awaitPrinted(String label, Duration timeout) throws IOException {
    try {
      return awaitPrinted(name, process, log, label, timeout);
    } catch (IllegalStateException e) {
      close();
      throw e;
    }
  }

  /**
   * {@link #awaitPrinted(String, Duration)} for a process started elsewhere with its output in
   * {@code log}; it is left running when the time is up.
   *
   * @throws IllegalStateException with the output, when it exits first or the time is up
   */
  public static String awaitPrinted(
      String name, Process process, Path log, String label, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> value = printed(log, label);
      if (value.isPresent()) {
        return value.get();
      }
      if (!process.isAlive()) {
        // Its last words may have come after the read above.
        value = printed(log, label);
        if (value.isPresent()) {
          return value.get();
        }
        throw new IllegalStateException(name + " exited at start:\n" + read(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " printed no '" + label + "' line within " + timeout + ":\n" + read(log));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(name + ": interrupted while waiting for it to start", e);
      }
    }
  }

  /** SIGKILL: it dies at once, as in a crash. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM, and SIGKILL if it has not ended 10 s later. */
  @Override
  public void close() {
    process.destroy();
    if (!awaitExit()) {
      kill();
    }
  }

  private boolean awaitExit() {
    try {
      return process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<String> printed(Path log, String label) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    return read(log)
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .filter(words -> words.length >= 2 && words[0].equals(label))
        .map(words -> words[1])
        .findFirst();
  }

  /** Leniently: the process may be half-way through writing a character. */
  private static String read(Path log) throws IOException {
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }
}
