package xcm.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;

/**
 * The host failures of the trials, one at a time on a healthy cluster, each ending once every VM
 * runs again (or not in time, which is a violation): the fault itself and what the trial does in
 * the coordinator's place (resume a stopped agent, confirm a host down). Bringing the host back is
 * the harness's.
 *
 * <p>An agent-only death, the agent gone while its VMs run on, is no trial here: on libvirt's test
 * driver the VMs live in the agent's JVM, so an agent that dies is a host that lost power, as in
 * {@link Kind#POWER_OFF}. It means something only on real libvirtd (the QEMU lab).
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class HostFaults {
  static final Duration RECOVERY = Duration.ofSeconds(120);
  private static final Duration STATE = Duration.ofSeconds(60);
  private static final long DETECT_MILLIS = 3000;

  /** The kinds of host failure, each tried with the same chance. */
  enum Kind {
    POWER_OFF("host powered off (SIGKILL of its agent)"),
    AGENT_STOPPED("agent stopped (SIGSTOP) past the detection time, then resumed"),
    BMC_DOWN("host powered off with a BMC that does not answer, then confirmed down"),
    COORDINATOR_KILLED("host powered off, the coordinator killed while it restarts its VMs");

    final String what;

    Kind(String what) {
      this.what = what;
    }
  }

  /**
   * How one trial went.
   *
   * @param recoveryMillis from the fault to the first sample with every VM running once; -1 never
   * @param afterConfirmMillis for {@link Kind#BMC_DOWN}, the same from the confirm-down; else -1
   * @param note what happened, e.g. whether a stopped agent was fenced
   * @param problem null, or what went wrong on the coordinator's side
   */
  record Outcome(
      Kind kind,
      String host,
      long recoveryMillis,
      long afterConfirmMillis,
      String note,
      String problem) {}

  private final FaultCluster cluster;
  private final CoordinatorJolokia coordinator;
  private final FenceDevices fence;
  private final RunSampler sampler;
  private final Random random;
  private final Set<String> domains;

  HostFaults(
      FaultCluster cluster,
      FenceDevices fence,
      RunSampler sampler,
      Random random,
      Set<String> domains) {
    this.cluster = cluster;
    this.coordinator = cluster.coordinator();
    this.fence = fence;
    this.sampler = sampler;
    this.random = random;
    this.domains = Set.copyOf(domains);
  }

  /** Injects {@code kind} on {@code host}; returns once every VM runs again, or not in time. */
  Outcome inject(Kind kind, String host)
      throws IOException, JolokiaException, InterruptedException {
    Set<String> onHost = runningOn(host);
    return switch (kind) {
      case POWER_OFF -> powerOff(host);
      case AGENT_STOPPED -> agentStopped(host, onHost);
      case BMC_DOWN -> bmcDown(host, onHost);
      case COORDINATOR_KILLED -> coordinatorKilled(host);
    };
  }

  private Outcome powerOff(String host) throws InterruptedException {
    long fault = System.nanoTime();
    cluster.kill(host);
    return recovered(Kind.POWER_OFF, host, fault, "", null);
  }

  /**
   * Stopped for 3 to 15 s: past the detection time, so sometimes resumed while only SUSPECT (it is
   * simply back), sometimes fenced while stopped (detection, the agents asked and the fence take
   * some 6 s), now and then fenced just as it resumes. Its VMs may run nowhere else while its
   * process lives, stopped or resumed.
   */
  private Outcome agentStopped(String host, Set<String> onHost)
      throws IOException, JolokiaException, InterruptedException {
    Process process = cluster.process(host);
    long stopMillis = DETECT_MILLIS + random.nextInt(12000);
    sampler.skip(host, true);
    sampler.guard(host, onHost, "is stopped or resumed, not fenced", process::isAlive);
    long fault = System.nanoTime();
    signal(process.pid(), "STOP");
    Thread.sleep(stopMillis);
    boolean resumed = process.isAlive();
    if (resumed) {
      signal(process.pid(), "CONT");
    }
    sampler.skip(host, false);
    long settleBy = System.nanoTime() + STATE.toNanos();
    while (process.isAlive() && stateNow(host) != HostState.ACTIVE) {
      if (System.nanoTime() > settleBy) {
        return new Outcome(
            Kind.AGENT_STOPPED,
            host,
            -1,
            -1,
            "",
            "resumed after " + stopMillis + " ms, neither fenced nor back within " + STATE);
      }
      Thread.sleep(50);
    }
    String note =
        !resumed
            ? "fenced while stopped"
            : process.isAlive() ? "resumed, not fenced" : "fenced after it resumed";
    return recovered(Kind.AGENT_STOPPED, host, fault, note + " (" + stopMillis + " ms)", null);
  }

  /**
   * Powered off while its BMC does not answer: the coordinator must restart nothing of it (FENCE_
   * FAILED, retried) until the trial, as an operator, confirms it down.
   */
  private Outcome bmcDown(String host, Set<String> onHost)
      throws IOException, JolokiaException, InterruptedException {
    AtomicBoolean confirmed = new AtomicBoolean();
    fence.bmcDown(host, true);
    try {
      sampler.guard(host, onHost, "is neither fenced nor confirmed down", () -> !confirmed.get());
      long fault = System.nanoTime();
      cluster.kill(host);
      String problem = awaitState(host, HostState.FENCE_FAILED);
      if (problem != null) {
        return new Outcome(Kind.BMC_DOWN, host, -1, -1, "", problem);
      }
      // Long enough for a fencing retry (every 2 s here) to fail again.
      Thread.sleep(2500);
      HostState still = state(host);
      if (still != HostState.FENCE_FAILED && still != HostState.FENCING) {
        return new Outcome(
            Kind.BMC_DOWN, host, -1, -1, "", "went " + still + " though its BMC does not answer");
      }
      confirmed.set(true);
      long confirm = System.nanoTime();
      confirmDown(host);
      long all = sampler.awaitEachRunningOnce(domains, confirm, RECOVERY);
      return new Outcome(
          Kind.BMC_DOWN,
          host,
          all < 0 ? -1 : (all - fault) / 1_000_000,
          all < 0 ? -1 : (all - confirm) / 1_000_000,
          "",
          all < 0 ? "not every VM ran again within " + RECOVERY + " of the confirm-down" : null);
    } finally {
      fence.bmcDown(host, false);
    }
  }

  /** Confirms a host down as an operator does, again while a fencing attempt still runs. */
  private void confirmDown(String host) throws JolokiaException, InterruptedException {
    long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        coordinator.confirmDown(host);
        return;
      } catch (JolokiaException e) {
        if (e.outcome() != JolokiaException.Outcome.REFUSED || System.nanoTime() > giveUp) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Powered off, and the coordinator SIGKILLed then started again on the same state directory and
   * journal: half the time 0 to 150 ms after the host is FAILED, half the time 0 to 20 ms after it
   * logged the start of the RESTART (a restart of a few test-driver VMs takes little longer).
   * Whether the kill cut the restart off is read from the killed coordinator's log afterwards:
   * asking it first would take as long as the restart.
   */
  private Outcome coordinatorKilled(String host) throws IOException, InterruptedException {
    String begun = "restart the domains of " + host + ": ";
    int before = count(Files.readString(cluster.coordinatorLog()), begun);
    long fault = System.nanoTime();
    cluster.kill(host);
    String problem = awaitState(host, HostState.FAILED);
    if (problem != null) {
      return new Outcome(Kind.COORDINATOR_KILLED, host, -1, -1, "", problem);
    }
    boolean onRestart = random.nextBoolean();
    if (onRestart) {
      long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (count(Files.readString(cluster.coordinatorLog()), begun) == before
          && System.nanoTime() < giveUp) {
        Thread.sleep(2);
      }
    }
    int delay = onRestart ? random.nextInt(20) : random.nextInt(150);
    Thread.sleep(delay);
    cluster.kill(FaultCluster.COORDINATOR);
    String note = restartWhenKilled(Files.readString(cluster.coordinatorLog()), host);
    cluster.startCoordinator();
    String after =
        onRestart
            ? " (+" + delay + " ms after the restart began)"
            : " (+" + delay + " ms after FAILED)";
    return recovered(Kind.COORDINATOR_KILLED, host, fault, note + after, null);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Where the last restart of {@code host} was when the coordinator that wrote {@code log} died:
   * not begun, cut off, or ended.
   */
  static String restartWhenKilled(String log, String host) {
    String begun = "restart the domains of " + host + ": ";
    int at = log.lastIndexOf(begun);
    if (at < 0) {
      return "killed before the restart began";
    }
    int end = log.indexOf('\n', at);
    String id = log.substring(at + begun.length(), end < 0 ? log.length() : end).strip();
    return log.indexOf("operation " + id + " (", at) < 0
        ? "killed during the restart"
        : "killed after the restart ended";
  }

  private Outcome recovered(Kind kind, String host, long fault, String note, String problem)
      throws InterruptedException {
    long all = sampler.awaitEachRunningOnce(domains, fault, RECOVERY);
    if (all < 0) {
      return new Outcome(
          kind, host, -1, -1, note, "not every VM ran again within " + RECOVERY + " of the fault");
    }
    return new Outcome(kind, host, (all - fault) / 1_000_000, -1, note, problem);
  }

  /** Null once {@code host} is in {@code wanted}, else what it was when the wait gave up. */
  private String awaitState(String host, HostState wanted) throws InterruptedException {
    long giveUp = System.nanoTime() + STATE.toNanos();
    HostState last = null;
    while (System.nanoTime() < giveUp) {
      try {
        last = state(host);
        if (last == wanted) {
          return null;
        }
      } catch (JolokiaException e) {
        // Not answering for a moment (busy): ask again.
      }
      Thread.sleep(25);
    }
    return "not " + wanted + " within " + STATE + " (last " + last + ")";
  }

  /** As {@link #state}, null while the coordinator does not answer. */
  private HostState stateNow(String host) throws InterruptedException {
    try {
      return state(host);
    } catch (JolokiaException e) {
      return null;
    }
  }

  HostState state(String host) throws JolokiaException, InterruptedException {
    for (CoordinatorJolokia.Host h : coordinator.hosts()) {
      if (h.name().equals(host)) {
        return h.state();
      }
    }
    return HostState.REMOVED;
  }

  /** The UUIDs of the domains running on {@code host} now. */
  private Set<String> runningOn(String host) throws JolokiaException, InterruptedException {
    Set<String> running = new TreeSet<>();
    for (Map.Entry<String, List<Copy>> copies : cluster.copies().entrySet()) {
      for (Copy c : copies.getValue()) {
        if (c.host().equals(host) && c.state() == DomainState.RUNNING) {
          running.add(copies.getKey());
        }
      }
    }
    return running;
  }

  static void signal(long pid, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }
}
