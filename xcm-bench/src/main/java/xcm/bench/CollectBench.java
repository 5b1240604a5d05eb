package xcm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.client.JolokiaException;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench collect}: a coordinator and as many real agent processes as the machine holds
 * (each its own JVM, as {@code ./xcm agent} runs it, on one test-driver host XML), every agent
 * registered with the coordinator; then the wall time of collection rounds and the coordinator's
 * CPU per round and host.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description =
        "Collection round wall time (p50, p99) and coordinator CPU per round and host, with"
            + " hundreds of real agent processes.")
final class CollectBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Option(
      names = "--agents",
      defaultValue = "200",
      description = "Agent processes (${DEFAULT-VALUE})")
  int agents;

  @Option(
      names = "--domains",
      defaultValue = "50",
      description = "Domains per agent (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--rounds",
      defaultValue = "30",
      description = "Measured rounds (${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--settle-rounds",
      defaultValue = "30",
      description = "Rounds before measuring (${DEFAULT-VALUE})")
  int settleRounds;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      description = "Collection interval (${DEFAULT-VALUE})")
  String interval;

  @Option(
      names = "--sample-interval",
      defaultValue = "5s",
      description = "Agents' libvirt sample interval (${DEFAULT-VALUE})")
  String sampleInterval;

  @Override
  public Integer call() throws Exception {
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
      Thread.sleep(Duration.parse("PT" + interval.toUpperCase()).toMillis() * rounds);
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
      double coresFor10k = cpuPerHostUs / 1e6 * 10_000 / 5.0;

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
      System.out.printf(
          "%nround p50 at %d agents                 %.0f ms   goal <= 1000 ms: %s%n",
          running,
          roundTimes.at(50),
          roundTimes.at(50) <= 1000 && running >= 200 ? "met" : "MISSED");
      System.out.printf(
          "10,000 hosts at a 5 s interval need     %.2f cores of coordinator CPU   goal < 1: %s%n",
          coresFor10k, coresFor10k < 1 ? "met" : "MISSED");
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
}
