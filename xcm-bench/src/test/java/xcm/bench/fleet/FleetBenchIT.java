package xcm.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.bench.BenchProcesses;

/**
 * {@code ./xcm bench collect --hosts 50} in small: a coordinator as users start it collects a
 * simulated fleet of 50 hosts in a process of its own; every host becomes ACTIVE, every definition
 * is kept, measured rounds complete, and the figures are printed without a verdict on goals set for
 * 10,000 hosts.
 */
class FleetBenchIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void coordinatorCollectsASimulatedFleetRoundAfterRound() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(ROOT, "fleet-it")) {
      FleetFigures figures =
          FleetBench.run(
              processes,
              new FleetBench.Settings(
                  50,
                  20,
                  3,
                  1,
                  Duration.ofSeconds(2),
                  freePort(),
                  1,
                  Duration.ofSeconds(30),
                  0,
                  "512m",
                  null,
                  List.of(),
                  false),
              System.out);

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      figures.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
      String text = printed.toString(StandardCharsets.UTF_8);
      System.out.println(text);
      assertThat(figures.rounds()).isGreaterThanOrEqualTo(3);
      assertThat(figures.minActive()).isEqualTo(50);
      assertThat(figures.roundTimes().count()).isEqualTo(3);
      assertThat(figures.cpuSeconds()).isPositive();
      assertThat(figures.heap().usedBytes()).isPositive();
      assertThat(text)
          .contains("simulated fleet of 50 hosts x 20 domains")
          .contains("collection round wall time")
          .contains("not judged here")
          .doesNotContain(": met")
          .doesNotContain("MISSED");
    }
  }

  /** A port free on the fleet's first address; the others, unused, have it free too. */
  private static int freePort() throws IOException {
    try (ServerSocket socket =
        new ServerSocket(0, 1, InetAddress.getByName(FleetSeed.address(1, 0).getHostString()))) {
      return socket.getLocalPort();
    }
  }
}
