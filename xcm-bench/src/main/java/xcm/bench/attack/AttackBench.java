package xcm.bench.attack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.bench.BenchMain;
import xcm.bench.BenchProcesses;

/**
 * {@code xcm bench attack}: a cluster in certificate mode (a coordinator without agent passwords,
 * two agents enrolled with tokens, each its own process) and what the attack on main did (issue
 * 13), tried again as an attacker would; prints per attempt what main did, what happened now,
 * measured, and whether it held. Exit status 1 when any attempt failed.
 */
@Command(
    name = "attack",
    mixinStandardHelpOptions = true,
    description =
        "Replays the attack on main (issue 13) against a cluster in certificate mode: each attempt"
            + " with what main did, what it does now, measured, and held or FAILED.")
public final class AttackBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Option(
      names = "--listen",
      defaultValue = "10",
      description = "Seconds a registered listener waits for requests (${DEFAULT-VALUE})")
  int listenSeconds;

  @Option(
      names = "--slow",
      defaultValue = "15",
      description = "Seconds slow connections are held on dmz01's Jolokia (${DEFAULT-VALUE})")
  int slowSeconds;

  @Option(
      names = "--flood",
      defaultValue = "1300",
      description = "Unauthenticated webhook requests (${DEFAULT-VALUE})")
  int flood;

  @Override
  public Integer call() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "attack")) {
      long start = System.nanoTime();
      AttackCluster cluster = AttackCluster.start(processes, true);
      System.out.printf(
          "%nXCM attack bench: the attack on main (issue 13) against a coordinator in certificate"
              + " mode (no agent password, enrolment door %s) and two agents enrolled with tokens,"
              + " dmz01 (8 domains) and dmz02, each its own process%n%n",
          cluster.enrolUrl);
      Settings settings =
          new Settings(
              Duration.ofSeconds(listenSeconds),
              Duration.ofSeconds(slowSeconds),
              flood,
              Settings.full().reads());
      List<Attempt> attempts = Attacks.run(cluster, settings);
      boolean held = AttackReport.print(System.out, attempts);
      System.out.printf("time: %.0f s%n", (System.nanoTime() - start) / 1e9);
      return held ? 0 : 1;
    }
  }
}
