package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short run of the failover trials as part of every build: two coordinators on one PostgreSQL
 * journal, the active one killed, stopped past its lease or cut off from the database in the middle
 * of an operation, once each. The standby must take over and end what ran, the former active must
 * act on nothing and exit, and no domain may move twice or run on two hosts. {@code ./xcm bench
 * faults --failover} runs the 300 trials the figures come from; here the lease is shorter (4 s), so
 * that the three trials take about a minute.
 */
class FailoverTrialsIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void aStandbyTakesOverFromAnActiveKilledStoppedOrCutOffWhichThenActsOnNothing() throws Exception {
    long seed = System.nanoTime();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    FailoverTally tally =
        new FailoverHarness(ROOT, seed, Duration.ofSeconds(4), out).run(3, Duration.ofMinutes(10));
    tally.print(out);

    String report = "seed " + seed + "\n" + log.toString(StandardCharsets.UTF_8);
    assertThat(tally.violations()).as(report).isEmpty();
    assertThat(tally.trialsByKind())
        .as(report)
        .isEqualTo(Map.of(FailoverFault.KILL, 1, FailoverFault.PAUSE, 1, FailoverFault.CUT_OFF, 1));
    assertThat(tally.takeovers()).as(report).isEqualTo(3);
  }
}
