package xcm.bench.faults;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import xcm.bench.Percentiles;

/**
 * What the failover trials measured, per kind of fault and overall: trials, violations, the
 * takeover time (from the fault to the standby acting), the time until the operation the fault
 * interrupted ended (through the drains the new active continued), and the requests the agents
 * refused for a superseded epoch.
 *
 * <p>Not thread-safe: the trial loop adds, then prints.
 */
public final class FailoverTally {
  /** The goal of issue 16. */
  static final int GOAL_TRIALS = 300;

  /** Takeover within this long of a kill -9, the goal of issue 16. */
  static final Duration GOAL_TAKEOVER = Duration.ofSeconds(15);

  /**
   * How one trial went.
   *
   * @param takeoverMillis from the fault to the standby seen acting; -1 when it never was
   * @param interruptedMillis from the fault to the end of the operations it interrupted; -1 when
   *     none was left running
   * @param staleRefusals requests the agents refused for a superseded epoch during the trial
   * @param problems what was wrong, none when all was well
   */
  record Trial(
      int number,
      FailoverFault kind,
      String victim,
      long takeoverMillis,
      long interruptedMillis,
      long staleRefusals,
      List<String> problems) {}

  private static final class Kind {
    int trials;
    int violations;
    long staleRefusals;
    final List<Double> takeover = new ArrayList<>();
    final List<Double> interrupted = new ArrayList<>();

    void add(Trial t) {
      trials++;
      violations += t.problems().isEmpty() ? 0 : 1;
      staleRefusals += t.staleRefusals();
      if (t.takeoverMillis() >= 0) {
        takeover.add((double) t.takeoverMillis());
      }
      if (t.interruptedMillis() >= 0) {
        interrupted.add((double) t.interruptedMillis());
      }
    }
  }

  private final Duration lease;
  private final Map<FailoverFault, Kind> kinds = new EnumMap<>(FailoverFault.class);
  private final Kind all = new Kind();
  private final List<String> violations = new ArrayList<>();

  FailoverTally(Duration lease) {
    this.lease = lease;
  }

  void add(Trial trial) {
    kinds.computeIfAbsent(trial.kind(), k -> new Kind()).add(trial);
    all.add(trial);
    if (!trial.problems().isEmpty()) {
      violations.add(
          "trial "
              + trial.number()
              + " ("
              + trial.kind().label
              + " of "
              + trial.victim()
              + "): "
              + String.join("; ", trial.problems()));
    }
  }

  public int trials() {
    return all.trials;
  }

  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Trials of each kind of fault. */
  public Map<FailoverFault, Integer> trialsByKind() {
    Map<FailoverFault, Integer> trials = new EnumMap<>(FailoverFault.class);
    kinds.forEach((kind, k) -> trials.put(kind, k.trials));
    return trials;
  }

  /** Trials in which the standby was seen acting. */
  public int takeovers() {
    return all.takeover.size();
  }

  /** The table per kind and overall, every violation, and the goal lines. */
  public void print(PrintStream out) {
    out.printf(
        "lease %d ms (standbys try every %d ms); times from the fault, p50 / p99 / max%n",
        lease.toMillis(), lease.toMillis() / 4);
    out.printf(
        "%-10s %6s %10s %26s %26s %6s %6s%n",
        "kind", "trials", "violations", "takeover", "interrupted op ended", "n", "stale");
    kinds.forEach((kind, k) -> row(out, kind.label, k));
    row(out, "all", all);
    for (String v : violations) {
      out.println("  violation: " + v);
    }
    out.println(
        "(n: trials whose fault left an operation running; stale: requests the agents refused for"
            + " a superseded epoch)");
    out.printf(
        "violations %d in %d trials (goal 0 in %d): %s%n",
        violations.size(),
        all.trials,
        GOAL_TRIALS,
        violations.isEmpty() && all.trials >= GOAL_TRIALS
            ? "met"
            : violations.isEmpty() ? "none, but fewer than " + GOAL_TRIALS + " trials" : "MISSED");
    Kind killed = kinds.get(FailoverFault.KILL);
    if (killed != null && !killed.takeover.isEmpty()) {
      double max = new Percentiles(doubles(killed.takeover)).at(100);
      out.printf(
          "takeover after kill -9: max %.1f s with a %d ms lease (goal within %d s): %s%n",
          max / 1e3,
          lease.toMillis(),
          GOAL_TAKEOVER.toSeconds(),
          killed.takeover.size() < killed.trials
              ? "MISSED (a standby never acted)"
              : max <= GOAL_TAKEOVER.toMillis() ? "met" : "MISSED");
    }
  }

  private static void row(PrintStream out, String label, Kind k) {
    out.printf(
        "%-10s %6d %10d %26s %26s %6d %6d%n",
        label,
        k.trials,
        k.violations,
        seconds(k.takeover),
        seconds(k.interrupted),
        k.interrupted.size(),
        k.staleRefusals);
  }

  private static String seconds(List<Double> millis) {
    if (millis.isEmpty()) {
      return "-";
    }
    Percentiles p = new Percentiles(doubles(millis));
    return String.format("%.1f / %.1f / %.1f s", p.at(50) / 1e3, p.at(99) / 1e3, p.at(100) / 1e3);
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
