package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An installed systemd unit of XCM's packages, started as systemd would start it on a machine
 * without systemd as PID 1: its {@code ExecStart} line, as its {@code User}, with its {@code
 * Environment}, its output in a log. Stopped by PID.
 */
final class InstalledService implements AutoCloseable {
  private final String unit;
  private final Map<String, String> service;
  private final Path log;
  private Process process;

  private InstalledService(String unit, Map<String, String> service, Path log) {
    this.unit = unit;
    this.service = service;
    this.log = log;
  }

  /** The unit {@code /lib/systemd/system/<unit>} as installed, its [Service] keys read. */
  static InstalledService of(String unit, Path log) throws IOException {
    return new InstalledService(unit, section(unitFile(unit), "Service"), log);
  }

  static Path unitFile(String unit) {
    return Path.of("/lib/systemd/system", unit);
  }

  /**
   * The keys of one section of a unit file; a key given twice (Environment=) keeps its values
   * joined by a space, as systemd joins them.
   */
  static Map<String, String> section(Path file, String name) throws IOException {
    Map<String, String> keys = new LinkedHashMap<>();
    String current = null;
    for (String line : Files.readAllLines(file)) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
        continue;
      }
      if (s.startsWith("[")) {
        current = s.substring(1, s.length() - 1);
      } else if (name.equals(current) && s.contains("=")) {
        String key = s.substring(0, s.indexOf('=')).strip();
        String value = s.substring(s.indexOf('=') + 1).strip();
        keys.merge(key, value, (a, b) -> a + " " + b);
      }
    }
    return keys;
  }

  String get(String key) {
    return service.getOrDefault(key, "");
  }

  /** Starts the ExecStart line as the unit's user, with its environment. */
  void start() throws IOException {
    assertThat(process).as(unit + " started twice").isNull();
    List<String> command = new ArrayList<>(List.of("runuser", "-u", get("User"), "--", "env"));
    if (!get("Environment").isEmpty()) {
      command.addAll(List.of(get("Environment").split("\\s+")));
    }
    command.addAll(List.of(get("ExecStart").split("\\s+")));
    Files.createDirectories(log.getParent());
    // Where systemd starts a service: the root directory.
    process =
        new ProcessBuilder(command)
            .directory(Path.of("/").toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops it as systemd would: SIGTERM to the process and its children, then SIGKILL. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    process = null;
  }

  @Override
  public String toString() {
    return unit + " (log " + log + ")";
  }
}
