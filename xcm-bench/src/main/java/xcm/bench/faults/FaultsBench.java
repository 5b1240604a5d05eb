package xcm.bench.faults;

import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import xcm.bench.BenchMain;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/** {@code xcm bench faults [N]}: N fault-injection trials; prints trials, faults, violations. */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description =
        "Kills agents and the coordinator in the middle of migrations, drains and balances, and"
            + " checks after each that every domain runs on exactly one host.",
    footer = {
      "",
      "--failover: two coordinators on one PostgreSQL journal (started on loopback, and stopped"
          + " at the end); each trial hits the active one in the middle of an operation with kill"
          + " -9, SIGSTOP for longer than the lease, or a cut from the database, and checks that"
          + " the standby took over and ended what ran, that the former active acted on nothing"
          + " and exited 3, and that no domain moved twice or runs on two hosts."
    })
public final class FaultsBench implements Callable<Integer> {
  @ParentCommand BenchMain bench;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      description = "Trials (1000; with --ha or --failover 300)")
  Integer trials;

  @Option(
      names = "--ha",
      description =
          "Host failures instead: hosts powered off, agents stopped past the detection time, BMCs"
              + " that do not answer, the coordinator killed while it restarts VMs")
  boolean ha;

  @Option(
      names = "--failover",
      description =
          "Failover trials instead: the active of two coordinators killed, stopped past its lease"
              + " or cut off from the database in the middle of an operation")
  boolean failover;

  @Option(
      names = "--lease",
      defaultValue = "8s",
      paramLabel = "DURATION",
      description =
          "With --failover: the coordinators' lease, xcm.coordinator.leader.lease"
              + " (${DEFAULT-VALUE}, the default); the takeover time follows it")
  String lease;

  @Option(
      names = "--minutes",
      defaultValue = "600",
      description =
          "With --ha or --failover: start no trial after this many minutes (${DEFAULT-VALUE})")
  long minutes;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (ha && failover) {
      throw new ParameterException(
          spec.commandLine(), "--ha and --failover are trials of their own: pick one");
    }
    if (failover) {
      Duration leaseTime;
      try {
        leaseTime = Settings.parseDuration("--lease", lease);
      } catch (ConfigException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      FailoverTally tally =
          new FailoverHarness(bench.root(), seed, leaseTime, System.out)
              .run(
                  trials != null ? trials : FailoverTally.GOAL_TRIALS, Duration.ofMinutes(minutes));
      System.out.printf(
          "%nXCM failover trials: %d trials, seed %d, %.0f s%n",
          tally.trials(), seed, (System.nanoTime() - started) / 1e9);
      tally.print(System.out);
      return tally.violations().isEmpty() ? 0 : 1;
    }
    if (ha) {
      HostFailureTally tally =
          new HostFailureHarness(bench.root(), seed, System.out)
              .run(
                  trials != null ? trials : HostFailureTally.GOAL_TRIALS,
                  Duration.ofMinutes(minutes));
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
