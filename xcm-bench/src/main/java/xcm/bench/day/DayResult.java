package xcm.bench.day;

import java.util.Locale;

/** One policy's day. */
record DayResult(DayPolicy policy, DayMetrics metrics) {
  String line() {
    String rounds = policy instanceof XcmPolicy xcm ? "; rounds: " + xcm.rounds() : "";
    return String.format(
            Locale.ROOT,
            "  %-52s done: %d migrations, %d dropped, standby/woken/abandoned %s%s",
            policy.name(),
            metrics.migrations(),
            metrics.dropped(),
            metrics.power(),
            rounds)
        + (metrics.power().equals("0/0/0")
            ? ""
            : "\n      hosts powered / CPUs busy by hour: " + metrics.hours());
  }
}
