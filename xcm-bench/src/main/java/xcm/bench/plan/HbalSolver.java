package xcm.bench.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.PlanOptions;

/**
 * Ganeti's {@code hbal} as a planner other benches can call: a snapshot in, where hbal would put
 * each domain it moves out. Needs {@code hbal} on the path ({@code ganeti-htools}, which {@code
 * ./xcm} installs for the benches).
 *
 * <p>Not thread-safe: its files are reused.
 */
public final class HbalSolver {
  private final Hbal hbal;
  private final Path dir;

  /**
   * @param dir where the htools files and hbal's output are written
   * @param timeoutSeconds how long one hbal run may take
   */
  public HbalSolver(Path dir, long timeoutSeconds) {
    this.hbal = new Hbal("", timeoutSeconds);
    this.dir = dir;
  }

  /**
   * hbal's solution for the cluster: each domain it moves, by name, with the host it ends on.
   * Pinned and cooling-down domains are excluded from its moves.
   *
   * @throws IOException when hbal fails or does not end in time, naming its output file
   */
  public Map<String, String> solve(ClusterSnapshot cluster, PlanOptions options)
      throws IOException, InterruptedException {
    Path text = Files.writeString(dir.resolve("cluster.txt"), HtoolsText.cluster(cluster));
    Path util = Files.writeString(dir.resolve("util.txt"), HtoolsText.utilisation(cluster));
    Path out = dir.resolve("hbal.out");
    Integer status =
        hbal.balance(text, util, HtoolsText.frozen(cluster, options), OptionalInt.empty(), out);
    if (status == null || status != 0) {
      throw new IOException(
          "hbal "
              + (status == null ? "timed out after " + hbal.timeoutSeconds() + " s" : "failed")
              + ", see "
              + out);
    }
    Map<String, String> where = new LinkedHashMap<>();
    Hbal.applyMoves(Files.readString(out, StandardCharsets.UTF_8), where);
    return where;
  }
}
