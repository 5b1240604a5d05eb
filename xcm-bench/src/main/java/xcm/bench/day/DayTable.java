package xcm.bench.day;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The day bench's table, and its goals judged on it. */
final class DayTable {
  static final String GOAL_ROW = "XCM full, threshold 3";

  private DayTable() {}

  static void print(List<DayResult> results, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-58s %9s %8s %10s %11s %10s %10s %12s%n",
        "policy",
        "imbalance",
        ">90% min",
        "migrations",
        "/h (max)",
        "ping-pongs",
        "host-hours",
        "planning ms");
    for (DayResult r : results) {
      DayMetrics m = r.metrics();
      out.printf(
          Locale.ROOT,
          "%-58s %8.2fpp %8d %10d %5.1f (%3d) %10d %10.1f %12.0f%n",
          r.policy().name(),
          m.imbalance(),
          m.hotMinutes(),
          m.migrations(),
          m.migrationsPerHour(),
          m.busiestHour(),
          m.pingPongs(),
          m.hostHours(),
          m.planningMillis());
    }
  }

  /** Prints each goal as met or missed; true if all are met. */
  static boolean judge(List<DayResult> results, PrintStream out) {
    Optional<DayResult> xcm = named(results, GOAL_ROW);
    Optional<DayResult> power =
        results.stream().filter(r -> r.policy().name().contains("power")).findFirst();
    Optional<DayResult> none =
        results.stream().filter(r -> r.policy() instanceof NoBalancing).findFirst();
    Optional<DayResult> best =
        results.stream()
            .filter(
                r ->
                    r.policy() instanceof ProxLbPolicy
                        || r.policy() instanceof OvirtPolicy
                        || r.policy() instanceof HbalPolicy)
            .min(
                Comparator.comparingInt((DayResult r) -> r.metrics().hotMinutes())
                    .thenComparingDouble(r -> r.metrics().imbalance()));
    boolean all = true;
    if (xcm.isPresent() && best.isPresent()) {
      DayMetrics x = xcm.get().metrics();
      DayMetrics b = best.get().metrics();
      out.println("best baseline (fewest >90% minutes): " + best.get().policy().name());
      all &= goal(out, "threshold 3: 0 ping-pongs", x.pingPongs() + "", x.pingPongs() == 0);
      all &=
          goal(
              out,
              "threshold 3: at most a third of the best baseline's migrations",
              x.migrations() + " vs " + b.migrations() + " / 3",
              3L * x.migrations() <= b.migrations());
      all &=
          goal(
              out,
              "threshold 3: no more >90% minutes than the best baseline",
              x.hotMinutes() + " vs " + b.hotMinutes(),
              x.hotMinutes() <= b.hotMinutes());
      all &=
          goal(
              out,
              "threshold 3: no more imbalance than the best baseline",
              fmt(x.imbalance()) + " vs " + fmt(b.imbalance()),
              x.imbalance() <= b.imbalance());
    }
    if (power.isPresent() && none.isPresent()) {
      DayMetrics p = power.get().metrics();
      DayMetrics n = none.get().metrics();
      all &=
          goal(
              out,
              "power saving: at least 30% fewer host-hours than no balancing",
              fmt(p.hostHours())
                  + " vs "
                  + fmt(n.hostHours())
                  + " ("
                  + fmt(100 * (1 - p.hostHours() / n.hostHours()))
                  + "% fewer)",
              p.hostHours() <= 0.7 * n.hostHours());
      all &=
          goal(
              out,
              "power saving: at most 1% more >90% minutes than no balancing",
              p.hotMinutes() + " vs " + n.hotMinutes(),
              p.hotMinutes() <= n.hotMinutes() * 1.01);
    }
    return all;
  }

  private static Optional<DayResult> named(List<DayResult> results, String name) {
    return results.stream().filter(r -> r.policy().name().equals(name)).findFirst();
  }

  private static boolean goal(PrintStream out, String what, String measured, boolean met) {
    out.printf(Locale.ROOT, "  %-6s %s: %s%n", met ? "met" : "MISSED", what, measured);
    return met;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
