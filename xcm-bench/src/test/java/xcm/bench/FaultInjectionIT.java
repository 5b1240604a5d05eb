package xcm.bench;

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
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FaultHarness.Result result =
        new FaultHarness(
                ROOT, System.nanoTime(), new PrintStream(log, true, StandardCharsets.UTF_8))
            .run(12);

    assertThat(result.violations()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(result.faults()).isEqualTo(12);
  }
}
