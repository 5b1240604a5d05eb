package xcm.coordinator.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./xcm status|...}: the commands people use to talk to a running coordinator. */
@Command(
    name = "xcm",
    mixinStandardHelpOptions = true,
    subcommands = {
      StatusCommand.class,
      OperationCommands.Migrate.class,
      OperationCommands.Balance.class,
      OperationCommands.Drain.class,
      OperationCommands.Activate.class,
      OperationCommands.Cancel.class,
      OperationCommands.ConfirmDown.class,
      OpsCommand.class,
      HistoryCommand.class,
      HostsCommand.class,
      RulesCommand.class,
      BalancingCommand.class
    },
    description = "Talks to a running XCM coordinator through its Jolokia endpoint.")
public final class Cli implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command as {@code ./xcm} does, printing to standard output; returns its exit code. */
  public static int run(String... args) {
    QuickPath.Command quick = QuickPath.parse(args);
    if (quick == null) {
      return new CommandLine(new Cli()).execute(args);
    }
    // As picocli prints: System.out and System.err, flushed at each line.
    return quick.call(
        new CommandOutput(
            "xcm " + args[0],
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true)));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
