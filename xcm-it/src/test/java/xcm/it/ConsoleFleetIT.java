package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xcm.bench.BenchProcesses;
import xcm.bench.fleet.ConsoleBench;

/**
 * The web console's summary view on a cluster of 1,000 hosts, in a real browser: what {@code ./xcm
 * bench console --hosts 1000} runs ({@link ConsoleBench}). A simulated fleet of 1,000 hosts (one
 * process, each host on its own loopback address) and a coordinator as users start it, collecting
 * them; Debian's Chromium through playwright-core (xcm-console/e2e/console-fleet.mjs) signed in as
 * the monitor, timing the first view, sorts, scrolling and poll updates. The script fails when the
 * view stalls (its limits say by how much); its figures are printed. The processes' logs are kept
 * in target/it-logs/console-fleet.
 */
class ConsoleFleetIT {
  private static final int HOSTS = 1000;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void theSummaryOfAThousandHostsSortsScrollsAndUpdatesWithoutStalls() throws Exception {
    // Fewer domains than the bench's 20: the view shows a count per host either way, and the
    // coordinator and the fleet, on the same cores as the browser, then have less to read.
    ConsoleBench.Settings settings = ConsoleBench.Settings.of(HOSTS).withDomains(4);
    assertThat(settings.chromium()).as("./xcm test installs chromium").exists();
    long started = System.nanoTime();
    ConsoleBench.Result result;
    try (BenchProcesses processes = new BenchProcesses(Jvm.ROOT, "console-fleet-it")) {
      try {
        result = ConsoleBench.run(processes, settings, System.out);
      } finally {
        processes.keepLogs(Jvm.LOGS.resolve("console-fleet"));
      }
    }
    System.out.printf(
        "ConsoleFleetIT: %,d hosts settled in %d s, the browser measured for %d s, %d s in all%n",
        HOSTS,
        result.settled().toSeconds(),
        result.measured().toSeconds(),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(result.figures()).as("the script printed its figures").isNotNull();
    assertThat(result.exitCode()).as("responsive: %s", result.figures()).isZero();
    assertThat(result.figures()).contains("\"hosts\":" + HOSTS);
  }
}
