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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.EnrolmentMXBean;
import xcm.mbeans.ObjectNames;

/**
 * {@code ./xcm hosts}: hosts waiting to join and hosts enrolled; {@code approve}, {@code reject}
 * and {@code token} act on {@code xcm:type=Enrolment}.
 */
@Command(
    name = "hosts",
    mixinStandardHelpOptions = true,
    subcommands = {HostsCommand.Approve.class, HostsCommand.Reject.class, HostsCommand.Token.class},
    description = "Lists hosts waiting for approval and hosts enrolled.")
final class HostsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Mixin Connection connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Connection.run(
        spec,
        () -> {
          var coordinator = connection.open();
          JsonNode pending =
              coordinator.send(
                  Request.read(
                      ObjectNames.enrolment(),
                      Attributes.name(EnrolmentMXBean.class, EnrolmentMXBean::getPending)));
          JsonNode enrolled =
              coordinator.send(
                  Request.read(
                      ObjectNames.enrolment(),
                      Attributes.name(EnrolmentMXBean.class, EnrolmentMXBean::getEnrolled)));
          out.print(render(pending, enrolled));
          return 0;
        });
  }

  static String render(JsonNode pending, JsonNode enrolled) {
    StringBuilder text = new StringBuilder();
    if (pending.isEmpty()) {
      text.append("no host waits for approval\n");
    } else {
      Table waiting = new Table("WAITING", "KEY", "URL", "FROM", "SINCE");
      for (JsonNode p : pending) {
        waiting.row(
            p.path("host").asText(),
            p.path("fingerprint").asText(),
            p.path("url").asText(),
            p.path("from").asText(),
            TIME.format(Instant.ofEpochMilli(p.path("requestedEpochMillis").asLong())));
      }
      text.append(waiting)
          .append("approve one, after checking its key against the agent's log:")
          .append(" ./xcm hosts approve HOST [--fingerprint KEY]\n");
    }
    if (!enrolled.isEmpty()) {
      Table hosts = new Table("ENROLLED", "KEY", "URL", "CERTIFICATE UNTIL");
      for (JsonNode e : enrolled) {
        hosts.row(
            e.path("host").asText(),
            e.path("fingerprint").asText(),
            e.path("url").asText(),
            TIME.format(Instant.ofEpochMilli(e.path("notAfterEpochMillis").asLong())));
      }
      text.append('\n').append(hosts);
    }
    return text.toString();
  }

  /** What approve, reject and token share: one exec of {@code xcm:type=Enrolment} for a host. */
  abstract static class HostAction extends MBeanAction {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    JsonNode enrolment(Endpoint coordinator, String operation, Object... args)
        throws JolokiaException, InterruptedException {
      return coordinator.send(Request.exec(ObjectNames.enrolment(), operation, args));
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Enrols a waiting host: its certificate is issued.")
  static final class Approve extends HostAction {
    @Option(
        names = "--fingerprint",
        defaultValue = "",
        description = "The key's fingerprint, or its start (needed when several requests wait)")
    String fingerprint;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      String key = enrolment(coordinator, "approve", host, fingerprint).asText();
      return "enrolled " + host + " with key " + key;
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Drops every waiting request of a host.")
  static final class Reject extends HostAction {
    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      enrolment(coordinator, "reject", host);
      return "rejected the waiting requests of " + host;
    }
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description =
          "Prints a one-time enrolment token for exactly one host name: its agent joins with it"
              + " without waiting for approval.")
  static final class Token extends HostAction {
    @Option(
        names = "--valid-minutes",
        defaultValue = "60",
        description = "Minutes until it expires (${DEFAULT-VALUE}; at most 10080, a week)")
    int validMinutes;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      return enrolment(coordinator, "issueToken", host, validMinutes).asText();
    }
  }
}
