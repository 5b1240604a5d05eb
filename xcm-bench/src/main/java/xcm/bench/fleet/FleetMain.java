package xcm.bench.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulated fleet's own process, which {@code xcm bench collect --hosts N} starts beside the
 * coordinator so that the fleet's CPU and heap are not the coordinator's: serves every host
 * enrolled in a state directory ({@link Fleet}) until it is stopped, printing {@code ready N hosts
 * ...} once all listen.
 *
 * <pre>
 * java -cp xcm-bench.jar xcm.bench.fleet.FleetMain --state-dir S --key-file K --domains 20
 * </pre>
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Serves a simulated fleet of XCM agents enrolled in a coordinator's state.")
public final class FleetMain implements Callable<Integer> {
  @Option(names = "--state-dir", required = true, description = "Coordinator state (seeded)")
  Path stateDir;

  @Option(names = "--key-file", required = true, description = "The hosts' private key, PEM")
  Path keyFile;

  @Option(names = "--domains", defaultValue = "20", description = "Domains per host")
  int domains;

  @Option(
      names = "--sample-interval",
      defaultValue = "30",
      description = "Seconds between a host's samples (${DEFAULT-VALUE})")
  int sampleSeconds;

  @Option(names = "--threads", defaultValue = "2", description = "Selector threads")
  int threads;

  @Option(
      names = "--ramp",
      defaultValue = "0",
      description =
          "Hosts that start listening at once, and then every --ramp-seconds; 0: all at once"
              + " (${DEFAULT-VALUE})")
  int ramp;

  @Option(names = "--ramp-seconds", defaultValue = "5", description = "(${DEFAULT-VALUE})")
  int rampSeconds;

  @Option(
      names = "--part",
      defaultValue = "0/1",
      description = "K/N: serve only the hosts numbered K modulo N (${DEFAULT-VALUE})")
  String part;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    String[] kn = part.split("/");
    try (Fleet fleet =
        Fleet.serve(
            stateDir,
            keyFile,
            domains,
            Duration.ofSeconds(sampleSeconds),
            threads,
            Integer.parseInt(kn[0]),
            Integer.parseInt(kn[1]),
            ramp,
            Duration.ofSeconds(rampSeconds))) {
      System.out.printf(
          "ready %d hosts of %d domains, %d listening (after %.1f s)%n",
          fleet.size(), domains, fleet.listening(), (System.nanoTime() - started) / 1e9);
      while (true) {
        Thread.sleep(30_000);
        // For whoever reads the log of a run that went wrong: did the coordinator connect?
        System.out.println("fleet: " + fleet.connections());
      }
    }
  }
}
