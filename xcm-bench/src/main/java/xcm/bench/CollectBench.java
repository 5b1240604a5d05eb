package xcm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.bench.fleet.FleetBench;
import xcm.client.JolokiaException;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench collect}: a coordinator collecting, then the wall time of collection rounds and
 * the coordinator's CPU per round and host. Two fleets:
 *
 * <ul>
 *   <li>{@code --hosts N}: a simulated fleet of N hosts in a process of its own ({@link
 *       FleetBench}), for the scale figures — 1,000 to 10,000 hosts and more, heap after a full GC;
 *   <li>otherwise as many real agent processes as the machine holds (each its own JVM, as {@code
 *       ./xcm agent} runs it, on one test-driver host XML), every agent enrolled with the
 *       coordinator.
 * </ul>
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description =
        "Collection round wall time (p50, p99) and coordinator CPU per round and host: with a"
            + " simulated fleet of --hosts N, or with hundreds of real agent processes.")
final class CollectBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Option(
      names = "--hosts",
      description =
          "Collect a simulated fleet of this many hosts (one process serving every host's Jolokia"
              + " over TLS) instead of real agent processes")
  Integer hosts;

  @Option(
      names = "--agents",
      defaultValue = "200",
      description = "Agent processes, without --hosts (${DEFAULT-VALUE})")
  int agents;

  @Option(names = "--domains", description = "Domains per host (20 with --hosts, else 50)")
  Integer domains;

  @Option(
      names = "--rounds",
      defaultValue = "30",
      description = "Measured rounds (${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--settle-rounds",
      description =
          "Rounds before measuring (with --hosts 6, after every host is ACTIVE and every"
              + " definition kept; else 30)")
  Integer settleRounds;

  @Option(names = "--interval", description = "Collection interval (5s with --hosts, else 2s)")
  String interval;

  @Option(
      names = "--sample-interval",
      defaultValue = "5s",
      description = "Agents' libvirt sample interval, without --hosts (${DEFAULT-VALUE})")
  String sampleInterval;

  @Option(
      names = "--fleet-port",
      defaultValue = "8778",
      description =
          "Port every simulated host listens on, each on its own 127.x.y.z address"
              + " (${DEFAULT-VALUE})")
  int fleetPort;

  @Option(
      names = "--fleet-threads",
      defaultValue = "2",
      description = "The simulated fleet's selector threads (${DEFAULT-VALUE})")
  int fleetThreads;

  @Option(
      names = "--fleet-sample-interval",
      defaultValue = "30",
      description =
          "Seconds between a simulated host's samples; it answers a repeated read from its last"
              + " answer in between (${DEFAULT-VALUE})")
  int fleetSampleSeconds;

  @Option(
      names = "--fleet-ramp",
      defaultValue = "0",
      description =
          "Simulated hosts that listen at first, and again every interval, as agents starting one"
              + " after the other; 0: all at once (${DEFAULT-VALUE})")
  int fleetRamp;

  @Option(
      names = "--fleet-heap",
      defaultValue = "4g",
      description = "The simulated fleet's -Xmx (${DEFAULT-VALUE})")
  String fleetHeap;

  @Option(
      names = "--coordinator-property",
      paramLabel = "KEY=VALUE",
      description =
          "A coordinator setting other than its default, e.g."
              + " xcm.coordinator.agent-timeout=5s; repeatable")
  List<String> coordinatorProperties = new ArrayList<>();

  @Option(
      names = "--takeover",
      description =
          "With --hosts: two coordinators on a PostgreSQL journal of the bench's own; after the"
              + " measured rounds, the active is killed and the standby's takeover timed")
  boolean takeover;

  @Option(
      names = "--coordinator-heap",
      description = "The coordinator's -Xmx instead of conf/coordinator.jvm's (e.g. 1g)")
  String coordinatorHeap;

  @Override
  public Integer call() throws Exception {
    if (hosts != null) {
      try (BenchProcesses processes = new BenchProcesses(bench.root(), "collect-fleet")) {
        FleetBench.run(
                processes,
                new FleetBench.Settings(
                    hosts,
                    domains == null ? 20 : domains,
                    rounds,
                    settleRounds == null ? 6 : settleRounds,
                    duration(interval == null ? "5s" : interval),
                    fleetPort,
                    fleetThreads,
                    Duration.ofSeconds(fleetSampleSeconds),
                    fleetRamp,
                    fleetHeap,
                    coordinatorHeap,
                    List.copyOf(coordinatorProperties),
                    takeover),
                System.out)
            .print(System.out);
        return 0;
      }
    }
    int domains = this.domains == null ? 50 : this.domains;
    int settleRounds = this.settleRounds == null ? 30 : this.settleRounds;
    String interval = this.interval == null ? "2s" : this.interval;
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "collect")) {
      Path node = TestNodes.write(processes.dir().resolve("host.xml"), domains);
      Process coordinator =
          processes.script(
              "coordinator",
              Program.COORDINATOR,
              processes.coordinatorOptions(0, interval, processes.dir().resolve("state")));
      String coordinatorUrl = processes.endpoint("coordinator", coordinator, "Jolokia");
      BenchProcesses.Joining joining =
          processes.joining("coordinator", coordinator, processes.dir().resolve("state"));
      CoordinatorJolokia jolokia =
          new CoordinatorJolokia(BenchProcesses.jolokia().at(coordinatorUrl));

      long started = System.nanoTime();
      long rssKb = 0;
      int running = 0;
      for (int i = 1; i <= agents; i++) {
        String name = String.format("h%04d", i);
        Process agent =
            processes.script(
                name,
                Program.AGENT,
                processes.agentOptions(
                    0,
                    name,
                    joining,
                    "--name",
                    name,
                    "--libvirt-uri",
                    "test://" + node,
                    "--sample-interval",
                    sampleInterval));
        processes.endpoint(name, agent, "Jolokia");
        running++;
        rssKb += Procfs.kb(agent.pid(), "status", "VmRSS:");
        if (i % 25 == 0) {
          System.out.printf(
              "  %d agents running (%.0f s, %.1f GB RSS, %.1f GB available)%n",
              i,
              (System.nanoTime() - started) / 1e9,
              rssKb / 1048576.0,
              Procfs.availableKb() / 1048576.0);
        }
        if (Procfs.availableKb() < 1_500_000) {
          System.out.printf("  stopping at %d agents: less than 1.5 GB of memory left%n", i);
          break;
        }
      }
      System.out.printf(
          "  %d agents started in %.0f s%n", running, (System.nanoTime() - started) / 1e9);
      // RSS counts the pages the JVMs share (libjvm, the class archive) once per process; PSS
      // splits them, so its sum is what the agents take from the machine.
      long pssKb = 0;
      for (Process p : processes.all().subList(1, processes.all().size())) {
        pssKb += Procfs.kb(p.pid(), "smaps_rollup", "Pss:");
      }

      CoordinatorJolokia.Collection joined = awaitMembers(jolokia, running);
      // Settle: every agent answered, connections open, the hot code compiled (C2 keeps
      // compiling for about a minute; its CPU is a start-up cost, not a per-round one).
      awaitRound(jolokia, joined.rounds() + settleRounds);

      // CPU: nobody but the collection touches the coordinator in this window.
      long roundsBefore = jolokia.collection().rounds();
      double cpu0 = Procfs.cpuSeconds(coordinator.pid());
      Thread.sleep(duration(interval).toMillis() * rounds);
      double cpu1 = Procfs.cpuSeconds(coordinator.pid());
      long measuredRounds = jolokia.collection().rounds() - roundsBefore;
      double cpuPerRoundMs = (cpu1 - cpu0) * 1000 / measuredRounds;
      double cpuPerHostUs = cpuPerRoundMs * 1000 / running;

      // Wall time of each round, read right after it ends.
      double[] wall = new double[rounds];
      long last = jolokia.collection().rounds();
      int answered = 0;
      for (int i = 0; i < rounds; i++) {
        CoordinatorJolokia.Collection after = awaitRound(jolokia, last + 1);
        last = after.rounds();
        wall[i] = after.lastRoundSeconds() * 1000;
        answered = after.activeHosts();
      }
      Percentiles roundTimes = new Percentiles(wall);
      double extrapolatedCores = cpuPerHostUs / 1e6 * 10_000 / 5.0;

      System.out.printf(
          "%nXCM collect bench: %d agent processes x %d domains (libvirt test driver),"
              + " one coordinator, interval %s%n",
          running, domains, interval);
      System.out.printf(
          "agent memory                            RSS %.0f MB each; PSS %.1f GB in all (%.0f MB each)%n",
          rssKb / 1024.0 / running, pssKb / 1048576.0, pssKb / 1024.0 / running);
      System.out.printf("hosts ACTIVE in the last round          %d of %d%n", answered, running);
      System.out.printf("collection round wall time              %s%n", roundTimes);
      System.out.printf("coordinator CPU per round               %.1f ms%n", cpuPerRoundMs);
      System.out.printf("coordinator CPU per host per round      %.0f us%n", cpuPerHostUs);
      // Not a measurement at 10,000 hosts: the CPU per host above, multiplied. --hosts 10000
      // measures it (and the round time and heap there).
      System.out.printf(
          "%nextrapolated, not measured: 10,000 hosts at a 5 s interval would take %.2f cores if"
              + " the CPU per host stayed %.0f us (measure: ./xcm bench collect --hosts 10000)%n",
          extrapolatedCores, cpuPerHostUs);
      return 0;
    }
  }

  private static CoordinatorJolokia.Collection awaitMembers(CoordinatorJolokia jolokia, int count)
      throws JolokiaException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    CoordinatorJolokia.Collection cluster = jolokia.collection();
    while (cluster.activeHosts() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + cluster.activeHosts() + " of " + count + " agents joined");
      }
      Thread.sleep(200);
      cluster = jolokia.collection();
    }
    return cluster;
  }

  private static CoordinatorJolokia.Collection awaitRound(CoordinatorJolokia jolokia, long round)
      throws JolokiaException, InterruptedException {
    CoordinatorJolokia.Collection cluster = jolokia.collection();
    while (cluster.rounds() < round) {
      Thread.sleep(100);
      cluster = jolokia.collection();
    }
    return cluster;
  }

  /** "2s", "500ms", "1m": as Java reads "PT2S". */
  private static Duration duration(String text) {
    return text.toLowerCase().endsWith("ms")
        ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
        : Duration.parse("PT" + text.toUpperCase());
  }
}
