package xcm.bench.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.HostState;

/**
 * Host-failure trials on a real cluster: a coordinator with fence devices and three agents on
 * libvirt's test driver, each its own process. Each trial starts from a healthy cluster, picks a
 * kind of failure ({@link HostFaults.Kind}) and a host that runs VMs at random (seeded), injects
 * it, waits until every VM runs again, brings the host back (powered on again, its VMs shut off as
 * after a power cut) and waits until the coordinator returned it and is quiet. Throughout, a {@link
 * RunSampler} reads every agent a few times a second for a VM running on two hosts; after, every VM
 * must run on exactly one host, none lost, no stale copy left.
 *
 * <pre>{@code
 * HostFailureTally tally =
 *     new HostFailureHarness(root, 42, System.out).run(300, Duration.ofHours(2));
 * }</pre>
 *
 * <p>Not thread-safe: one {@link #run} at a time.
 */
public final class HostFailureHarness {
  private static final Duration HEALTHY = Duration.ofSeconds(180);

  private final Path root;
  private final long seed;
  private final PrintStream out;

  public HostFailureHarness(Path root, long seed, PrintStream out) {
    this.root = root;
    this.seed = seed;
    this.out = out;
  }

  /**
   * Runs {@code trials} trials on one cluster, or fewer when {@code budget} ends first (the trial
   * running then is finished); stops every process it started.
   */
  public HostFailureTally run(int trials, Duration budget)
      throws IOException, JolokiaException, InterruptedException {
    long end = System.nanoTime() + budget.toNanos();
    Random seeds = new Random(seed);
    HostFailureTally tally = new HostFailureTally();
    try (BenchProcesses processes = new BenchProcesses(root, "faults-ha")) {
      FenceDevices fence = FenceDevices.write(processes.dir(), root, FaultAgents.HOSTS);
      FaultCluster cluster = new FaultCluster(root, processes, fence);
      cluster.start();
      Set<String> domains = new TreeSet<>(cluster.running().keySet());
      Await.until(
          "the coordinator keeps every VM's definition",
          HEALTHY,
          () -> cluster.coordinator().definitionsKept() >= domains.size());
      out.printf(
          "cluster up: %d domains on %s, fenced by %s%n",
          domains.size(), FaultAgents.HOSTS, fence.file());
      try (RunSampler sampler = new RunSampler(cluster.agents(Duration.ofSeconds(1)))) {
        sampler.start();
        for (int trial = 1; trial <= trials && System.nanoTime() < end; trial++) {
          long trialSeed = seeds.nextLong();
          if (!trial(cluster, fence, sampler, domains, trial, trialSeed, tally)) {
            // Every later trial would fail for what this one left, and say nothing new.
            out.printf("stopped after trial %d: the cluster did not come back whole%n", trial);
            break;
          }
        }
      }
      if (!tally.violations().isEmpty()) {
        Path logs = root.resolve(".xcm/bench-faults-ha-logs");
        processes.keepLogs(logs);
        out.printf("logs of every process kept in %s%n", logs);
      }
    }
    return tally;
  }

  /** Runs one trial; false when the cluster did not come back whole after it. */
  private boolean trial(
      FaultCluster cluster,
      FenceDevices fence,
      RunSampler sampler,
      Set<String> domains,
      int trial,
      long trialSeed,
      HostFailureTally tally)
      throws IOException, JolokiaException, InterruptedException {
    Random random = new Random(trialSeed);
    HostFaults faults = new HostFaults(cluster, fence, sampler, random, domains);
    HostFaults.Kind kind =
        HostFaults.Kind.values()[random.nextInt(HostFaults.Kind.values().length)];
    String host = victim(cluster, random);
    sampler.take();
    HostFaults.Outcome outcome = faults.inject(kind, host);
    List<String> alsoFenced = new ArrayList<>();
    for (String other : FaultAgents.HOSTS) {
      if (!other.equals(host) && !cluster.process(other).isAlive()) {
        alsoFenced.add(other);
      }
    }
    String back = bringBack(cluster, sampler, domains);
    RunSampler.Samples samples = sampler.take();
    List<String> problems = new ArrayList<>();
    if (outcome.problem() != null) {
      problems.add(outcome.problem());
    }
    if (back != null) {
      problems.add(back);
    }
    samples.violations().forEach(v -> problems.add("sampled: " + v));
    tally.add(outcome, samples, problems.isEmpty() ? null : String.join("; ", problems), trial);
    if (!alsoFenced.isEmpty()) {
      tally.alsoFenced(trial, trialSeed, outcome, alsoFenced);
    }
    out.printf(
        "trial %d (seed %d): %s %s%s: %s, %d samples -> %s%n",
        trial,
        trialSeed,
        HostFailureTally.label(kind),
        host,
        outcome.note().isEmpty() ? "" : " " + outcome.note(),
        outcome.recoveryMillis() < 0
            ? "VMs not running again"
            : String.format("VMs running again after %.1f s", outcome.recoveryMillis() / 1e3),
        samples.rounds(),
        (problems.isEmpty() ? "ok" : "VIOLATION " + String.join("; ", problems))
            + (alsoFenced.isEmpty() ? "" : "; healthy host(s) fenced too: " + alsoFenced));
    return back == null;
  }

  /** A host that runs VMs: failing an empty one tries nothing. */
  private static String victim(FaultCluster cluster, Random random)
      throws JolokiaException, InterruptedException {
    Set<String> hosts = new TreeSet<>();
    cluster.running().values().forEach(r -> hosts.add(r.host()));
    List<String> candidates = new ArrayList<>(hosts.isEmpty() ? FaultAgents.HOSTS : hosts);
    return candidates.get(random.nextInt(candidates.size()));
  }

  /**
   * Powers on again every host that is off (the one the trial failed, unless it was resumed and
   * never fenced, and any other the coordinator fenced), waits until the coordinator has every host
   * ACTIVE and is quiet, then checks every VM on the agents. Null when all is well, else what is
   * wrong.
   */
  private static String bringBack(FaultCluster cluster, RunSampler sampler, Set<String> domains)
      throws IOException, InterruptedException {
    sampler.unguard();
    for (String host : FaultAgents.HOSTS) {
      if (!cluster.process(host).isAlive()) {
        cluster.powerOn(host);
      }
    }
    CoordinatorJolokia coordinator = cluster.coordinator();
    try {
      Await.until(
          "every host ACTIVE again and the coordinator quiet", HEALTHY, () -> healthy(coordinator));
    } catch (IllegalStateException e) {
      String states;
      try {
        states = coordinator.hosts().toString();
      } catch (JolokiaException je) {
        states = "the coordinator does not answer";
      }
      return e.getMessage() + " (hosts " + states + ")";
    }
    try {
      String wrong = FaultHarness.violation(domains, cluster.copies());
      return wrong == null ? null : "after the trial: " + wrong;
    } catch (JolokiaException e) {
      return "cannot read the agents after the trial: " + e.getMessage();
    }
  }

  private static boolean healthy(CoordinatorJolokia coordinator)
      throws JolokiaException, InterruptedException {
    List<CoordinatorJolokia.Host> hosts = coordinator.hosts();
    return hosts.size() == FaultAgents.HOSTS.size()
        && hosts.stream().allMatch(h -> h.state() == HostState.ACTIVE)
        && !coordinator.operationRunning()
        && !coordinator.recovering();
  }
}
