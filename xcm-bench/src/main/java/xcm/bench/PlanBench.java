package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.testkit.plan.SyntheticClusters;

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
final class PlanBench implements Callable<Integer> {
  private static final long MIB = 1L << 20;

  /** XCM's default, and a lower minimum gain that trades moves for balance. */
  private static final List<String> XCM_SHARES = List.of("", "0.01");

  private static final Pattern HBAL_MOVE =
      Pattern.compile("gnt-instance (?:migrate|failover)[^\\n]* -n (\\S+) (\\S+)");
  private static final Pattern HBAL_SCORE =
      Pattern.compile("Cluster score improved from ([0-9.]+) to ([0-9.]+)");

  /** One numbered step of hbal's solution: " 12. vm7 h3 => h9 0.1234 a=...". */
  private static final Pattern HBAL_STEP =
      Pattern.compile("(?m)^\\s*(\\d+)\\.\\s+(\\S+)\\s+(\\S+)\\s+=>\\s+(\\S+)\\s+([0-9.]+)");

  /** The goal: XCM at this share of hbal's moves should be at least as balanced. */
  private static final double MOVE_SHARE_GOAL = 0.8;

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
    for (String kind : hostKinds) {
      if (!kind.equals("mixed") && !kind.equals("uniform")) {
        System.err.println("xcm bench plan: --hosts takes mixed and/or uniform, found: " + kind);
        return 2;
      }
    }
    Planner planner = new Planner(BalancePolicies.installed(PlanBench.class.getClassLoader()));
    System.out.printf(
        "xcm bench plan: seed %d, %d warm-up + %d measured runs each, median planning time%n",
        seed, warmup, runs);
    System.out.printf(
        "%-21s %-13s %10s %10s %8s %8s %12s %12s  %s%n",
        "cluster",
        "policy",
        "median ms",
        "min ms",
        "moves",
        "bound",
        "score before",
        "after",
        "target");
    for (String size : sizes) {
      for (String kind : hostKinds) {
        int[] hd = parseSize(size);
        ClusterSnapshot cluster =
            SyntheticClusters.skewed(hd[0], hd[1], seed, kind.equals("mixed"));
        for (BalancePolicyRun policy :
            List.of(BalancePolicyRun.DOMAIN_COUNT, BalancePolicyRun.WEIGHTED)) {
          Measured measured = measure(planner, cluster, policy.name);
          Plan plan = measured.plan();
          System.out.printf(
              Locale.ROOT,
              "%-21s %-13s %10.1f %10.1f %8d %8d %12.6f %12.6f  %s%n",
              hd[0] + "/" + hd[1] + " " + kind,
              policy.name,
              measured.medianMillis(),
              measured.minMillis(),
              plan.moves().size(),
              plan.lowerBound(),
              plan.initialScore(),
              plan.finalScore(),
              plan.targetReached() ? "reached" : "not reached");
        }
      }
    }
    if (hbal) {
      compareWithHbal(planner);
    }
    return 0;
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

  private void compareWithHbal(Planner planner) throws IOException, InterruptedException {
    Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("xcm-hbal");
    System.out.println();
    System.out.println(
        "hbal comparison: hbal -t FILE -U UTIL -C"
            + (hbalOptions.isBlank() ? "" : " " + hbalOptions)
            + " --exclude-instances=PINNED,COOLING (files in "
            + dir
            + ")");
    System.out.println(
        "each tool's final placement scored both ways: XCM's weighted score and hbal's own"
            + " (hbal -e 1e9 on the placement)");
    System.out.printf(
        "%-10s %-7s %-6s %11s %7s %11s %11s %11s %11s%n",
        "cluster",
        "hosts",
        "tool",
        "time ms",
        "moves",
        "xcm before",
        "xcm after",
        "hbal before",
        "hbal after");
    for (String size : hbalSizes) {
      int[] hd = parseSize(size);
      for (boolean mixed : new boolean[] {true, false}) {
        compareOne(planner, dir, hd, mixed);
      }
    }
  }

  private void compareOne(Planner planner, Path dir, int[] hd, boolean mixed)
      throws IOException, InterruptedException {
    ClusterSnapshot cluster = SyntheticClusters.skewed(hd[0], hd[1], seed, mixed);
    String size = hd[0] + "/" + hd[1];
    String hosts = mixed ? "mixed" : "uniform";
    String name = hd[0] + "x" + hd[1] + "-" + hosts;
    Path text = dir.resolve(name + ".htools");
    Path util = dir.resolve(name + ".util");
    Files.writeString(text, HtoolsText.cluster(cluster), StandardCharsets.UTF_8);
    Files.writeString(util, HtoolsText.utilisation(cluster), StandardCharsets.UTF_8);
    double hbalBefore = hbalScore(text, util, dir.resolve(name + ".score.out"));

    Plan xcm = null;
    for (String share : XCM_SHARES) {
      Map<String, String> parameters = share.isEmpty() ? Map.of() : Map.of("minGainShare", share);
      long start = System.nanoTime();
      Plan plan = planner.balance(cluster, "weighted", parameters, PlanOptions.defaults());
      double xcmMillis = (System.nanoTime() - start) / 1e6;
      Map<String, String> xcmHostOf = placement(cluster);
      plan.moves().forEach(m -> xcmHostOf.put(m.domain(), m.to()));
      String label = share.isEmpty() ? "" : "-" + share;
      Path xcmText = dir.resolve(name + ".xcm" + label + ".htools");
      Files.writeString(
          xcmText, HtoolsText.cluster(moved(cluster, xcmHostOf)), StandardCharsets.UTF_8);
      double xcmOnHbalScale =
          hbalScore(xcmText, util, dir.resolve(name + ".xcm" + label + ".score.out"));
      print(
          size,
          hosts,
          share.isEmpty() ? "xcm" : "xcm" + share.substring(1),
          xcmMillis,
          plan.moves().size(),
          plan.initialScore(),
          plan.finalScore(),
          hbalBefore,
          xcmOnHbalScale,
          share.isEmpty() ? "" : "minGainShare=" + share);
      xcm = xcm == null ? plan : xcm;
    }

    List<String> command =
        new ArrayList<>(List.of("hbal", "-t", text.toString(), "-U", util.toString(), "-C"));
    String excluded = HtoolsText.frozen(cluster, PlanOptions.defaults());
    if (!excluded.isEmpty()) {
      command.add("--exclude-instances=" + excluded);
    }
    if (!hbalOptions.isBlank()) {
      command.addAll(Arrays.asList(hbalOptions.trim().split("\\s+")));
    }
    String variant = "";
    if (hbalMatchMoves) {
      command.add("--max-length=" + xcm.moves().size());
      variant = "-l" + xcm.moves().size();
    }
    Path out = dir.resolve(name + ".hbal" + variant + ".out");
    long start;
    Path measured = dir.resolve(name + ".hbal" + variant + ".millis");
    Integer status;
    double hbalMillis;
    if (hbalReuse && Files.exists(out) && Files.exists(measured)) {
      status = 0;
      hbalMillis = Double.parseDouble(Files.readString(measured, StandardCharsets.UTF_8).trim());
    } else {
      start = System.nanoTime();
      status = run(command, out, hbalTimeout);
      hbalMillis = (System.nanoTime() - start) / 1e6;
      if (status != null && status == 0) {
        Files.writeString(measured, Double.toString(hbalMillis), StandardCharsets.UTF_8);
      }
    }
    if (status == null || status != 0) {
      String why = status == null ? "timed out after " + hbalTimeout + " s" : "failed, see " + out;
      print(
          size,
          hosts,
          "hbal",
          hbalMillis,
          -1,
          xcm.initialScore(),
          Double.NaN,
          hbalBefore,
          Double.NaN,
          why);
      return;
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Map<String, String> hbalHostOf = placement(cluster);
    Matcher move = HBAL_MOVE.matcher(output);
    int moves = 0;
    while (move.find()) {
      hbalHostOf.put(move.group(2), move.group(1));
      moves++;
    }
    double hbalOnXcmScale = xcmScore(planner, moved(cluster, hbalHostOf));
    Matcher own = HBAL_SCORE.matcher(output);
    double hbalAfterOwn = own.find() ? Double.parseDouble(own.group(2)) : hbalBefore;
    print(
        size,
        hosts,
        "hbal",
        hbalMillis,
        moves,
        xcm.initialScore(),
        hbalOnXcmScale,
        hbalBefore,
        hbalAfterOwn,
        variant.isEmpty() ? "" : "hbal --max-length=" + variant.substring(2));

    // hbal is deterministic and stops early only at --max-length, so its first N steps are what
    // "hbal -l N" would do: hbal held to XCM's moves, without another run.
    int xcmMoves = xcm.moves().size();
    if (variant.isEmpty() && moves > xcmMoves) {
      Map<String, String> prefixHostOf = placement(cluster);
      double prefixOwn = hbalBefore;
      Matcher step = HBAL_STEP.matcher(output);
      while (step.find() && Integer.parseInt(step.group(1)) <= xcmMoves) {
        prefixHostOf.put(step.group(2), step.group(4));
        prefixOwn = Double.parseDouble(step.group(5));
      }
      print(
          size,
          hosts,
          "hbal@x",
          Double.NaN,
          xcmMoves,
          xcm.initialScore(),
          xcmScore(planner, moved(cluster, prefixHostOf)),
          hbalBefore,
          prefixOwn,
          "hbal's first " + xcmMoves + " moves (as many as xcm's)");
    }
    // XCM held to the goal's share of hbal's moves.
    int limit = (int) Math.floor(MOVE_SHARE_GOAL * moves);
    long limitedStart = System.nanoTime();
    Plan limited =
        planner.balance(
            cluster,
            "weighted",
            Map.of("maxMoves", Integer.toString(limit)),
            PlanOptions.defaults());
    double limitedMillis = (System.nanoTime() - limitedStart) / 1e6;
    Map<String, String> limitedHostOf = placement(cluster);
    limited.moves().forEach(m -> limitedHostOf.put(m.domain(), m.to()));
    Path limitedText = dir.resolve(name + ".xcm-max" + limit + ".htools");
    Files.writeString(
        limitedText, HtoolsText.cluster(moved(cluster, limitedHostOf)), StandardCharsets.UTF_8);
    print(
        size,
        hosts,
        "xcm@.8",
        limitedMillis,
        limited.moves().size(),
        limited.initialScore(),
        limited.finalScore(),
        hbalBefore,
        hbalScore(limitedText, util, dir.resolve(name + ".xcm-max" + limit + ".score.out")),
        "maxMoves="
            + limit
            + " ("
            + MOVE_SHARE_GOAL
            + " x hbal's)"
            + (limited.finalScore() <= hbalOnXcmScale
                ? ": as balanced as hbal"
                : ": less balanced than hbal"));
  }

  /** XCM's weighted score of a placement. */
  private static double xcmScore(Planner planner, ClusterSnapshot placed) {
    return planner
        .balance(placed, "weighted", Map.of("maxMoves", "0"), PlanOptions.defaults())
        .initialScore();
  }

  /** hbal's own score of a placement: with -e above any score it scores and stops. */
  private static double hbalScore(Path text, Path util, Path out)
      throws IOException, InterruptedException {
    Integer status =
        run(List.of("hbal", "-t", text.toString(), "-U", util.toString(), "-e", "1e9"), out, 600);
    Matcher score =
        Pattern.compile("Initial score: ([0-9.]+)")
            .matcher(Files.readString(out, StandardCharsets.UTF_8));
    return status != null && status == 0 && score.find()
        ? Double.parseDouble(score.group(1))
        : Double.NaN;
  }

  /** Runs a command with its output in a file; its exit status, or null if it timed out. */
  private static Integer run(List<String> command, Path out, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      return null;
    }
    return process.exitValue();
  }

  private static Map<String, String> placement(ClusterSnapshot cluster) {
    Map<String, String> hostOf = new HashMap<>();
    cluster.domains().forEach(d -> hostOf.put(d.name(), d.host()));
    return hostOf;
  }

  private static ClusterSnapshot moved(ClusterSnapshot cluster, Map<String, String> hostOf) {
    return new ClusterSnapshot(
        cluster.hosts(),
        cluster.domains().stream().map(d -> d.withHost(hostOf.get(d.name()))).toList());
  }

  private static void print(
      String size,
      String hosts,
      String tool,
      double millis,
      int moves,
      double xcmBefore,
      double xcmAfter,
      double hbalBefore,
      double hbalAfter,
      String note) {
    System.out.printf(
        Locale.ROOT,
        "%-10s %-7s %-6s %11s %7s %11.6f %11.6f %11.6f %11.6f %s%n",
        size,
        hosts,
        tool,
        Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.1f", millis),
        moves < 0 ? "-" : Integer.toString(moves),
        xcmBefore,
        xcmAfter,
        hbalBefore,
        hbalAfter,
        note);
  }

  private static int[] parseSize(String size) {
    String[] parts = size.trim().split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a size is HOSTSxDOMAINS, e.g. 50x1000, found: " + size);
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }

  /**
   * Ganeti htools text backend (see {@code man htools}, option {@code -t}): one node group, one
   * node per host, one instance per domain with disk template ext, anti-affinity groups as
   * exclusion tags, and the dynamic CPU load in a separate {@code -U} file.
   */
  static final class HtoolsText {
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
        String offline = h.state() == xcm.mbeans.HostState.ACTIVE ? "N" : "Y";
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
                d.antiAffinityGroup().map(g -> "aa:" + g).orElse(""),
                "0",
                "-"));
        out.append('\n');
      }
      out.append('\n');
      out.append("htools:iextags:aa\n\n");
      out.append("|1024,1,1024,1,1,1|1,1,1,1,1,1;4194304,256,10485760,16,8,16|ext|256.0|32.0\n");
      return out.toString();
    }

    /**
     * hbal's -U file: name, CPU, memory, disk and network load; only CPU is known here. hbal
     * balances the absolute sum of the loads per node, so the CPU load is put in units of an
     * average host (utilisation × vCPUs / mean host CPUs): on equal hosts hbal's cpu_load_cv is
     * then exactly XCM's CPU-load deviation, and its other parts (free memory, vCPU ratio) match
     * XCM's memory and vCPU parts, so both tools chase the same goal.
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
}
