package xcm.bench.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.bench.Procfs;
import xcm.client.JolokiaException;

/**
 * {@code xcm bench collect --hosts N}: one coordinator, as users start it, collecting a simulated
 * fleet of {@code N} hosts ({@link Fleet}, a process of its own) over its real collection path —
 * {@code ClusterCollector} and {@code Agents} on the one {@code JolokiaClient}, over TLS on
 * loopback. It waits until every host is ACTIVE and the coordinator keeps every domain's definition
 * (what it fetches in its first rounds), lets some rounds pass, then measures over {@code rounds}
 * rounds: the round's wall time as the coordinator reports it, the coordinator process's CPU (the
 * fleet's is its own process's, reported apart), and the heap after a full GC.
 *
 * <pre>{@code
 * FleetFigures figures = FleetBench.run(processes, settings, System.out);
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class FleetBench {
  /** What to run. */
  public record Settings(
      int hosts,
      int domains,
      int rounds,
      int settleRounds,
      Duration interval,
      int port,
      int fleetThreads,
      Duration fleetSampleInterval,
      int fleetRamp,
      String fleetHeap,
      String coordinatorHeap,
      List<String> coordinatorProperties,
      boolean takeover) {}

  private FleetBench() {}

  /**
   * Runs the bench in {@code processes}' directory, printing progress to {@code out}.
   *
   * @throws IllegalStateException when the fleet or the coordinator does not come up, or the hosts
   *     do not all become ACTIVE: what happened, with the time it took
   * @throws JolokiaException when the coordinator stops answering once all hosts are ACTIVE
   */
  public static FleetFigures run(BenchProcesses processes, Settings s, PrintStream out)
      throws IOException, InterruptedException, JolokiaException {
    FleetLaunch launch = new FleetLaunch(processes, s.hosts(), s.takeover() ? 2 : 1);
    Path state = processes.dir().resolve("state");
    Path key = processes.dir().resolve("fleet.key");
    long t0 = System.nanoTime();
    FleetSeed.seed(state, key, s.hosts(), s.port());
    out.printf("  %d hosts enrolled in the coordinator's state (%.0f s)%n", s.hosts(), since(t0));
    List<Process> fleet = launch.fleet(state, key, s);
    out.printf(
        "  fleet listening in %s: %s ... (%.0f s)%n",
        launch.describe(),
        FleetSeed.address(1, s.port()).getHostString() + ":" + s.port(),
        since(t0));

    String javaOptions = launch.productCoordinatorOptions();
    if (s.coordinatorHeap() != null) {
      // The last -Xmx on the command line wins over the argfile's.
      javaOptions = javaOptions.replaceAll("\\s*-Xmx\\S+", "") + " -Xmx" + s.coordinatorHeap();
    }
    // A takeover needs a journal both coordinators reach: PostgreSQL, as ./xcm demo --ha runs it.
    Postgres pg = s.takeover() ? Postgres.start() : null;
    try {
      List<String> settings = new ArrayList<>(s.coordinatorProperties());
      if (pg != null) {
        settings.addAll(pg.journalProperties());
      }
      Process coordinator =
          launch.coordinator(
              "coordinator",
              options(processes, s, state, settings, pg == null ? null : "c1"),
              s.coordinatorHeap() == null ? null : javaOptions);
      long started = System.nanoTime();
      String url = processes.endpoint("coordinator", coordinator, "Jolokia");
      CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
      CoordinatorProbe probe = new CoordinatorProbe(BenchProcesses.jolokia().at(url));

      int domains = s.hosts() * s.domains();
      // Cold start: a TLS handshake with every host (both ends on this machine), then the
      // definitions of 200 hosts a round. What does not settle in time is measured as it is.
      Settled active = settleActive(jolokia, out, started, s);
      Settled kept =
          settle(
              jolokia,
              out,
              started,
              // A fleet that never was all ACTIVE is measured as it is, without a long wait more.
              active.reached()
                  ? Duration.ofSeconds(120 + (s.hosts() / 200 + 5) * 2 * s.interval().toSeconds())
                  : Duration.ofSeconds((long) since(started) + 60),
              "definitions kept",
              domains,
              jolokia::definitionsKept);
      awaitRound(jolokia, jolokia.collection().rounds() + s.settleRounds());

      Window window = measure(jolokia, coordinator.pid(), fleet, s.rounds());
      CoordinatorProbe.Heap heap = probe.heapAfterFullGc(coordinator.pid());
      // What fills the heap, to read rather than guess: the largest classes after that full GC.
      Path histogram = processes.dir().resolve("coordinator-histogram.txt");
      List<String> classes = probe.classHistogram(coordinator.pid());
      Files.write(histogram, classes);
      out.printf(
          "  heap by class (jcmd GC.class_histogram, %s):%n    %s%n",
          histogram, String.join("\n    ", classes.subList(0, Math.min(14, classes.size()))));
      long rssKb = Procfs.kb(coordinator.pid(), "status", "VmRSS:");
      TakeoverRun.Result takeover =
          pg == null
              ? null
              : takeover(processes, launch, s, state, settings, javaOptions, out, coordinator);
      return new FleetFigures(
          s,
          launch.describe(),
          javaOptions,
          pg == null ? "H2 in the state directory (the default)" : "PostgreSQL (two coordinators)",
          active,
          kept,
          window.roundMillis,
          window.cpuSeconds,
          window.fleetCpuSeconds,
          window.rounds,
          window.wallSeconds,
          window.minActive,
          heap,
          rssKb,
          window.load,
          takeover);
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /**
   * Starts a standby with a copy of the active's authority (as docs/high-availability.md says; the
   * journal tells it who the hosts are), waits until it sees the whole fleet, and kills the active.
   */
  private static TakeoverRun.Result takeover(
      BenchProcesses processes,
      FleetLaunch launch,
      Settings s,
      Path state,
      List<String> settings,
      String javaOptions,
      PrintStream out,
      Process active)
      throws IOException, InterruptedException, JolokiaException {
    Path standbyState = processes.dir().resolve("state-c2");
    Files.createDirectories(
        standbyState,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Process copy =
        new ProcessBuilder(
                "cp", "-a", state.resolve("ca").toString(), standbyState.resolve("ca").toString())
            .start();
    if (copy.waitFor() != 0) {
      throw new IOException("cannot copy " + state.resolve("ca") + " to " + standbyState);
    }
    Process standby =
        launch.coordinator(
            "coordinator-c2",
            options(processes, s, standbyState, settings, "c2"),
            s.coordinatorHeap() == null ? null : javaOptions);
    long started = System.nanoTime();
    String url = processes.endpoint("coordinator-c2", standby, "Jolokia");
    CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
    out.printf("  standby c2 started; waiting until it sees the fleet%n");
    Settled seen = settleActive(jolokia, out, started, s);
    if (!seen.reached()) {
      out.printf("  the standby does not see all hosts ACTIVE: the takeover starts anyway%n");
    }
    awaitRound(jolokia, jolokia.collection().rounds() + 2);
    TakeoverRun.Result result =
        TakeoverRun.kill(
            out,
            active,
            BenchProcesses.jolokia().at(url),
            jolokia,
            s.hosts(),
            Duration.ofSeconds(120 + s.hosts() / 20));
    out.printf("  %s%n", result);
    return result;
  }

  private static Settled settleActive(
      CoordinatorJolokia jolokia, PrintStream out, long started, Settings s)
      throws InterruptedException {
    return settle(
        jolokia,
        out,
        started,
        Duration.ofSeconds(300 + s.hosts() / 10 + 3L * s.interval().toSeconds()),
        "hosts ACTIVE",
        s.hosts(),
        () -> jolokia.collection().activeHosts());
  }

  /** A coordinator's options: the bench's, {@code settings}, and its name when it has one. */
  private static List<String> options(
      BenchProcesses processes, Settings s, Path state, List<String> settings, String name) {
    List<String> all = new ArrayList<>(settings);
    if (name != null) {
      all.add("xcm.coordinator.name=" + name);
    }
    return processes.coordinatorOptions(0, s.interval().toSeconds() + "s", state, properties(all));
  }

  /** What one measured window saw. */
  private record Window(
      double[] roundMillis,
      double cpuSeconds,
      double fleetCpuSeconds,
      long rounds,
      double wallSeconds,
      int minActive,
      String load) {}

  /**
   * {@code rounds} rounds: each round's wall time read right after it ends (a read of two
   * attributes every 200 ms, a few ms of CPU a second, is the only other load the coordinator gets
   * in this window), and the CPU both processes used meanwhile.
   */
  private static Window measure(
      CoordinatorJolokia jolokia, long coordinator, List<Process> fleet, int rounds)
      throws IOException, InterruptedException, JolokiaException {
    CoordinatorJolokia.Collection first = awaitRound(jolokia, jolokia.collection().rounds() + 1);
    double cpu0 = Procfs.cpuSeconds(coordinator);
    double fleet0 = cpuSeconds(fleet);
    long t0 = System.nanoTime();
    String load0 = Procfs.loadAverage();
    List<Double> wall = new ArrayList<>();
    int minActive = Integer.MAX_VALUE;
    long last = first.rounds();
    while (wall.size() < rounds) {
      CoordinatorJolokia.Collection after = awaitRound(jolokia, last + 1);
      // A round that ended between two reads is missed, not guessed: the next one is taken.
      wall.add(after.lastRoundSeconds() * 1000);
      minActive = Math.min(minActive, after.activeHosts());
      last = after.rounds();
    }
    double cpu = Procfs.cpuSeconds(coordinator) - cpu0;
    double fleetCpu = cpuSeconds(fleet) - fleet0;
    double seconds = since(t0);
    return new Window(
        wall.stream().mapToDouble(Double::doubleValue).toArray(),
        cpu,
        fleetCpu,
        last - first.rounds(),
        seconds,
        minActive,
        load0 + " -> " + Procfs.loadAverage());
  }

  /**
   * How a count settled: the seconds from the coordinator's start until it reached its target (NaN
   * when it did not in time), and the most it reached.
   */
  public record Settled(double seconds, int most, int target) {
    public boolean reached() {
      return !Double.isNaN(seconds);
    }

    @Override
    public String toString() {
      return reached()
          ? String.format("%.0f s", seconds)
          : String.format("not within the wait (at most %,d of %,d)", most, target);
    }
  }

  private interface Count {
    int now() throws JolokiaException, InterruptedException;
  }

  /** Waits until {@code count} reaches {@code target} or {@code patience} passes. */
  private static Settled settle(
      CoordinatorJolokia jolokia,
      PrintStream out,
      long started,
      Duration patience,
      String what,
      int target,
      Count count)
      throws InterruptedException {
    long deadline = started + patience.toNanos();
    long nextReport = System.nanoTime() + 30_000_000_000L;
    int most = 0;
    int now = 0;
    while (true) {
      try {
        now = count.now();
        most = Math.max(most, now);
        if (now >= target) {
          out.printf("  %,d %s after %.0f s%n", target, what, since(started));
          return new Settled(since(started), most, target);
        }
        if (System.nanoTime() > nextReport) {
          CoordinatorJolokia.Collection c = jolokia.collection();
          out.printf(
              "  %.0f s: %,d of %,d %s; round %d took %.1f s, %,d hosts ACTIVE%n",
              since(started), now, target, what, c.rounds(), c.lastRoundSeconds(), c.activeHosts());
          nextReport += 30_000_000_000L;
        }
      } catch (JolokiaException e) {
        // Starting, or too busy to answer within the client's timeout: asked again.
      }
      if (System.nanoTime() > deadline) {
        out.printf(
            "  %s: not within %d s of the coordinator's start (at most %,d of %,d); measured as"
                + " it is%n",
            what, patience.toSeconds(), most, target);
        return new Settled(Double.NaN, most, target);
      }
      Thread.sleep(1000);
    }
  }

  private static CoordinatorJolokia.Collection awaitRound(CoordinatorJolokia jolokia, long round)
      throws InterruptedException, JolokiaException {
    CoordinatorJolokia.Collection c = jolokia.collection();
    while (c.rounds() < round) {
      Thread.sleep(200);
      c = jolokia.collection();
    }
    return c;
  }

  private static double cpuSeconds(List<Process> processes) throws IOException {
    double seconds = 0;
    for (Process p : processes) {
      seconds += Procfs.cpuSeconds(p.pid());
    }
    return seconds;
  }

  /** {@code -D key=value} for each property. */
  private static String[] properties(List<String> properties) {
    List<String> options = new ArrayList<>();
    for (String property : properties) {
      options.add("-D");
      options.add(property);
    }
    return options.toArray(new String[0]);
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
