package xcm.bench.attack;

import java.io.PrintStream;
import java.util.List;

/**
 * How {@code ./xcm bench attack} prints its attempts: each with main's result, now's, a verdict.
 */
final class AttackReport {
  private AttackReport() {}

  /** Prints every attempt and the count of those that failed; true when all held. */
  static boolean print(PrintStream out, List<Attempt> attempts) {
    int failed = 0;
    for (Attempt a : attempts) {
      out.printf("%-6s %s%n", a.finding(), a.what());
      out.printf("       main: %s%n", a.main());
      out.printf("       now:  %s%n", a.now());
      out.printf("       %s%n%n", a.held() ? "held" : "FAILED");
      failed += a.held() ? 0 : 1;
    }
    out.printf(
        "attempts %d, held %d, failed %d   goal: every attempt held: %s%n",
        attempts.size(), attempts.size() - failed, failed, failed == 0 ? "met" : "MISSED");
    return failed == 0;
  }
}
