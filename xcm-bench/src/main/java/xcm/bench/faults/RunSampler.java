package xcm.bench.faults;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import xcm.bench.AgentJolokia;
import xcm.mbeans.DomainState;

/**
 * Reads every agent's domains as libvirt has them, all agents at once, every {@value
 * #PERIOD_MILLIS} ms or as fast as they answer, and records every round in which one domain runs on
 * two hosts: the violation a host failure must never cause, which a check after the trial can no
 * longer see once the coordinator cleaned up. An agent that does not answer within a second (dead,
 * or stopped) is left out of that round; one the trial stopped on purpose is not asked at all, so
 * that requests do not queue on its one Jolokia thread for when it resumes.
 *
 * <p>A guard makes it stricter for the time a host may still run its VMs (a stopped agent, a host
 * whose fencing failed and that nobody confirmed down): any of the guarded domains running on
 * another host then is a violation too, even though the guarded host cannot be read.
 *
 * <p>Thread-safe: its own thread reads, the trial loop asks.
 */
final class RunSampler implements AutoCloseable {
  static final long PERIOD_MILLIS = 200;
  private static final long ROUND_TIMEOUT_MILLIS = 1000;

  /** What a trial's sampling found: rounds taken, reads answered, and every violation seen. */
  record Samples(int rounds, int reads, List<String> violations) {}

  /** Domains that must run nowhere else while {@code mayRun} holds for {@code host}. */
  record Guard(String host, Set<String> uuids, String why, BooleanSupplier mayRun) {}

  private final Map<String, AgentJolokia> agents;
  private final ExecutorService readers;
  private final Thread thread;
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private volatile Guard guard;
  private volatile boolean stopping;

  // Guarded by this.
  private int rounds;
  private int reads;
  private List<String> violations = new ArrayList<>();
  private Set<String> reported = new TreeSet<>();
  private long lastRoundStarted;
  private Map<String, Integer> lastRunning = Map.of();

  RunSampler(Map<String, AgentJolokia> agents) {
    this.agents = Map.copyOf(agents);
    this.readers =
        Executors.newFixedThreadPool(
            agents.size(),
            r -> {
              Thread t = new Thread(r, "xcm-bench-sampler-read");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::loop, "xcm-bench-sampler");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops asking {@code host} (stopped on purpose) or asks it again. */
  void skip(String host, boolean skip) {
    if (skip) {
      skipped.add(host);
    } else {
      skipped.remove(host);
    }
  }

  /** From now on, {@code uuids} run only on {@code host} while {@code mayRun} holds. */
  void guard(String host, Set<String> uuids, String why, BooleanSupplier mayRun) {
    guard = new Guard(host, Set.copyOf(uuids), why, mayRun);
  }

  void unguard() {
    guard = null;
  }

  /** What was sampled since the last call; starts counting anew. */
  synchronized Samples take() {
    Samples samples = new Samples(rounds, reads, violations);
    rounds = 0;
    reads = 0;
    violations = new ArrayList<>();
    reported = new TreeSet<>();
    return samples;
  }

  /**
   * Waits for a round that started after {@code sinceNanos} (a {@link System#nanoTime()}) in which
   * each of {@code domains} runs on exactly one host; returns when that round started, or -1 when
   * none did within {@code timeout}.
   */
  synchronized long awaitEachRunningOnce(Set<String> domains, long sinceNanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (lastRoundStarted > sinceNanos && eachOnce(domains, lastRunning)) {
        return lastRoundStarted;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private static boolean eachOnce(Set<String> domains, Map<String, Integer> running) {
    for (String uuid : domains) {
      if (running.getOrDefault(uuid, 0) != 1) {
        return false;
      }
    }
    return true;
  }

  private void loop() {
    while (!stopping) {
      long started = System.nanoTime();
      try {
        round(started);
        long rest = PERIOD_MILLIS - (System.nanoTime() - started) / 1_000_000;
        if (rest > 0) {
          Thread.sleep(rest);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void round(long started) throws InterruptedException {
    Map<String, Future<List<AgentJolokia.Domain>>> asked = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : agents.entrySet()) {
      if (!skipped.contains(agent.getKey())) {
        asked.put(agent.getKey(), readers.submit(() -> agent.getValue().freshDomains()));
      }
    }
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(ROUND_TIMEOUT_MILLIS);
    Map<String, List<AgentJolokia.Domain>> read = new TreeMap<>();
    for (Map.Entry<String, Future<List<AgentJolokia.Domain>>> f : asked.entrySet()) {
      try {
        read.put(
            f.getKey(),
            f.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException e) {
        // Dead, stopped or busy: it tells nothing in this round.
        f.getValue().cancel(true);
      }
    }
    // Read after the agents answered: a host whose process died meanwhile counts as running still.
    Guard g = guard;
    boolean guarded = g != null && g.mayRun().getAsBoolean();
    record(started, read, guarded ? g : null);
  }

  private synchronized void record(
      long started, Map<String, List<AgentJolokia.Domain>> read, Guard guard) {
    rounds++;
    reads += read.size();
    List<String> found = doubleRuns(read, guard);
    for (String v : found) {
      // One line per domain and hosts in a trial; every round it showed in counts in the rounds.
      String key = v.substring(0, v.indexOf(" @ "));
      if (reported.add(key)) {
        violations.add(v);
      }
    }
    Map<String, Integer> running = new TreeMap<>();
    read.values()
        .forEach(
            ds ->
                ds.stream()
                    .filter(d -> d.state() == DomainState.RUNNING)
                    .forEach(d -> running.merge(d.uuid(), 1, Integer::sum)));
    lastRunning = running;
    lastRoundStarted = started;
    notifyAll();
  }

  /**
   * Every domain running on more than one of the hosts read, and with a guard every guarded domain
   * running on another host than the guarded one; each as {@code "NAME on [H1, H2] @ TIME"}.
   */
  static List<String> doubleRuns(Map<String, List<AgentJolokia.Domain>> read, Guard guard) {
    Map<String, Set<String>> hosts = new TreeMap<>();
    Map<String, String> names = new TreeMap<>();
    read.forEach(
        (host, domains) -> {
          for (AgentJolokia.Domain d : domains) {
            if (d.state() == DomainState.RUNNING) {
              hosts.computeIfAbsent(d.uuid(), u -> new TreeSet<>()).add(host);
              names.put(d.uuid(), d.name());
            }
          }
        });
    List<String> found = new ArrayList<>();
    String at = " @ " + LocalTime.now();
    hosts.forEach(
        (uuid, on) -> {
          if (on.size() > 1) {
            found.add(names.get(uuid) + " runs on " + on + at);
          } else if (guard != null && guard.uuids().contains(uuid) && !on.contains(guard.host())) {
            found.add(
                names.get(uuid)
                    + " runs on "
                    + on
                    + " while "
                    + guard.host()
                    + " "
                    + guard.why()
                    + at);
          }
        });
    return found;
  }

  /** For tests: a guard as the trials set it. */
  static Guard guardOf(String host, Set<String> uuids, String why) {
    return new Guard(host, uuids, why, () -> true);
  }

  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.shutdownNow();
  }
}
