package xcm.bench.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.PlanOptions;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.Strength;

/**
 * Ganeti htools text backend (see {@code man htools}, option {@code -t}): one node group, one node
 * per host, one instance per domain with disk template ext, anti-affinity groups as exclusion tags,
 * and the dynamic CPU load in a separate {@code -U} file.
 *
 * <p>Thread-safe: stateless.
 */
final class HtoolsText {
  private static final long MIB = 1L << 20;

  private HtoolsText() {}

  static String cluster(ClusterSnapshot cluster) {
    StringBuilder out = new StringBuilder();
    out.append("default|00000000-0000-0000-0000-000000000001|preferred||\n\n");
    Map<String, Long> used = new HashMap<>();
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      if (d.holdsResources()) {
        used.merge(d.host(), d.memoryBytes() / MIB, Long::sum);
      }
    }
    for (ClusterSnapshot.Host h : cluster.hosts()) {
      long total = h.memoryBytes() / MIB;
      long node = h.reservedMemoryBytes() / MIB;
      long free = total - node - used.getOrDefault(h.name(), 0L);
      String offline = h.state() == HostState.ACTIVE ? "N" : "Y";
      out.append(
          String.join(
              "|",
              h.name(),
              Long.toString(total),
              Long.toString(node),
              Long.toString(free),
              "1048576",
              "1048576",
              Integer.toString(h.cpus()),
              offline,
              "00000000-0000-0000-0000-000000000001",
              "1",
              "",
              "N",
              "0",
              "0",
              "1.0"));
      out.append('\n');
    }
    out.append('\n');
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      out.append(
          String.join(
              "|",
              d.name(),
              Long.toString(d.memoryBytes() / MIB),
              "1024",
              Integer.toString(d.vcpus()),
              d.holdsResources() ? "running" : "ADMIN_down",
              "Y",
              d.host(),
              "",
              "ext",
              hardApartTags(d),
              "0",
              "-"));
      out.append('\n');
    }
    out.append('\n');
    out.append("htools:iextags:aa\n\n");
    out.append("|1024,1,1024,1,1,1|1,1,1,1,1,1;4194304,256,10485760,16,8,16|ext|256.0|32.0\n");
    return out.toString();
  }

  /** hbal's exclusion tags stand for hard apart rules, the one kind of rule hbal has. */
  private static String hardApartTags(ClusterSnapshot.Domain d) {
    StringBuilder tags = new StringBuilder();
    for (GroupRule rule : d.rules().apart()) {
      if (rule.strength() == Strength.HARD) {
        tags.append(tags.length() == 0 ? "" : ",").append("aa:").append(rule.group());
      }
    }
    return tags.toString();
  }

  /**
   * hbal's -U file: name, CPU, memory, disk and network load; only CPU is known here. hbal balances
   * the absolute sum of the loads per node, so the CPU load is put in units of an average host
   * (utilisation × vCPUs / mean host CPUs): on equal hosts hbal's cpu_load_cv is then exactly XCM's
   * CPU-load deviation, and its other parts (free memory, vCPU ratio) match XCM's memory and vCPU
   * parts, so both tools chase the same goal.
   */
  static String utilisation(ClusterSnapshot cluster) {
    double meanCpus =
        cluster.hosts().stream().mapToInt(ClusterSnapshot.Host::cpus).average().orElse(1);
    StringBuilder out = new StringBuilder();
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      out.append(d.name())
          .append(' ')
          .append(String.format(Locale.ROOT, "%.6f", d.cpuUtilisation() * d.vcpus() / meanCpus))
          .append(" 0 0 0\n");
    }
    return out.toString();
  }

  /** Pinned and cooling-down domains, which hbal must leave alone, comma-separated. */
  static String frozen(ClusterSnapshot cluster, PlanOptions options) {
    List<String> names = new ArrayList<>();
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      boolean cooling =
          d.lastMovedSecondsAgo().isPresent()
              && d.lastMovedSecondsAgo().getAsLong() < options.cooldownSeconds();
      if (d.pinned() || cooling) {
        names.add(d.name());
      }
    }
    return String.join(",", names);
  }
}
