package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.ClusterMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationsMXBean;

/** {@code ./xcm status [--host H]}: the summary view, or one host's detailed view. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Prints the cluster summary, or with --host the domains of one host.")
final class StatusCommand implements Callable<Integer>, QuickPath.Command {
  @Mixin Connection connection;

  @Option(names = "--host", paramLabel = "HOST", description = "Show this host's domains")
  String host;

  @Option(
      names = "--snapshot",
      description =
          "Print what the planners see now as snapshot JSON, for ./xcm plan --snapshot FILE")
  boolean snapshot;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return call(CommandOutput.of(spec));
  }

  @Override
  public int call(CommandOutput output) {
    return Connection.run(output, () -> run(output.out(), output.err()));
  }

  private int run(PrintWriter out, PrintWriter err)
      throws CliException, JolokiaException, InterruptedException {
    Endpoint coordinator = connection.open();
    if (snapshot) {
      out.println(
          coordinator
              .send(
                  Request.read(
                      ObjectNames.operations(),
                      Attributes.name(
                          OperationsMXBean.class, OperationsMXBean::getPlanningSnapshot)))
              .asText());
    } else if (host == null) {
      out.print(summary(coordinator.send(Request.read(ObjectNames.cluster()))));
    } else {
      Optional<JsonNode> detail =
          coordinator.sendIfFound(Request.read(ObjectNames.clusterHost(host)));
      if (detail.isEmpty()) {
        List<String> names = new ArrayList<>();
        coordinator
            .send(Request.read(ObjectNames.cluster(), cluster(ClusterMXBean::getHosts)))
            .forEach(h -> names.add(h.path("name").asText()));
        err.println(
            "xcm status: no host '"
                + host
                + "' in the cluster; hosts are "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
        return 1;
      }
      out.print(detail(detail.get()));
    }
    out.flush();
    return 0;
  }

  /** The name of an attribute of {@code xcm:type=Cluster}. */
  private static String cluster(Function<ClusterMXBean, ?> getter) {
    return Attributes.name(ClusterMXBean.class, getter);
  }

  /** The name of an attribute of {@code xcm:type=Cluster,host=...}. */
  private static String hostView(Function<ClusterHostMXBean, ?> getter) {
    return Attributes.name(ClusterHostMXBean.class, getter);
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
    for (JsonNode h : cluster.path(cluster(ClusterMXBean::getHosts))) {
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
    long memory = cluster.path(cluster(ClusterMXBean::getMemoryBytes)).asLong();
    long used = cluster.path(cluster(ClusterMXBean::getMemoryUsedBytes)).asLong();
    table.row(
        "TOTAL",
        cluster.path(cluster(ClusterMXBean::getActiveHostCount)).asInt()
            + "/"
            + cluster.path(cluster(ClusterMXBean::getHostCount)).asInt()
            + " active",
        cluster.path(cluster(ClusterMXBean::getDomainCount)).asInt(),
        cluster.path(cluster(ClusterMXBean::getActiveDomainCount)).asInt(),
        Units.bytes(used),
        Units.bytes(memory),
        Units.percent(cluster.path(cluster(ClusterMXBean::getCpuUtilisation)).asDouble()),
        "",
        "");
    StringBuilder out = new StringBuilder(table.toString());
    for (JsonNode pending : cluster.path(cluster(ClusterMXBean::getPendingAgents))) {
      out.append("not joined: ").append(pending.asText()).append('\n');
    }
    return out.toString();
  }

  /** One host's header line and its domains as a table. */
  static String detail(JsonNode host) {
    StringBuilder out = new StringBuilder();
    out.append(host.path(hostView(ClusterHostMXBean::getName)).asText())
        .append("  ")
        .append(host.path(hostView(ClusterHostMXBean::getState)).asText())
        .append("  ")
        .append(host.path(hostView(ClusterHostMXBean::getCpus)).asInt())
        .append(" CPUs, ")
        .append(Units.bytes(host.path(hostView(ClusterHostMXBean::getMemoryUsedBytes)).asLong()))
        .append(" of ")
        .append(Units.bytes(host.path(hostView(ClusterHostMXBean::getMemoryBytes)).asLong()))
        .append(" used, CPU ")
        .append(Units.percent(host.path(hostView(ClusterHostMXBean::getCpuUtilisation)).asDouble()))
        .append("  agent ")
        .append(host.path(hostView(ClusterHostMXBean::getUrl)).asText())
        .append('\n');
    String error = host.path(hostView(ClusterHostMXBean::getLastError)).asText();
    if (!error.isEmpty()
        && !host.path(hostView(ClusterHostMXBean::getState)).asText().equals("ACTIVE")) {
      out.append("last error: ").append(error).append('\n');
    }
    String reason = host.path(hostView(ClusterHostMXBean::getStateReason)).asText();
    if (!reason.isEmpty()) {
      out.append("failure: ").append(reason).append('\n');
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
    for (JsonNode d : host.path(hostView(ClusterHostMXBean::getDomains))) {
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
