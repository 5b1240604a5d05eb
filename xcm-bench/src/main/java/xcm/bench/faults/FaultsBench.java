package xcm.bench.faults;

import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xcm.bench.BenchMain;

/** {@code xcm bench faults [N]}: N fault-injection trials; prints trials, faults, violations. */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description =
        "Kills agents and the coordinator in the middle of migrations, drains and balances, and"
            + " checks after each that every domain runs on exactly one host.")
public final class FaultsBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Parameters(index = "0", arity = "0..1", description = "Trials (1000; with --ha 300)")
  Integer trials;

  @Option(
      names = "--ha",
      description =
          "Host failures instead: hosts powered off, agents stopped past the detection time, BMCs"
              + " that do not answer, the coordinator killed while it restarts VMs")
  boolean ha;

  @Option(
      names = "--minutes",
      defaultValue = "600",
      description = "With --ha: start no trial after this many minutes (${DEFAULT-VALUE})")
  long minutes;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (ha) {
      HostFailureTally tally =
          new HostFailureHarness(bench.root(), seed, System.out)
              .run(
                  trials != null ? trials : HostFailureTally.GOAL_TRIALS,
                  java.time.Duration.ofMinutes(minutes));
      System.out.printf(
          "%nXCM host-failure trials: %d trials, seed %d, %.0f s%n",
          tally.trials(), seed, (System.nanoTime() - started) / 1e9);
      tally.print(System.out);
      return tally.violations().isEmpty() ? 0 : 1;
    }
    FaultHarness.Result result =
        new FaultHarness(bench.root(), seed, System.out).run(trials != null ? trials : 1000);
    System.out.printf(
        "%nXCM fault injection: %d trials, %d faults injected (SIGKILL of an agent or the"
            + " coordinator, or an agent stopped for a while), %d of them while an operation ran,"
            + " %d requests refused, %.0f s%nfaults by kind: %s%n",
        result.trials(),
        result.faults(),
        result.duringOperations(),
        result.refused(),
        (System.nanoTime() - started) / 1e9,
        new TreeMap<>(result.faultKinds()));
    for (String violation : result.violations()) {
      System.out.println("  violation: " + violation);
    }
    System.out.printf(
        "violations                              %d   goal 0 in 1,000 trials: %s%n",
        result.violations().size(),
        result.violations().isEmpty() && result.trials() >= 1000
            ? "met"
            : result.violations().isEmpty() ? "none (fewer than 1,000 trials)" : "MISSED");
    return result.violations().isEmpty() ? 0 : 1;
  }
}
