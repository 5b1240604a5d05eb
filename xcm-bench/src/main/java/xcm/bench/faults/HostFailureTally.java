package xcm.bench.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import xcm.bench.Percentiles;

/**
 * What the host-failure trials measured, per kind of failure: trials, violations, the time from the
 * fault to every VM running again, and how many samples the run sampler took per trial.
 *
 * <p>Not thread-safe: the trial loop adds, then prints.
 */
public final class HostFailureTally {
  /** The goal of issue 15. */
  static final int GOAL_TRIALS = 300;

  private static final class Kind {
    int trials;
    int violations;
    final List<Double> recovery = new ArrayList<>();
    final List<Double> afterConfirm = new ArrayList<>();
    final List<Integer> rounds = new ArrayList<>();
    final Map<String, Integer> notes = new TreeMap<>();
  }

  private final Map<HostFaults.Kind, Kind> kinds = new EnumMap<>(HostFaults.Kind.class);
  private final List<String> violations = new ArrayList<>();
  private final List<String> alsoFenced = new ArrayList<>();
  private int trials;

  /** Counts one trial; {@code problem} is null when nothing was wrong. */
  void add(HostFaults.Outcome outcome, RunSampler.Samples samples, String problem, int trial) {
    trials++;
    Kind k = kinds.computeIfAbsent(outcome.kind(), x -> new Kind());
    k.trials++;
    if (problem != null) {
      k.violations++;
      violations.add(
          "trial " + trial + " (" + label(outcome.kind()) + " " + outcome.host() + "): " + problem);
    }
    if (outcome.recoveryMillis() >= 0) {
      k.recovery.add((double) outcome.recoveryMillis());
    }
    if (outcome.afterConfirmMillis() >= 0) {
      k.afterConfirm.add((double) outcome.afterConfirmMillis());
    }
    k.rounds.add(samples.rounds());
    // The note's gist, without the trial's own numbers in parentheses.
    String note = outcome.note().replaceAll("\\s*\\(.*\\)$", "");
    if (!note.isEmpty()) {
      k.notes.merge(note, 1, Integer::sum);
    }
  }

  /**
   * Counts hosts the coordinator fenced though the trial failed none of them: no VM ran twice, so
   * no violation, but a healthy host powered off.
   */
  void alsoFenced(int trial, long seed, HostFaults.Outcome outcome, List<String> hosts) {
    alsoFenced.add(
        "trial "
            + trial
            + " (seed "
            + seed
            + ", "
            + label(outcome.kind())
            + " "
            + outcome.host()
            + "): also fenced "
            + String.join(", ", hosts));
  }

  public List<String> alsoFenced() {
    return List.copyOf(alsoFenced);
  }

  public int trials() {
    return trials;
  }

  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** The short name of a kind, as the table prints it: {@code power-off}. */
  static String label(HostFaults.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The table per kind, every violation, and the goal line. */
  public void print(PrintStream out) {
    out.printf(
        "%-20s %6s %10s %21s %22s%n",
        "kind", "trials", "violations", "VMs again p50 / p99", "samples/trial avg min");
    for (Map.Entry<HostFaults.Kind, Kind> e : kinds.entrySet()) {
      Kind k = e.getValue();
      out.printf(
          "%-20s %6d %10d %21s %16.0f %5d%n",
          label(e.getKey()),
          k.trials,
          k.violations,
          seconds(k.recovery),
          k.rounds.stream().mapToInt(Integer::intValue).average().orElse(0),
          k.rounds.stream().mapToInt(Integer::intValue).min().orElse(0));
      if (!k.afterConfirm.isEmpty()) {
        out.printf("%-20s %39s from the confirm-down%n", "", seconds(k.afterConfirm));
      }
      k.notes.forEach((note, n) -> out.printf("%-20s   %d x %s%n", "", n, note));
    }
    for (String v : violations) {
      out.println("  violation: " + v);
    }
    out.printf("healthy hosts fenced: %d%n", alsoFenced.size());
    for (String f : alsoFenced) {
      out.println("  " + f);
    }
    out.printf(
        "violations %d in %d trials (goal 0 in %d): %s%n",
        violations.size(),
        trials,
        GOAL_TRIALS,
        violations.isEmpty() && trials >= GOAL_TRIALS
            ? "met"
            : violations.isEmpty() ? "none, but fewer than " + GOAL_TRIALS + " trials" : "MISSED");
  }

  private static String seconds(List<Double> millis) {
    if (millis.isEmpty()) {
      return "-";
    }
    Percentiles p = new Percentiles(millis.stream().mapToDouble(Double::doubleValue).toArray());
    return String.format("%.1f s / %.1f s", p.at(50) / 1e3, p.at(99) / 1e3);
  }
}
