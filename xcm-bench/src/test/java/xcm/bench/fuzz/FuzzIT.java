package xcm.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import xcm.bench.BenchProcesses;

/**
 * {@code ./xcm bench fuzz} in small: a few hundred hostile inputs against a coordinator and two
 * agents, each its own JVM, placement rules among them. Every input is refused with a reason;
 * nothing changes (no VM's rules either), nothing dies.
 */
class FuzzIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void hostileInputIsRefusedWithAReasonAndChangesNothing() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(ROOT, "fuzz-it")) {
      Fuzzer.Target target = FuzzBench.startCluster(processes, false);

      Report report = new Fuzzer(target).run(400, 20_260_101L, 4);

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      report.print(new PrintStream(printed, true, StandardCharsets.UTF_8), 400);
      String text = printed.toString(StandardCharsets.UTF_8);
      System.out.println(text);
      assertThat(report.failed()).as(text).isZero();
      assertThat(report.sent.get()).isEqualTo(400);
      assertThat(report.categories).hasSizeGreaterThan(20);
      assertThat(report.categories.keySet())
          .contains("rules/set-malformed", "rules/set-contradictory", "agent/setPlacement-names");
      assertThat(report.state).contains("with their placement rules (7 have some)");
      assertThat(report.stateChecks.get()).isGreaterThanOrEqualTo(2);
    }
  }
}
