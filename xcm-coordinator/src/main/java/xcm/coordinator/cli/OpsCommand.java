package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationMXBean;

/** {@code ./xcm ops [ID]}: running and recent operations, or one with its moves. */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = "Lists running and recent operations, or shows one with every move.")
final class OpsCommand implements Callable<Integer>, QuickPath.Command {
  private static final String SUMMARY =
      Attributes.name(OperationMXBean.class, OperationMXBean::getSummary);
  private static final String DRY_RUN =
      Attributes.name(OperationMXBean.class, OperationMXBean::isDryRun);
  private static final String REQUESTED_BY =
      Attributes.name(OperationMXBean.class, OperationMXBean::getRequestedBy);
  private static final String MOVES =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMoves);
  private static final String STARTED =
      Attributes.name(OperationMXBean.class, OperationMXBean::getStartedEpochMillis);

  @Mixin Connection connection;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Show this operation")
  String id;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return call(CommandOutput.of(spec));
  }

  @Override
  public int call(CommandOutput output) {
    return Connection.run(output, () -> run(output.out()));
  }

  private int run(PrintWriter out) throws CliException, JolokiaException, InterruptedException {
    Endpoint coordinator = connection.open();
    if (id == null) {
      out.print(list(all(coordinator)));
    } else {
      JsonNode op =
          coordinator
              .sendIfFound(Request.read(ObjectNames.operation(id)))
              .orElseThrow(
                  () ->
                      new CliException(
                          "no operation '" + id + "' (ended ones are kept for an hour)"));
      out.print(detail(op));
    }
    out.flush();
    return 0;
  }

  private static List<JsonNode> all(Endpoint coordinator)
      throws JolokiaException, InterruptedException {
    List<JsonNode> ops = new ArrayList<>();
    // A pattern that matches no MBean: no operations.
    coordinator
        .sendIfFound(Request.read(ObjectNames.allOperations()))
        .ifPresent(all -> all.forEach(ops::add));
    ops.sort(Comparator.comparingLong(o -> o.path(STARTED).asLong()));
    return ops;
  }

  static String list(List<JsonNode> ops) {
    if (ops.isEmpty()) {
      return "no operations in the last hour\n";
    }
    Table table = new Table("ID", "STATE", "WHAT", ">DONE", ">FAILED", ">OF", ">SECONDS", "BY");
    for (JsonNode o : ops) {
      table.row(
          o.path(Follow.ID).asText(),
          o.path(Follow.STATE).asText() + (o.path(DRY_RUN).asBoolean() ? " (dry run)" : ""),
          o.path(SUMMARY).asText(),
          o.path(Follow.DONE).asInt(),
          o.path(Follow.FAILED).asInt(),
          o.path(Follow.TOTAL).asInt(),
          String.format(Locale.ROOT, "%.1f", o.path(Follow.DURATION).asDouble()),
          o.path(REQUESTED_BY).asText());
    }
    return table.toString();
  }

  static String detail(JsonNode o) {
    StringBuilder out = new StringBuilder();
    out.append(o.path(Follow.ID).asText())
        .append("  ")
        .append(o.path(SUMMARY).asText())
        .append("  ")
        .append(o.path(Follow.STATE).asText())
        .append(o.path(DRY_RUN).asBoolean() ? " (dry run)" : "")
        .append("  by ")
        .append(o.path(REQUESTED_BY).asText())
        .append('\n')
        .append(Follow.progress(o))
        .append('\n');
    Table moves =
        new Table("DOMAIN", "FROM", "TO", "STATE", ">TRIES", ">MS", ">DOWNTIME MS", "ERROR");
    for (JsonNode m : o.path(MOVES)) {
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
