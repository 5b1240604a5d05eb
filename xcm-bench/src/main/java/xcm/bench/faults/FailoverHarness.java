package xcm.bench.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import xcm.bench.BenchProcesses;
import xcm.client.JolokiaException;

/**
 * Failover trials on a real cluster ({@link FailoverCluster}): two coordinators on one PostgreSQL
 * journal and three agents, each its own process. Each trial asks the active coordinator for a
 * migration, a drain or a balance and, at a random moment, hits it with a {@link FailoverFault}:
 * kill -9, SIGSTOP for longer than the lease, or cut off from the database; then checks that the
 * standby took over and finished what was running, that the former active acted on nothing once it
 * came back, and that every domain runs on exactly one host ({@link FailoverTrial}). Each round of
 * three trials tries each kind once, in random order, however few the trials.
 *
 * <pre>{@code
 * FailoverTally tally =
 *     new FailoverHarness(root, 7, Duration.ofSeconds(8), System.out).run(30, Duration.ofMinutes(25));
 * }</pre>
 *
 * <p>Not thread-safe: one {@link #run} at a time.
 */
public final class FailoverHarness {
  private final Path root;
  private final long seed;
  private final Duration lease;
  private final PrintStream out;

  /**
   * @param lease the coordinators' lease ({@code xcm.coordinator.leader.lease}); the takeover time
   *     follows it
   */
  public FailoverHarness(Path root, long seed, Duration lease, PrintStream out) {
    this.root = root;
    this.seed = seed;
    this.lease = lease;
    this.out = out;
  }

  /**
   * Runs {@code trials} trials on one cluster, or fewer when {@code budget} ends first (the trial
   * running then is finished); stops every process it started, and the database.
   */
  public FailoverTally run(int trials, Duration budget)
      throws IOException, JolokiaException, InterruptedException {
    long end = System.nanoTime() + budget.toNanos();
    Random random = new Random(seed);
    FailoverTally tally = new FailoverTally(lease);
    try (BenchProcesses processes = new BenchProcesses(root, "faults-failover")) {
      boolean keepLogs = false;
      boolean completed = false;
      try (FailoverCluster cluster = FailoverCluster.start(root, processes, lease)) {
        Set<String> domains = new TreeSet<>(cluster.agents().running().keySet());
        out.printf(
            "cluster up: coordinators %s on PostgreSQL (lease %d ms), %d domains on %s%n",
            FailoverCluster.COORDINATORS, lease.toMillis(), domains.size(), FaultAgents.HOSTS);
        try (RunSampler sampler = new RunSampler(cluster.agents().views(Duration.ofSeconds(1)))) {
          sampler.start();
          FailoverTrial trial =
              new FailoverTrial(
                  cluster,
                  sampler,
                  new Requests(cluster.either(), cluster.agents(), random),
                  domains,
                  random,
                  out);
          Deque<FailoverFault> round = new ArrayDeque<>();
          for (int n = 1; n <= trials && System.nanoTime() < end; n++) {
            if (round.isEmpty()) {
              List<FailoverFault> kinds = Arrays.asList(FailoverFault.values());
              Collections.shuffle(kinds, random);
              round.addAll(kinds);
            }
            FailoverTally.Trial result = trial.run(n, round.remove());
            tally.add(result);
            keepLogs |= !result.problems().isEmpty();
            if (!trial.whole()) {
              // Every later trial would fail for what this one left, and say nothing new.
              out.printf("stopped after trial %d: the cluster did not come back whole%n", n);
              keepLogs = true;
              break;
            }
          }
        }
        completed = true;
      } finally {
        if (keepLogs || !completed) {
          Path logs = root.resolve(".xcm/bench-faults-failover-logs");
          processes.keepLogs(logs);
          out.printf("logs of every process kept in %s%n", logs);
        }
      }
    }
    return tally;
  }
}
