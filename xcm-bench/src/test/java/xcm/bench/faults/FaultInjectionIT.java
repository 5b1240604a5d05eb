package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A short run of the fault-injection bench as part of every build: agents and the coordinator
 * killed in the middle of real operations must never lose or duplicate a domain. {@code ./xcm bench
 * faults} runs the 1,000 trials the figure comes from.
 */
class FaultInjectionIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void killingAgentsAndTheCoordinatorMidOperationNeverLosesOrDuplicatesADomain() throws Exception {
    long seed = System.nanoTime();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FaultHarness.Result result =
        new FaultHarness(ROOT, seed, new PrintStream(log, true, StandardCharsets.UTF_8)).run(12);

    String report = "seed " + seed + "\n" + log.toString(StandardCharsets.UTF_8);
    assertThat(result.violations()).as(report).isEmpty();
    assertThat(result.faults()).isEqualTo(12);
    // Three rounds over the four processes: the coordinator died three times, each agent three.
    assertThat(result.faultKinds().get("killed coordinator")).as(report).isEqualTo(3);
    assertThat(
            result.faultKinds().getOrDefault("killed agent", 0)
                + result.faultKinds().getOrDefault("cut agent off", 0))
        .isEqualTo(9);
    // Faults that hit no running operation would test no recovery.
    assertThat(result.duringOperations()).as(report).isPositive();
  }
}
