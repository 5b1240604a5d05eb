package xcm.bench;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.bench.attack.AttackBench;
import xcm.bench.day.DayBench;
import xcm.bench.day.TraceCommand;
import xcm.bench.faults.FaultsBench;
import xcm.bench.fleet.ConsoleBench;
import xcm.bench.fuzz.FuzzBench;
import xcm.bench.plan.PlanBench;

/** {@code xcm bench ...}: each subcommand measures one part and prints the figures. */
@Command(
    name = "xcm bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      AgentBench.class,
      PlanBench.class,
      DayBench.class,
      TraceCommand.class,
      CollectBench.class,
      ConsoleBench.class,
      DrainBench.class,
      MigrateBench.class,
      HaBench.class,
      FaultsBench.class,
      FuzzBench.class,
      AttackBench.class,
      CliBench.class
    },
    description = "Measures XCM and prints the figures.")
public final class BenchMain implements Runnable {

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "XCM checkout with built jars (./xcm passes it)")
  Path root;

  /** The XCM checkout the bench runs in: its {@code xcm} script, jars and {@code nodes/}. */
  public Path root() {
    return root;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
