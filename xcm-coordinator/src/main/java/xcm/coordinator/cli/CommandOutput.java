package xcm.coordinator.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command prints, and how its failures name it ("xcm status"): picocli's streams and names,
 * or those of a command {@link QuickPath} runs without picocli.
 */
record CommandOutput(String name, PrintWriter out, PrintWriter err) {

  static CommandOutput of(CommandSpec spec) {
    return new CommandOutput(
        spec.qualifiedName(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
