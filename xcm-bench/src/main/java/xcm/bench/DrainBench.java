package xcm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.mbeans.MoveStatus;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench drain}: a coordinator and agents on libvirt's test driver, each its own process;
 * the time of one migration on its own, then of draining a host of 20 domains, against the ideal
 * {@code ceil(20 / per-host limit) x one move}.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description =
        "Drain time of a host with many domains against ceil(domains / per-host limit) x one move.")
final class DrainBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Option(
      names = "--domains",
      defaultValue = "20",
      description = "Domains on the drained host (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--per-host",
      defaultValue = "2",
      description = "Migrations in flight per host (${DEFAULT-VALUE})")
  int perHost;

  @Option(
      names = "--singles",
      defaultValue = "7",
      description = "Single migrations timed first (${DEFAULT-VALUE})")
  int singles;

  @Override
  public Integer call() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "drain")) {
      Process coordinator =
          processes.script(
              "coordinator",
              Program.COORDINATOR,
              processes.coordinatorOptions(
                  0,
                  "1s",
                  processes.dir().resolve("state"),
                  "-D",
                  "xcm.coordinator.migration.per-host=" + perHost,
                  "-D",
                  "xcm.coordinator.cooldown=0s"));
      String xcm = processes.endpoint("coordinator", coordinator, "Jolokia");
      BenchProcesses.Joining joining =
          processes.joining("coordinator", coordinator, processes.dir().resolve("state"));
      CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(xcm));
      // Each host and its domains. The source holds two more domains than it drains: their moves
      // warm its JVM up.
      Map<String, Integer> hosts = new LinkedHashMap<>();
      hosts.put("source", domains + 2);
      hosts.put("probe", singles);
      hosts.put("target1", 0);
      hosts.put("target2", 0);
      int h = 0;
      for (Map.Entry<String, Integer> entry : hosts.entrySet()) {
        String host = entry.getKey();
        Path node =
            TestNodes.write(
                processes.dir().resolve(host + ".xml"), entry.getValue(), host, h++, 64);
        processes.testDriverAgent(host, joining, node);
      }
      Await.until(
          "every agent joined",
          Duration.ofSeconds(120),
          () -> jolokia.activeHostCount() >= hosts.size());

      for (int i = 1; i <= 2; i++) {
        String warmUp = String.format("source%04d", domains + i);
        jolokia.awaitSucceeded(jolokia.migrate(warmUp, "target1"));
      }
      // One migration at a time: the probe host's domains, each on its own.
      double[] single = new double[singles];
      for (int i = 0; i < singles; i++) {
        String domain = String.format("probe%04d", i + 1);
        single[i] = jolokia.awaitSucceeded(jolokia.migrate(domain, "target2")) * 1000;
      }
      // The first ones warm up both JVMs; the median of the rest is "one move".
      Percentiles oneMove = new Percentiles(Arrays.copyOfRange(single, 2, singles));

      String id = jolokia.drain("source", false);
      double drainSeconds = jolokia.awaitSucceeded(id);
      CoordinatorJolokia.Operation drain = jolokia.operation(id);
      List<Long> moveMillis = drain.moves().stream().map(MoveStatus::durationMillis).toList();
      double ideal = Math.ceil(domains / (double) perHost) * oneMove.at(50) / 1000;

      System.out.printf(
          "%nXCM drain bench: %d domains on one host, at most %d migrations in flight per"
              + " host, libvirt test driver (hand-over between agents)%n",
          domains, perHost);
      System.out.printf("one move on its own                     %s%n", oneMove);
      System.out.printf(
          "drain: state %s, %d of %d moves done   %.2f s in all, %.0f ms per move%n",
          drain.state(), drain.movesDone(), domains, drainSeconds, drainSeconds * 1000 / domains);
      System.out.printf("each move within the drain              %s ms%n", moveMillis);
      System.out.printf(
          "ideal ceil(%d/%d) x one move             %.2f s%n", domains, perHost, ideal);
      System.out.printf(
          "%ndrain / ideal                           %.2f   goal <= 1.2: %s%n",
          drainSeconds / ideal, drainSeconds / ideal <= 1.2 ? "met" : "MISSED");
      return 0;
    }
  }
}
