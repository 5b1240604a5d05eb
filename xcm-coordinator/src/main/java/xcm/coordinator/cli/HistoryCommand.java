package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationsMXBean;

/** {@code ./xcm history}: the coordinator's audit log, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Prints the audit log: who asked what, when, through which door, and the result.")
final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Mixin Connection connection;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Newest entries to show (${DEFAULT-VALUE})")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Connection.run(
        spec,
        () -> {
          JsonNode log =
              connection
                  .open()
                  .send(
                      Request.read(
                          ObjectNames.operations(),
                          Attributes.name(OperationsMXBean.class, OperationsMXBean::getAuditLog)));
          out.print(render(log, limit));
          return 0;
        });
  }

  static String render(JsonNode log, int limit) {
    if (log.isEmpty()) {
      return "no requests yet\n";
    }
    Table table = new Table("TIME", "BY", "WHAT", "RESULT");
    int shown = 0;
    for (JsonNode e : log) {
      if (shown++ == limit) {
        break;
      }
      table.row(
          TIME.format(Instant.ofEpochMilli(e.path("epochMillis").asLong())),
          e.path("door").asText() + ":" + e.path("user").asText(),
          e.path("action").asText(),
          e.path("result").asText());
    }
    return table.toString();
  }
}
