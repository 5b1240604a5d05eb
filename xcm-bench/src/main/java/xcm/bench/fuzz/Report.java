package xcm.bench.fuzz;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a fuzzing run found: per category the inputs sent and how they ended, the failures with
 * examples, the checks that the cluster stayed as it was.
 *
 * <p>Thread-safe: the fuzzer's threads count into it at once.
 */
final class Report {
  final Map<String, Counts> categories = new TreeMap<>();
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  /** Category → what the first refused input of it was told (Jolokia's doors only). */
  final Map<String, String> examples = new java.util.concurrent.ConcurrentSkipListMap<>();

  final AtomicInteger stateChecks = new AtomicInteger();
  final AtomicLong stateFailures = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  volatile long seconds;
  volatile String state = "";

  /** One category's inputs: sent, and ended by {@link Verdict.Kind}. */
  static final class Counts {
    private long sent;
    private final Map<Verdict.Kind, Long> ended = new EnumMap<>(Verdict.Kind.class);

    synchronized void sent() {
      sent++;
    }

    synchronized void ended(Verdict.Kind kind) {
      ended.merge(kind, 1L, Long::sum);
    }

    synchronized long sentCount() {
      return sent;
    }

    synchronized long count(Verdict.Kind kind) {
      return ended.getOrDefault(kind, 0L);
    }
  }

  synchronized Counts category(String name) {
    return categories.computeIfAbsent(name, k -> new Counts());
  }

  /** Inputs that failed, and changes found in the cluster. */
  long failed() {
    long failed;
    synchronized (this) {
      failed = categories.values().stream().mapToLong(c -> c.count(Verdict.Kind.FAILED)).sum();
    }
    return failed + stateFailures.get();
  }

  /** Prints, per category, what its first refused input was told, on one line each. */
  void printExamples(PrintStream out) {
    out.printf("%nwhat a client is told, the first refusal of each category:%n");
    examples.forEach((category, reason) -> out.printf("%-26s %s%n", category, reason));
  }

  void print(PrintStream out, int goal) {
    out.printf(
        "%-26s %7s %13s %15s %12s %9s%n",
        "category", "sent", "refused 4xx", "alert refused", "waiting 202", "failures");
    long[] total = new long[5];
    synchronized (this) {
      for (Map.Entry<String, Counts> c : categories.entrySet()) {
        long[] v = {
          c.getValue().sentCount(),
          c.getValue().count(Verdict.Kind.REFUSED),
          c.getValue().count(Verdict.Kind.ALERTS_REFUSED),
          c.getValue().count(Verdict.Kind.WAITING),
          c.getValue().count(Verdict.Kind.FAILED)
        };
        out.printf("%-26s %7d %13d %15d %12d %9d%n", c.getKey(), v[0], v[1], v[2], v[3], v[4]);
        for (int i = 0; i < v.length; i++) {
          total[i] += v[i];
        }
      }
    }
    out.printf(
        "%-26s %7d %13d %15d %12d %9d%n",
        "total", total[0], total[1], total[2], total[3], total[4]);
    out.printf(
        "%nstate checks: %d (%s), changes found: %d%n",
        stateChecks.get(), state, stateFailures.get());
    out.printf("time: %d s, %.0f inputs/s%n", seconds, sent.get() / Math.max(1.0, seconds));
    synchronized (failures) {
      failures.stream().limit(20).forEach(f -> out.println("FAILURE " + f));
    }
    out.printf(
        "%ninputs %d, failures %d   goal: %,d inputs, 0 failures: %s%n",
        sent.get(), failed(), goal, sent.get() >= goal && failed() == 0 ? "met" : "MISSED");
  }
}
