package xcm.bench.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import xcm.bench.BenchProcesses;
import xcm.testkit.launch.XcmProcess;

/**
 * Starts the fleet bench's two kinds of process through {@link BenchProcesses} (which stops them):
 * the simulated fleet ({@link FleetMain}, JVMs of its own on the bench's class path) and
 * coordinators as users start them ({@code ./xcm coordinator ...}). Each is started through {@code
 * bash -c 'ulimit -n N; exec ...'} (the process keeps the PID bash had): at 10,000 hosts the fleet
 * holds 20,000 sockets and a coordinator 10,000, more than a process may open by default. Where the
 * hard limit is lower than the fleet needs (20,000 on some machines, and raising it takes a
 * privilege a container may not have), the fleet is split into as many processes as it takes.
 *
 * <p>Thread-safe: stateless apart from the processes it hands to {@link BenchProcesses}.
 */
final class FleetLaunch {
  /** Files a process opens besides its sockets: jars, logs, epoll, pipes. */
  private static final int OTHER_FILES = 1024;

  private final BenchProcesses processes;
  private final int hosts;
  private final long hardLimit;
  private final int coordinators;
  private final int parts;

  /**
   * @param hosts the fleet's size, which says how many files the processes must be able to open
   * @param coordinators how many coordinators collect from the fleet at once, each with a
   *     connection to every host
   * @throws IOException when even one host per process, or the coordinator's connections, would not
   *     fit under the hard limit: what is needed and what the limit is
   */
  FleetLaunch(BenchProcesses processes, int hosts, int coordinators) throws IOException {
    this.processes = processes;
    this.hosts = hosts;
    this.coordinators = coordinators;
    this.hardLimit = hardLimit();
    // A socket a host in the fleet (listening), one accepted for each coordinator, one more for
    // some (the definitions read beside the collection's). A standby collects too: counted alone,
    // a takeover run's fleet ran out of files with 2,920 of 10,000 hosts seen by the standby.
    int parts = 1;
    while (filesForFleetPart(parts) > hardLimit && parts < hosts) {
      parts++;
    }
    this.parts = parts;
    if (filesForFleetPart(parts) > hardLimit || filesForCoordinator() > hardLimit) {
      throw new IOException(
          "a process may open at most "
              + hardLimit
              + " files here (ulimit -Hn), fewer than "
              + hosts
              + " hosts need");
    }
  }

  private long filesForFleetPart(int parts) {
    return (1L + coordinators) * ((hosts + parts - 1) / parts)
        + coordinators * (hosts / 20)
        + OTHER_FILES;
  }

  private long filesForCoordinator() {
    return hosts + hosts / 20 + OTHER_FILES;
  }

  /** The hard limit on open files of processes started from here. */
  private static long hardLimit() throws IOException {
    Process p = new ProcessBuilder("bash", "-c", "ulimit -Hn").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading ulimit -Hn", e);
    }
    return out.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(out);
  }

  /** How many processes the fleet runs in, and why, for the report. */
  String describe() {
    return parts == 1
        ? "one process"
        : parts + " processes (a process may open at most " + hardLimit + " files here)";
  }

  /**
   * Starts the fleet serving every host enrolled in {@code stateDir}, and waits until all listen.
   *
   * @throws IllegalStateException with its output when a process exits or is not ready within 10
   *     minutes
   */
  List<Process> fleet(Path stateDir, Path keyFile, FleetBench.Settings s) throws IOException {
    List<Process> fleet = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      String name = parts == 1 ? "fleet" : "fleet-" + part;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xmx" + s.fleetHeap(),
              "-XX:+UseParallelGC",
              "-cp",
              System.getProperty("java.class.path"),
              FleetMain.class.getName(),
              "--state-dir",
              stateDir.toString(),
              "--key-file",
              keyFile.toString(),
              "--domains",
              Integer.toString(s.domains()),
              "--threads",
              Integer.toString(s.fleetThreads()),
              "--sample-interval",
              Long.toString(s.fleetSampleInterval().toSeconds()),
              "--ramp",
              Integer.toString((s.fleetRamp() + parts - 1) / parts),
              "--ramp-seconds",
              Long.toString(s.interval().toSeconds()),
              "--part",
              part + "/" + parts));
      fleet.add(processes.run(name, limited(command, filesForFleetPart(parts))));
    }
    for (int part = 0; part < parts; part++) {
      String name = parts == 1 ? "fleet" : "fleet-" + part;
      XcmProcess.awaitPrinted(
          "the fleet",
          fleet.get(part),
          processes.dir().resolve(name + ".log"),
          "ready",
          Duration.ofMinutes(10));
    }
    return fleet;
  }

  /**
   * Starts {@code ./xcm coordinator <options>} as {@code name}, its output in {@code <name>.log},
   * with the JVM options of {@code conf/coordinator.jvm} unless {@code javaOptions} is not null.
   */
  Process coordinator(String name, List<String> options, String javaOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(processes.root().resolve("xcm").toString());
    command.add("coordinator");
    command.addAll(options);
    List<String> limited = limited(command, filesForCoordinator());
    if (javaOptions != null) {
      limited.addAll(0, List.of("env", "XCM_COORDINATOR_JAVA_OPTS=" + javaOptions));
    }
    return processes.run(name, limited);
  }

  /**
   * The JVM options {@code ./xcm} gives a coordinator: the argfile {@code conf/coordinator.jvm}.
   */
  String productCoordinatorOptions() throws IOException {
    String env = System.getenv("XCM_COORDINATOR_JAVA_OPTS");
    if (env != null) {
      return env;
    }
    Path file = processes.root().resolve("conf/coordinator.jvm");
    if (!Files.isReadable(file)) {
      throw new IOException(file + " is missing: the coordinator's JVM options");
    }
    return "@" + file.toAbsolutePath();
  }

  /**
   * {@code command} run by bash after raising its limit on open files to at least {@code files}.
   */
  private List<String> limited(List<String> command, long files) {
    long limit = Math.min(hardLimit, Math.max(files, 4096));
    List<String> limited = new ArrayList<>();
    limited.add("bash");
    limited.add("-c");
    limited.add("ulimit -n " + limit + " && exec \"$@\"");
    limited.add("xcm-bench");
    limited.addAll(command);
    return limited;
  }
}
