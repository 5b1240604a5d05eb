package xcm.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import xcm.bench.BenchProcesses;
import xcm.testkit.launch.XcmProcess;

/**
 * Starts the fleet bench's two kinds of process through {@link BenchProcesses} (which stops them):
 * the simulated fleet ({@link FleetMain}, a JVM of its own on the bench's class path) and
 * coordinators as users start them ({@code ./xcm coordinator ...}). Each is started through {@code
 * bash -c 'ulimit -n N; exec ...'}: at 10,000 hosts the fleet holds 20,000 sockets and a
 * coordinator 10,000, more than the 1,024 (or 20,000) files a process may open by default; the
 * process keeps the PID bash had.
 *
 * <p>Thread-safe: stateless apart from the processes it hands to {@link BenchProcesses}.
 */
final class FleetLaunch {
  private final BenchProcesses processes;
  private final int files;

  /**
   * @param hosts the fleet's size, which says how many files each process must be able to open
   */
  FleetLaunch(BenchProcesses processes, int hosts) {
    this.processes = processes;
    // Two sockets a host in the fleet (listening, accepted), with room for jars, logs and more.
    this.files = Math.max(4096, 2 * hosts + 2048);
  }

  /** The limit on open files each process is given. */
  int files() {
    return files;
  }

  /**
   * Starts the fleet serving every host enrolled in {@code stateDir}, and waits until all listen.
   *
   * @throws IllegalStateException with its output when it exits or is not ready within 10 minutes
   */
  Process fleet(Path stateDir, Path keyFile, int domains, int threads, String heap)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx" + heap,
            "-XX:+UseParallelGC",
            "-cp",
            System.getProperty("java.class.path"),
            FleetMain.class.getName(),
            "--state-dir",
            stateDir.toString(),
            "--key-file",
            keyFile.toString(),
            "--domains",
            Integer.toString(domains),
            "--threads",
            Integer.toString(threads)));
    Process fleet = processes.run("fleet", limited(command));
    XcmProcess.awaitPrinted(
        "the fleet", fleet, processes.dir().resolve("fleet.log"), "ready", Duration.ofMinutes(10));
    return fleet;
  }

  /**
   * Starts {@code ./xcm coordinator <options>} as {@code name}, its output in {@code <name>.log},
   * with the JVM options of {@code conf/jvm.properties} unless {@code javaOptions} is not null.
   */
  Process coordinator(String name, List<String> options, String javaOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(processes.root().resolve("xcm").toString());
    command.add("coordinator");
    command.addAll(options);
    List<String> limited = limited(command);
    if (javaOptions != null) {
      limited.addAll(0, List.of("env", "XCM_COORDINATOR_JAVA_OPTS=" + javaOptions));
    }
    return processes.run(name, limited);
  }

  /** The JVM options {@code ./xcm} gives a coordinator: {@code conf/jvm.properties}. */
  String productCoordinatorOptions() throws IOException {
    String env = System.getenv("XCM_COORDINATOR_JAVA_OPTS");
    if (env != null) {
      return env;
    }
    StringBuilder value = null;
    for (String line : Files.readAllLines(processes.root().resolve("conf/jvm.properties"))) {
      String stripped = line.strip();
      if (value == null && stripped.startsWith("coordinator")) {
        value = new StringBuilder(stripped.substring(stripped.indexOf('=') + 1).strip());
      } else if (value != null) {
        value.append(' ').append(stripped);
      }
      if (value != null && !stripped.endsWith("\\")) {
        break;
      }
    }
    if (value == null) {
      throw new IOException("conf/jvm.properties has no coordinator entry");
    }
    return value.toString().replace("\\ ", " ").replaceAll("\\s+", " ").strip();
  }

  /** {@code command} run by bash after raising its limit on open files. */
  private List<String> limited(List<String> command) {
    List<String> limited = new ArrayList<>();
    limited.add("bash");
    limited.add("-c");
    limited.add("ulimit -n " + files + " && exec \"$@\"");
    limited.add("xcm-bench");
    limited.addAll(command);
    return limited;
  }
}
