package xcm.bench.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.bench.BenchProcesses;

/**
 * {@code ./xcm bench attack} in small: the attack on main (issue 13) against a coordinator in
 * certificate mode and two enrolled agents, each its own JVM, with shorter waits and a smaller
 * flood. Every attempt holds.
 */
class AttackIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyAttemptOfTheAttackOnMainHolds() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(ROOT, "attack-it")) {
      AttackCluster cluster = AttackCluster.start(processes, false);

      List<Attempt> attempts =
          Attacks.run(cluster, new Settings(Duration.ofSeconds(3), Duration.ofSeconds(6), 300, 10));

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      boolean held =
          AttackReport.print(new PrintStream(printed, true, StandardCharsets.UTF_8), attempts);
      String text = printed.toString(StandardCharsets.UTF_8);
      System.out.println(text);
      assertThat(held).as(text).isTrue();
      assertThat(attempts)
          .extracting(Attempt::finding)
          .contains("1", "2", "3a", "3b", "3c", "door", "5", "6");
      assertThat(attempts).allSatisfy(a -> assertThat(a.held()).as(a.toString()).isTrue());
    }
  }
}
