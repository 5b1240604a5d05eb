package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xcm.mbeans.ObjectNames;

/** {@code ./xcm status [--host H]}: the summary view, or one host's detailed view. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Prints the cluster summary, or with --host the domains of one host.")
final class StatusCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Option(names = "--host", paramLabel = "HOST", description = "Show this host's domains")
  String host;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      CoordinatorClient client = connection.open();
      if (host == null) {
        out.print(summary(client.read(ObjectNames.cluster())));
      } else {
        try {
          out.print(detail(client.read(ObjectNames.clusterHost(host))));
        } catch (CliException.NotFound e) {
          List<String> names = new ArrayList<>();
          client
              .read(ObjectNames.cluster())
              .path("Hosts")
              .forEach(h -> names.add(h.path("name").asText()));
          err.println(
              "xcm status: no host '"
                  + host
                  + "' in the cluster; hosts are "
                  + (names.isEmpty() ? "none" : String.join(", ", names)));
          return 1;
        }
      }
      out.flush();
      return 0;
    } catch (CliException e) {
      err.println("xcm status: " + e.getMessage());
      return 1;
    }
  }

  /** The summary view as a table, then the totals and pending agents. */
  static String summary(JsonNode cluster) {
    Table table =
        new Table(
            "HOST",
            "STATE",
            ">DOMAINS",
            ">ACTIVE",
            ">MEMORY USED",
            ">OF",
            ">CPU",
            ">SAMPLE AGE",
            "AGENT");
    for (JsonNode h : cluster.path("Hosts")) {
      long total = h.path("memoryBytes").asLong();
      table.row(
          h.path("name").asText(),
          h.path("state").asText(),
          h.path("domains").asInt(),
          h.path("activeDomains").asInt(),
          Units.bytes(h.path("memoryUsedBytes").asLong()),
          Units.bytes(total),
          Units.percent(h.path("cpuUtilisation").asDouble()),
          Units.age(h.path("lastSampleAgeSeconds").asDouble()),
          h.path("url").asText());
    }
    long memory = cluster.path("MemoryBytes").asLong();
    long used = cluster.path("MemoryUsedBytes").asLong();
    table.row(
        "TOTAL",
        cluster.path("ActiveHostCount").asInt()
            + "/"
            + cluster.path("HostCount").asInt()
            + " active",
        cluster.path("DomainCount").asInt(),
        cluster.path("ActiveDomainCount").asInt(),
        Units.bytes(used),
        Units.bytes(memory),
        Units.percent(cluster.path("CpuUtilisation").asDouble()),
        "",
        "");
    StringBuilder out = new StringBuilder(table.toString());
    for (JsonNode pending : cluster.path("PendingAgents")) {
      out.append("not joined: ").append(pending.asText()).append('\n');
    }
    return out.toString();
  }

  /** One host's header line and its domains as a table. */
  static String detail(JsonNode host) {
    StringBuilder out = new StringBuilder();
    out.append(host.path("Name").asText())
        .append("  ")
        .append(host.path("State").asText())
        .append("  ")
        .append(host.path("Cpus").asInt())
        .append(" CPUs, ")
        .append(Units.bytes(host.path("MemoryUsedBytes").asLong()))
        .append(" of ")
        .append(Units.bytes(host.path("MemoryBytes").asLong()))
        .append(" used, CPU ")
        .append(Units.percent(host.path("CpuUtilisation").asDouble()))
        .append("  agent ")
        .append(host.path("Url").asText())
        .append('\n');
    String error = host.path("LastError").asText();
    if (!error.isEmpty() && !host.path("State").asText().equals("ACTIVE")) {
      out.append("last error: ").append(error).append('\n');
    }
    Table table =
        new Table(
            "DOMAIN",
            "STATE",
            ">VCPUS",
            ">MEMORY",
            ">CPU",
            ">DISK READ",
            ">DISK WRITTEN",
            ">NET IN",
            ">NET OUT",
            "UUID");
    for (JsonNode d : host.path("Domains")) {
      table.row(
          d.path("name").asText(),
          d.path("state").asText(),
          d.path("vcpus").asInt(),
          Units.bytes(d.path("memoryBytes").asLong()),
          Units.percent(d.path("cpuUtilisation").asDouble()),
          Units.bytes(d.path("blockReadBytes").asLong()),
          Units.bytes(d.path("blockWriteBytes").asLong()),
          Units.bytes(d.path("networkReceiveBytes").asLong()),
          Units.bytes(d.path("networkTransmitBytes").asLong()),
          d.path("uuid").asText());
    }
    return out.append(table).toString();
  }
}
