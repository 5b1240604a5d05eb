package xcm.bench.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
      String fleetHeap,
      String coordinatorHeap) {}

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
    FleetLaunch launch = new FleetLaunch(processes, s.hosts());
    Path state = processes.dir().resolve("state");
    Path key = processes.dir().resolve("fleet.key");
    long t0 = System.nanoTime();
    FleetSeed.seed(state, key, s.hosts(), s.port());
    out.printf("  %d hosts enrolled in the coordinator's state (%.0f s)%n", s.hosts(), since(t0));
    Process fleet = launch.fleet(state, key, s.domains(), s.fleetThreads(), s.fleetHeap());
    out.printf(
        "  fleet listening: %s ... (%.0f s)%n",
        FleetSeed.address(1, s.port()).getHostString() + ":" + s.port(), since(t0));

    String javaOptions = launch.productCoordinatorOptions();
    if (s.coordinatorHeap() != null) {
      javaOptions = javaOptions.replaceAll("-Xmx\\S+", "-Xmx" + s.coordinatorHeap());
    }
    Process coordinator =
        launch.coordinator(
            "coordinator",
            processes.coordinatorOptions(0, s.interval().toSeconds() + "s", state),
            s.coordinatorHeap() == null ? null : javaOptions);
    long started = System.nanoTime();
    String url = processes.endpoint("coordinator", coordinator, "Jolokia");
    CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
    CoordinatorProbe probe = new CoordinatorProbe(BenchProcesses.jolokia().at(url));

    int domains = s.hosts() * s.domains();
    // Cold start: 10,000 TLS handshakes each way, then 200 hosts' definitions a round.
    Duration patience = Duration.ofSeconds(300 + s.hosts() / 10 + 3L * s.interval().toSeconds());
    CoordinatorJolokia.Collection c =
        await(jolokia, out, started, patience, "hosts ACTIVE", x -> x.activeHosts() >= s.hosts());
    double allActive = since(started);
    long activeRound = c.rounds();
    out.printf(
        "  all %d hosts ACTIVE after %.0f s (round %d)%n", s.hosts(), allActive, activeRound);
    Duration definitionsPatience =
        Duration.ofSeconds(120 + (s.hosts() / 200 + 5) * 2 * s.interval().toSeconds());
    long deadline = System.nanoTime() + definitionsPatience.toNanos();
    int kept = 0;
    while ((kept = keptOrZero(jolokia)) < domains) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the coordinator keeps "
                + kept
                + " of "
                + domains
                + " definitions after "
                + definitionsPatience.toSeconds()
                + " s");
      }
      Thread.sleep(1000);
    }
    double allKept = since(started);
    out.printf("  all %d definitions kept after %.0f s%n", domains, allKept);
    awaitRound(jolokia, jolokia.collection().rounds() + s.settleRounds());

    Window window = measure(jolokia, coordinator.pid(), fleet.pid(), s.rounds());
    CoordinatorProbe.Heap heap = probe.heapAfterFullGc(coordinator.pid());
    long rssKb = Procfs.kb(coordinator.pid(), "status", "VmRSS:");
    return new FleetFigures(
        s,
        javaOptions,
        allActive,
        allKept,
        window.roundMillis,
        window.cpuSeconds,
        window.fleetCpuSeconds,
        window.rounds,
        window.wallSeconds,
        window.minActive,
        heap,
        rssKb,
        window.load);
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
      CoordinatorJolokia jolokia, long coordinator, long fleet, int rounds)
      throws IOException, InterruptedException, JolokiaException {
    CoordinatorJolokia.Collection first = awaitRound(jolokia, jolokia.collection().rounds() + 1);
    double cpu0 = Procfs.cpuSeconds(coordinator);
    double fleet0 = Procfs.cpuSeconds(fleet);
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
    double fleetCpu = Procfs.cpuSeconds(fleet) - fleet0;
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

  private interface Until {
    boolean holds(CoordinatorJolokia.Collection c);
  }

  private static CoordinatorJolokia.Collection await(
      CoordinatorJolokia jolokia,
      PrintStream out,
      long started,
      Duration patience,
      String what,
      Until until)
      throws InterruptedException {
    long deadline = started + patience.toNanos();
    long nextReport = System.nanoTime() + 30_000_000_000L;
    CoordinatorJolokia.Collection c = null;
    while (true) {
      try {
        c = jolokia.collection();
        if (until.holds(c)) {
          return c;
        }
      } catch (JolokiaException e) {
        // Starting, or too busy to answer within the client's timeout: asked again.
      }
      if (System.nanoTime() > nextReport && c != null) {
        out.printf(
            "  %.0f s: %d hosts ACTIVE, round %d, last round %.1f s%n",
            since(started), c.activeHosts(), c.rounds(), c.lastRoundSeconds());
        nextReport += 30_000_000_000L;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what
                + ": not within "
                + patience.toSeconds()
                + " s of the coordinator's start; last seen: "
                + (c == null ? "its Jolokia never answered" : c));
      }
      Thread.sleep(500);
    }
  }

  private static int keptOrZero(CoordinatorJolokia jolokia) throws InterruptedException {
    try {
      return jolokia.definitionsKept();
    } catch (JolokiaException e) {
      return 0;
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

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
