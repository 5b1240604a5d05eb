package xcm.bench.day;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.coordinator.balancing.BalancerSettings;
import xcm.coordinator.balancing.MigrationThreshold;
import xcm.coordinator.balancing.PowerSettings;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.AutomationLevel;

/**
 * {@code ./xcm bench day}: replays a day of per-VM demand on a simulated cluster under each way of
 * balancing it — none, XCM {@code full} at several thresholds, XCM with power saving, and the
 * peers' algorithms — and prints what each came to side by side, then judges the goals.
 */
@Command(
    name = "day",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "A simulated day: imbalance, hot minutes, migrations, ping-pongs, host-hours and planning"
            + " time for no balancing, XCM and the peers' algorithms.")
public final class DayBench implements Callable<Integer> {
  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Replay this trace (CSV, docs/continuous-balancing.md) instead of generating one.")
  Path trace;

  @Option(
      names = "--hosts",
      defaultValue = "64",
      description = "Hosts of the generated trace (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(
      names = "--vms",
      defaultValue = "1500",
      description = "VMs of the generated trace (default: ${DEFAULT-VALUE}).")
  int vms;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the generated trace (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--minutes",
      defaultValue = "1440",
      description = "Length of the generated trace (default: ${DEFAULT-VALUE}).")
  int minutes;

  @Option(
      names = "--thresholds",
      split = ",",
      defaultValue = "2,3,4",
      description = "XCM full at these migration thresholds (default: ${DEFAULT-VALUE}).")
  List<Integer> thresholds;

  @Option(
      names = "--proxlb-interval",
      defaultValue = "60",
      description =
          "Minutes between ProxLB runs (its daemon's default is 720) (default: ${DEFAULT-VALUE}).")
  int proxlbInterval;

  @Option(
      names = "--write-trace",
      paramLabel = "FILE",
      description = "Also write the trace replayed, as CSV.")
  Path writeTrace;

  @Option(
      names = "--peers-hbal",
      description =
          "Also replay a day of a 20-host / 300-VM cluster (same seed) with Ganeti's hbal run"
              + " every hour beside XCM and the other peers (needs hbal: ganeti-htools).")
  boolean peersHbal;

  @Override
  public Integer call() throws IOException {
    DayTrace day = load();
    if (writeTrace != null) {
      try (Writer out = Files.newBufferedWriter(writeTrace, StandardCharsets.UTF_8)) {
        TraceCsv.write(day, out);
      }
    }
    Planner planner = new Planner(BalancePolicies.installed(DayBench.class.getClassLoader()));
    List<DayPolicy> policies = new ArrayList<>();
    policies.add(new NoBalancing());
    for (int t : thresholds) {
      policies.add(
          new XcmPolicy(
              "XCM full, threshold " + t,
              planner,
              full(new MigrationThreshold(t)),
              PowerSettings.defaults()));
    }
    policies.add(
        new XcmPolicy(
            "XCM full, threshold 3, power saving",
            planner,
            full(MigrationThreshold.DEFAULT),
            PowerSettings.defaults().withEnabled(true)));
    policies.add(new ProxLbPolicy(proxlbInterval, 10));
    policies.add(new OvirtPolicy());
    replay(day, trace != null ? trace.toString() : "generated, seed " + seed, policies);
    if (peersHbal) {
      Path dir = Files.createTempDirectory("xcm-day-hbal");
      try {
        DayTrace small = TraceGenerator.generate(20, 300, minutes, seed);
        replay(
            small,
            "generated, seed " + seed + ", with hbal",
            List.of(
                new NoBalancing(),
                new XcmPolicy(
                    DayTable.GOAL_ROW,
                    planner,
                    full(MigrationThreshold.DEFAULT),
                    PowerSettings.defaults()),
                new ProxLbPolicy(proxlbInterval, 10),
                new OvirtPolicy(),
                new HbalPolicy(dir, 60)));
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    }
    return 0;
  }

  /** Replays the day under each policy and prints the table and the goals. */
  private static void replay(DayTrace day, String what, List<DayPolicy> policies) {
    System.out.printf(
        Locale.ROOT,
        "day bench: %d hosts, %d VMs, %d minutes (%s)%n",
        day.hosts().size(),
        day.vms().size(),
        day.minutes(),
        what);
    List<DayResult> results = new ArrayList<>();
    for (DayPolicy policy : policies) {
      DayResult result = run(day, policy);
      results.add(result);
      System.out.println(result.line());
    }
    System.out.println();
    DayTable.print(results, System.out);
    System.out.println();
    DayTable.judge(results, System.out);
    System.out.println();
  }

  private static BalancerSettings full(MigrationThreshold threshold) {
    return BalancerSettings.defaults().withLevel(AutomationLevel.FULL).withThreshold(threshold);
  }

  private DayTrace load() throws IOException {
    if (trace == null) {
      return TraceGenerator.generate(hosts, vms, minutes, seed);
    }
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      return TraceCsv.read(in);
    }
  }

  /** Replays the whole trace under one policy. */
  static DayResult run(DayTrace day, DayPolicy policy) {
    DayMetrics metrics = new DayMetrics();
    SimCluster cluster = new SimCluster(day, metrics);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int interval = policy.intervalMinutes();
    for (int m = 0; m < day.minutes(); m++) {
      cluster.replay(m);
      long start = threads.getCurrentThreadCpuTime();
      policy.observe(cluster);
      if ((m + 1) % interval == 0) {
        policy.round(cluster);
      }
      metrics.planned(threads.getCurrentThreadCpuTime() - start);
    }
    return new DayResult(policy, metrics);
  }
}
