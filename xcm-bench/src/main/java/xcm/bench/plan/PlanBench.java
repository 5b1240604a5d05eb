package xcm.bench.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.testkit.plan.SyntheticClusters;
import xcm.testkit.plan.SyntheticRules;

/**
 * {@code ./xcm bench plan}: plans seeded skewed clusters with each balance policy and prints the
 * measured planning time (median of the runs after warm-up), moves, lower bound and scores. With
 * {@code --hbal} it also runs Ganeti's hbal on the same clusters (text backend, disk template ext,
 * so every move is a live migration) and scores hbal's final placement with XCM's weighted score,
 * next to XCM's weighted plan.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Planner time, moves, lower bound and scores on seeded skewed clusters.")
public final class PlanBench implements Callable<Integer> {
  @Option(
      names = "--sizes",
      split = ",",
      paramLabel = "HOSTSxDOMAINS",
      description = "Clusters to plan (default: ${DEFAULT-VALUE}).",
      defaultValue = "50x1000,1000x20000,10000x200000")
  List<String> sizes;

  @Option(
      names = "--hosts",
      split = ",",
      paramLabel = "KIND",
      description =
          "Host sizes: mixed (16, 32, 64 CPUs) and/or uniform (all 32 CPUs)"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "mixed,uniform")
  List<String> hostKinds;

  @Option(
      names = "--rules",
      split = ",",
      paramLabel = "KIND",
      description =
          "Placement rules: none, and/or mixed (labelled hosts, rules on about 10% of the"
              + " domains: SyntheticRules) (default: ${DEFAULT-VALUE}).",
      defaultValue = "none,mixed")
  List<String> ruleKinds;

  @Option(
      names = "--runs",
      description = "Measured runs per cluster and policy (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int runs;

  @Option(
      names = "--warmup",
      description = "Unmeasured runs first (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int warmup;

  @Option(
      names = "--seed",
      description = "Generator seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "42")
  long seed;

  @Option(names = "--hbal", description = "Also compare with Ganeti's hbal (slow: minutes).")
  boolean hbal;

  @Option(
      names = "--hbal-sizes",
      split = ",",
      paramLabel = "HOSTSxDOMAINS",
      description = "Clusters for the hbal comparison (default: ${DEFAULT-VALUE}).",
      defaultValue = "10x100,20x300,50x1000")
  List<String> hbalSizes;

  @Option(
      names = "--hbal-timeout",
      paramLabel = "SECONDS",
      description = "Give up on one hbal run after this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "1200")
  long hbalTimeout;

  @Option(
      names = "--hbal-options",
      paramLabel = "ARGS",
      description = "Extra hbal arguments, space-separated, e.g. \"-g 0.001\" (default: none).",
      defaultValue = "")
  String hbalOptions;

  @Option(
      names = "--hbal-match-moves",
      description =
          "Limit hbal to as many moves as XCM's default plan (hbal -l N): balance at equal moves.")
  boolean hbalMatchMoves;

  @Option(
      names = "--hbal-reuse",
      description =
          "Reuse hbal's output and measured time from an earlier run in the --keep directory"
              + " when present, instead of running hbal again.")
  boolean hbalReuse;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = "Write the hbal inputs and outputs here instead of a temporary directory.")
  Path keep;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<HostKind> kinds = new ArrayList<>();
    for (String label : hostKinds) {
      Optional<HostKind> kind = HostKind.of(label);
      if (kind.isEmpty()) {
        System.err.println("xcm bench plan: --hosts takes mixed and/or uniform, found: " + label);
        return 2;
      }
      kinds.add(kind.get());
    }
    for (String rules : ruleKinds) {
      if (!rules.equals("none") && !rules.equals("mixed")) {
        System.err.println("xcm bench plan: --rules takes none and/or mixed, found: " + rules);
        return 2;
      }
    }
    Planner planner = new Planner(BalancePolicies.installed(PlanBench.class.getClassLoader()));
    System.out.printf(
        "xcm bench plan: seed %d, %d warm-up + %d measured runs each, median planning time%n",
        seed, warmup, runs);
    System.out.printf(
        "%-21s %-6s %-13s %10s %10s %8s %8s %12s %12s  %s%n",
        "cluster",
        "rules",
        "policy",
        "median ms",
        "min ms",
        "moves",
        "bound",
        "score before",
        "after",
        "target");
    for (String size : sizes) {
      for (HostKind kind : kinds) {
        int[] hd = parseSize(size);
        ClusterSnapshot skewed = SyntheticClusters.skewed(hd[0], hd[1], seed, kind.mixed());
        for (String rules : ruleKinds) {
          ClusterSnapshot cluster =
              rules.equals("mixed")
                  ? SyntheticRules.mixed(skewed, seed)
                  : SyntheticRules.none(skewed);
          for (BalancePolicyRun policy :
              List.of(BalancePolicyRun.DOMAIN_COUNT, BalancePolicyRun.WEIGHTED)) {
            Measured measured = measure(planner, cluster, policy.name);
            Plan plan = measured.plan();
            System.out.printf(
                Locale.ROOT,
                "%-21s %-6s %-13s %10.1f %10.1f %8d %8d %12.6f %12.6f  %s%n",
                hd[0] + "/" + hd[1] + " " + kind.label(),
                rules,
                policy.name,
                measured.medianMillis(),
                measured.minMillis(),
                plan.moves().size(),
                plan.lowerBound(),
                plan.initialScore(),
                plan.finalScore(),
                (plan.targetReached() ? "reached" : "not reached") + soft(plan));
          }
        }
      }
    }
    if (hbal) {
      List<int[]> clusters = new ArrayList<>();
      hbalSizes.forEach(size -> clusters.add(parseSize(size)));
      Path dir =
          keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("xcm-hbal");
      new HbalComparison(
              planner, seed, new Hbal(hbalOptions, hbalTimeout), hbalMatchMoves, hbalReuse)
          .run(clusters, dir, hbalOptions);
    }
    return 0;
  }

  /** What the plan's notes say of soft rules (their weight is part of the weighted score). */
  private static String soft(Plan plan) {
    for (String note : plan.notes()) {
      if (note.startsWith("soft rules broken: ")) {
        return "; " + note;
      }
    }
    return "";
  }

  private enum BalancePolicyRun {
    DOMAIN_COUNT("domain-count"),
    WEIGHTED("weighted");

    final String name;

    BalancePolicyRun(String name) {
      this.name = name;
    }
  }

  private record Measured(Plan plan, double medianMillis, double minMillis) {}

  private Measured measure(Planner planner, ClusterSnapshot cluster, String policy) {
    Plan plan = null;
    for (int i = 0; i < warmup; i++) {
      plan = planner.balance(cluster, policy, Map.of(), PlanOptions.defaults());
    }
    double[] millis = new double[Math.max(1, runs)];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      plan = planner.balance(cluster, policy, Map.of(), PlanOptions.defaults());
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return new Measured(plan, millis[millis.length / 2], millis[0]);
  }

  private static int[] parseSize(String size) {
    String[] parts = size.trim().split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a size is HOSTSxDOMAINS, e.g. 50x1000, found: " + size);
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }
}
