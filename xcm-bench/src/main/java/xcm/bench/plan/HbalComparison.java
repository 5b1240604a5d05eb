package xcm.bench.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.testkit.plan.SyntheticClusters;

/**
 * {@code ./xcm bench plan --hbal}: the same seeded clusters balanced by XCM's weighted policy and
 * by Ganeti's hbal, each tool's final placement scored both ways (XCM's weighted score, hbal's
 * own), with the moves each took; then hbal held to XCM's number of moves, and XCM held to a share
 * of hbal's. Prints a row per tool and cluster.
 *
 * <p>Not thread-safe: one comparison at a time.
 */
final class HbalComparison {
  /** XCM's default, and a lower minimum gain that trades moves for balance. */
  private static final List<String> XCM_SHARES = List.of("", "0.01");

  /** The goal: XCM at this share of hbal's moves should be at least as balanced. */
  private static final double MOVE_SHARE_GOAL = 0.8;

  private final Planner planner;
  private final long seed;
  private final Hbal hbal;
  private final boolean matchMoves;
  private final boolean reuse;

  /**
   * @param matchMoves hold hbal to as many moves as XCM's default plan ({@code hbal -l N})
   * @param reuse take hbal's output and time from an earlier run in the directory when present
   */
  HbalComparison(Planner planner, long seed, Hbal hbal, boolean matchMoves, boolean reuse) {
    this.planner = planner;
    this.seed = seed;
    this.hbal = hbal;
    this.matchMoves = matchMoves;
    this.reuse = reuse;
  }

  /**
   * Compares on clusters of {@code sizes} (hosts and domains), mixed and uniform hosts, with the
   * inputs and outputs of hbal in {@code dir}; {@code options} is how the header shows hbal's.
   */
  void run(List<int[]> sizes, Path dir, String options) throws IOException, InterruptedException {
    System.out.println();
    System.out.println(
        "hbal comparison: hbal -t FILE -U UTIL -C"
            + (options.isBlank() ? "" : " " + options)
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
    for (int[] hd : sizes) {
      for (HostKind kind : HostKind.values()) {
        compare(dir, hd, kind);
      }
    }
  }

  private void compare(Path dir, int[] hd, HostKind kind) throws IOException, InterruptedException {
    ClusterSnapshot cluster = SyntheticClusters.skewed(hd[0], hd[1], seed, kind.mixed());
    Row row = new Row(hd[0] + "/" + hd[1], kind.label());
    String name = hd[0] + "x" + hd[1] + "-" + kind.label();
    Path text = dir.resolve(name + ".htools");
    Path util = dir.resolve(name + ".util");
    Files.writeString(text, HtoolsText.cluster(cluster), StandardCharsets.UTF_8);
    Files.writeString(util, HtoolsText.utilisation(cluster), StandardCharsets.UTF_8);
    double hbalBefore = Hbal.score(text, util, dir.resolve(name + ".score.out"));

    Plan xcm = null;
    for (String share : XCM_SHARES) {
      Map<String, String> parameters = share.isEmpty() ? Map.of() : Map.of("minGainShare", share);
      long start = System.nanoTime();
      Plan plan = planner.balance(cluster, "weighted", parameters, PlanOptions.defaults());
      double xcmMillis = (System.nanoTime() - start) / 1e6;
      String label = share.isEmpty() ? "" : "-" + share;
      double xcmOnHbalScale = hbalScore(cluster, plan, dir, util, name + ".xcm" + label);
      row.print(
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

    int xcmMoves = xcm.moves().size();
    String variant = matchMoves ? "-l" + xcmMoves : "";
    Path out = dir.resolve(name + ".hbal" + variant + ".out");
    Path measured = dir.resolve(name + ".hbal" + variant + ".millis");
    Integer status;
    double hbalMillis;
    if (reuse && Files.exists(out) && Files.exists(measured)) {
      status = 0;
      hbalMillis = Double.parseDouble(Files.readString(measured, StandardCharsets.UTF_8).trim());
    } else {
      long start = System.nanoTime();
      status =
          hbal.balance(
              text,
              util,
              HtoolsText.frozen(cluster, PlanOptions.defaults()),
              matchMoves ? OptionalInt.of(xcmMoves) : OptionalInt.empty(),
              out);
      hbalMillis = (System.nanoTime() - start) / 1e6;
      if (status != null && status == 0) {
        Files.writeString(measured, Double.toString(hbalMillis), StandardCharsets.UTF_8);
      }
    }
    if (status == null || status != 0) {
      String why =
          status == null ? "timed out after " + hbal.timeoutSeconds() + " s" : "failed, see " + out;
      row.print(
          "hbal", hbalMillis, -1, xcm.initialScore(), Double.NaN, hbalBefore, Double.NaN, why);
      return;
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Map<String, String> hbalHostOf = placement(cluster);
    int moves = Hbal.applyMoves(output, hbalHostOf);
    double hbalOnXcmScale = xcmScore(moved(cluster, hbalHostOf));
    row.print(
        "hbal",
        hbalMillis,
        moves,
        xcm.initialScore(),
        hbalOnXcmScale,
        hbalBefore,
        Hbal.finalScore(output, hbalBefore),
        variant.isEmpty() ? "" : "hbal --max-length=" + variant.substring(2));

    // hbal is deterministic and stops early only at --max-length, so its first N steps are what
    // "hbal -l N" would do: hbal held to XCM's moves, without another run.
    if (variant.isEmpty() && moves > xcmMoves) {
      Map<String, String> prefixHostOf = placement(cluster);
      double prefixOwn = Hbal.applySteps(output, xcmMoves, prefixHostOf, hbalBefore);
      row.print(
          "hbal@x",
          Double.NaN,
          xcmMoves,
          xcm.initialScore(),
          xcmScore(moved(cluster, prefixHostOf)),
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
    row.print(
        "xcm@.8",
        limitedMillis,
        limited.moves().size(),
        limited.initialScore(),
        limited.finalScore(),
        hbalBefore,
        hbalScore(cluster, limited, dir, util, name + ".xcm-max" + limit),
        "maxMoves="
            + limit
            + " ("
            + MOVE_SHARE_GOAL
            + " x hbal's)"
            + (limited.finalScore() <= hbalOnXcmScale
                ? ": as balanced as hbal"
                : ": less balanced than hbal"));
  }

  /**
   * hbal's score of the placement {@code plan} leaves, with {@code dir/<file>.htools} its text and
   * {@code dir/<file>.score.out} what hbal printed.
   */
  private static double hbalScore(
      ClusterSnapshot cluster, Plan plan, Path dir, Path util, String file)
      throws IOException, InterruptedException {
    Map<String, String> hostOf = placement(cluster);
    plan.moves().forEach(m -> hostOf.put(m.domain(), m.to()));
    Path text = dir.resolve(file + ".htools");
    Files.writeString(text, HtoolsText.cluster(moved(cluster, hostOf)), StandardCharsets.UTF_8);
    return Hbal.score(text, util, dir.resolve(file + ".score.out"));
  }

  /** XCM's weighted score of a placement. */
  private double xcmScore(ClusterSnapshot placed) {
    return planner
        .balance(placed, "weighted", Map.of("maxMoves", "0"), PlanOptions.defaults())
        .initialScore();
  }

  /** Domain → host, as the cluster places them. */
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

  /** The rows of one cluster: its size and host kind, then a tool's figures. */
  private record Row(String size, String hosts) {
    void print(
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
  }
}
