package xcm.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One host failure of {@code xcm bench ha}, in milliseconds: from power-off to the coordinator
 * showing the host SUSPECT (or further), to FAILED (fenced), from FAILED to the last of its guests
 * running elsewhere, power-off to that, and power-on to the host back ACTIVE without stale copies.
 */
record HaFailure(
    int n,
    String host,
    int guests,
    double detectMillis,
    double fenceMillis,
    double restartMillis,
    double totalMillis,
    double returnMillis) {

  String line() {
    return String.format(
        "failure %2d  %-6s %d guests   detect %5.1f s   fence %5.1f s   restart %5.1f s   total"
            + " %5.1f s   back %5.1f s",
        n,
        host,
        guests,
        detectMillis / 1000,
        fenceMillis / 1000,
        restartMillis / 1000,
        totalMillis / 1000,
        returnMillis / 1000);
  }

  /** Prints p50, p99 and max of each phase, and whether total p99 meets the goal. */
  static void report(List<HaFailure> failures, double goalSeconds, String settings) {
    System.out.printf(
        "%nXCM ha bench: %d host failures in the QEMU lab (a host powered off through its"
            + " simulated IPMI BMC; fenced with fence_ipmilan; its guests restarted elsewhere, as"
            + " virsh lists them), %s%n",
        failures.size(), settings);
    System.out.printf(
        "detection  %s   (power-off to SUSPECT)%n", summary(failures, HaFailure::detectMillis));
    System.out.printf(
        "fence      %s   (power-off to FAILED)%n", summary(failures, HaFailure::fenceMillis));
    System.out.printf(
        "restart    %s   (FAILED to the last guest running elsewhere)%n",
        summary(failures, HaFailure::restartMillis));
    Percentiles total = percentiles(failures, HaFailure::totalMillis);
    System.out.printf("total      %s   (power-off to the last guest running)%n", summary(total));
    System.out.printf(
        "back       %s   (power-on to ACTIVE, stale copies removed)%n",
        summary(failures, HaFailure::returnMillis));
    double p99 = total.at(99) / 1000;
    System.out.printf(
        "%ntotal p99 %.1f s   goal <= %.0f s: %s%n",
        p99, goalSeconds, p99 <= goalSeconds ? "met" : "MISSED");
  }

  private static Percentiles percentiles(
      List<HaFailure> failures, ToDoubleFunction<HaFailure> phase) {
    return new Percentiles(failures.stream().mapToDouble(phase).toArray());
  }

  private static String summary(List<HaFailure> failures, ToDoubleFunction<HaFailure> phase) {
    return summary(percentiles(failures, phase));
  }

  private static String summary(Percentiles p) {
    return String.format(
        "p50 %5.1f s   p99 %5.1f s   max %5.1f s   (n=%d)",
        p.at(50) / 1000, p.at(99) / 1000, p.at(100) / 1000, p.count());
  }
}
