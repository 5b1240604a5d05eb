package xcm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.client.JolokiaClient;
import xcm.mbeans.MigrationStatus;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench migrate}: a lab of two real libvirtd + QEMU hosts ({@code lab/xcm-lab}), one
 * tiny guest, an agent per host; the guest live-migrates back and forth through the agents' {@code
 * migrate}, and libvirt's own figures of each migration (time, downtime, data sent) are summed up.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Real live migrations of a tiny QEMU guest between two lab hosts: libvirt's migration time"
            + " and downtime (p50, p99, max) against the seed's Xen figure (downtime p99 <= 60 ms).")
final class MigrateBench implements Callable<Integer> {
  private static final double GOAL_DOWNTIME_P99_MILLIS = 60;

  @ParentCommand BenchMain bench;

  @Option(
      names = "--migrations",
      defaultValue = "20",
      description = "Live migrations, alternately host1 to host2 and back (${DEFAULT-VALUE})")
  int migrations;

  @Override
  public Integer call() throws Exception {
    Path labDir = Files.createTempDirectory("xcm-bench-lab");
    try (Lab lab = Lab.up(bench.root(), labDir, 2, 1);
        BenchProcesses processes = new BenchProcesses(bench.root(), "migrate")) {
      // Agents migrate only once enrolled: a coordinator (collecting rarely, acting not at all)
      // gives them their certificates; the bench drives the migrations on the agents themselves.
      Path state = processes.dir().resolve("state");
      Process coordinator =
          processes.script(
              "coordinator",
              Program.COORDINATOR,
              processes.coordinatorOptions(
                  0, "10s", state, "-D", "xcm.coordinator.nightly-balance.cron="));
      BenchProcesses.Joining joining = processes.joining("coordinator", coordinator, state);
      JolokiaClient client = BenchProcesses.agentJolokia(joining.authority());
      AgentJolokia[] agents = new AgentJolokia[2];
      for (int h = 0; h < 2; h++) {
        String host = lab.hosts().get(h);
        Process agent =
            processes.script(
                host,
                Program.AGENT,
                processes.agentOptions(
                    0, host, joining, "--name", host, "--libvirt-uri", lab.uri(host)));
        agents[h] = new AgentJolokia(client.at(processes.endpoint(host, agent, "Jolokia")));
        // Its Jolokia completes a handshake once it has its certificate.
        Await.until(host + " enrolled", Duration.ofSeconds(60), agents[h]::answers);
      }
      String loadBefore = loadAverage();
      double[] migration = new double[migrations];
      double[] downtime = new double[migrations];
      double[] wall = new double[migrations];
      long data = 0;
      for (int i = 0; i < migrations; i++) {
        int from = i % 2;
        long started = System.nanoTime();
        String id = agents[from].migrate("lab-vm1", agents[1 - from].url());
        MigrationStatus status = agents[from].migration(id);
        while (!status.finished()) {
          Thread.sleep(20);
          status = agents[from].migration(id);
        }
        wall[i] = (System.nanoTime() - started) / 1e6;
        if (status.state() != MigrationStatus.State.SUCCEEDED) {
          throw new IllegalStateException("migration " + (i + 1) + " failed: " + status);
        }
        migration[i] = status.migrationMillis();
        downtime[i] = status.downtimeMillis();
        data += status.dataTransferredBytes();
        System.out.printf(
            "migration %2d  %s -> %s   libvirt %5.0f ms   downtime %4.0f ms   wall %5.0f ms%n",
            i + 1,
            lab.hosts().get(from),
            lab.hosts().get(1 - from),
            migration[i],
            downtime[i],
            wall[i]);
      }
      Percentiles time = new Percentiles(migration);
      Percentiles down = new Percentiles(downtime);
      Percentiles total = new Percentiles(wall);
      System.out.printf(
          "%nXCM migrate bench: %d live migrations of a 64 MiB, 1 vCPU QEMU guest (TCG) between two"
              + " libvirtd hosts on this machine, through the agents' migrate (libvirt peer to"
              + " peer, live); libvirt's job figures%n",
          migrations);
      System.out.printf("migration time   %s%n", summary(time));
      System.out.printf("downtime         %s%n", summary(down));
      System.out.printf(
          "wall (agent)     %s   (includes QEMU's exit on the source)%n", summary(total));
      System.out.printf("data sent        %.0f KiB per migration%n", data / 1024.0 / migrations);
      System.out.printf(
          "load average     %s before, %s after, on %d CPUs (TCG guests and the final copy"
              + " compete for them: downtime grows with the machine's load)%n",
          loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "%ndowntime p99 %.0f ms   goal <= %.0f ms (the seed's Xen figure): %s%n",
          down.at(99),
          GOAL_DOWNTIME_P99_MILLIS,
          down.at(99) <= GOAL_DOWNTIME_P99_MILLIS ? "met" : "MISSED");
      return 0;
    } catch (Lab.UnavailableException e) {
      System.err.println("xcm bench migrate: no QEMU lab on this machine: " + e.getMessage());
      return 1;
    } finally {
      try (Stream<Path> files = Files.walk(labDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The 1-minute load average, from /proc/loadavg. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static String summary(Percentiles p) {
    return String.format(
        "p50 %6.0f ms   p99 %6.0f ms   max %6.0f ms   (n=%d)",
        p.at(50), p.at(99), p.at(100), p.count());
  }
}
