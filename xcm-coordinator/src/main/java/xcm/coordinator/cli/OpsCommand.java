package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xcm.mbeans.ObjectNames;

/** {@code ./xcm ops [ID]}: running and recent operations, or one with its moves. */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = "Lists running and recent operations, or shows one with every move.")
final class OpsCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Show this operation")
  String id;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      CoordinatorClient client = connection.open();
      if (id == null) {
        out.print(list(all(client)));
      } else {
        try {
          out.print(detail(client.read(ObjectNames.operation(id))));
        } catch (CliException.NotFound e) {
          throw new CliException("no operation '" + id + "' (ended ones are kept for an hour)");
        }
      }
      out.flush();
      return 0;
    } catch (CliException e) {
      spec.commandLine().getErr().println("xcm ops: " + e.getMessage());
      return 1;
    }
  }

  private static List<JsonNode> all(CoordinatorClient client) throws CliException {
    List<JsonNode> ops = new ArrayList<>();
    try {
      client
          .read(ObjectName.getInstance(ObjectNames.DOMAIN + ":type=Operation,*"))
          .forEach(ops::add);
    } catch (CliException.NotFound e) {
      return ops;
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
    ops.sort(Comparator.comparingLong(o -> o.path("StartedEpochMillis").asLong()));
    return ops;
  }

  static String list(List<JsonNode> ops) {
    if (ops.isEmpty()) {
      return "no operations in the last hour\n";
    }
    Table table = new Table("ID", "STATE", "WHAT", ">DONE", ">FAILED", ">OF", ">SECONDS", "BY");
    for (JsonNode o : ops) {
      table.row(
          o.path("Id").asText(),
          o.path("State").asText() + (o.path("DryRun").asBoolean() ? " (dry run)" : ""),
          o.path("Summary").asText(),
          o.path("MovesDone").asInt(),
          o.path("MovesFailed").asInt(),
          o.path("MovesTotal").asInt(),
          String.format(Locale.ROOT, "%.1f", o.path("DurationSeconds").asDouble()),
          o.path("RequestedBy").asText());
    }
    return table.toString();
  }

  static String detail(JsonNode o) {
    StringBuilder out = new StringBuilder();
    out.append(o.path("Id").asText())
        .append("  ")
        .append(o.path("Summary").asText())
        .append("  ")
        .append(o.path("State").asText())
        .append(o.path("DryRun").asBoolean() ? " (dry run)" : "")
        .append("  by ")
        .append(o.path("RequestedBy").asText())
        .append('\n')
        .append(Follow.progress(o))
        .append('\n');
    Table moves =
        new Table("DOMAIN", "FROM", "TO", "STATE", ">TRIES", ">MS", ">DOWNTIME MS", "ERROR");
    for (JsonNode m : o.path("Moves")) {
      moves.row(
          m.path("domain").asText(),
          m.path("from").asText(),
          m.path("to").asText(),
          m.path("state").asText(),
          m.path("attempts").asInt(),
          millis(m.path("durationMillis").asLong()),
          millis(m.path("downtimeMillis").asLong()),
          m.path("error").asText());
    }
    return out.append(moves).toString();
  }

  private static String millis(long ms) {
    return ms < 0 ? "-" : Long.toString(ms);
  }
}
