package xcm.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code xcm bench ...}: each subcommand measures one part and prints the figures. */
@Command(
    name = "xcm bench",
    mixinStandardHelpOptions = true,
    subcommands = {AgentBench.class, PlanBench.class},
    description = "Measures XCM and prints the figures.")
public final class BenchMain implements Runnable {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
