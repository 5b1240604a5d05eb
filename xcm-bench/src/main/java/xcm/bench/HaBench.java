package xcm.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.mbeans.HostState;
import xcm.testkit.launch.XcmCommands;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench ha}: hosts of the QEMU lab with simulated BMCs ({@code xcm-lab up --bmc}), a
 * coordinator fencing through {@code fence_ipmilan}, an agent run as part of each host. Again and
 * again the host running the most guests is powered off through its BMC; the bench times how long
 * the coordinator takes to notice, to fence and to restart its guests elsewhere (as virsh sees
 * them), then powers it on and waits until it is back, its stale copies removed.
 */
@Command(
    name = "ha",
    mixinStandardHelpOptions = true,
    description =
        "Host failures in the QEMU lab with BMCs: power-off to SUSPECT (detection), to FAILED"
            + " (fenced), to the last guest running elsewhere (restart); p50 and p99 of each"
            + " against the goal total p99 <= 30 s.")
final class HaBench implements Callable<Integer> {
  private static final double GOAL_TOTAL_P99_SECONDS = 30;
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(180);

  @ParentCommand BenchMain bench;

  @Option(
      names = "--failures",
      defaultValue = "20",
      description = "Host failures, one after the other (${DEFAULT-VALUE})")
  int failures;

  @Option(names = "--hosts", defaultValue = "3", description = "Lab hosts (${DEFAULT-VALUE})")
  int hosts;

  @Option(
      names = "--guests",
      defaultValue = "4",
      description = "Guests, spread over the hosts at the start (${DEFAULT-VALUE})")
  int guests;

  @Option(
      names = "--detect-after",
      paramLabel = "DURATION",
      description = "xcm.coordinator.failure.detect-after (default: the coordinator's, 15s)")
  String detectAfter;

  @Option(
      names = "--collect-interval",
      defaultValue = "5s",
      description = "The coordinator's collect interval (${DEFAULT-VALUE}, its default)")
  String collectInterval;

  @Override
  public Integer call() throws Exception {
    if (hosts < 2) {
      System.err.println("xcm bench ha: --hosts must be at least 2");
      return 2;
    }
    Path labDir = Files.createTempDirectory("xcm-bench-ha");
    try (Lab lab = Lab.up(bench.root(), labDir, hosts, guests, true);
        BenchProcesses processes = new BenchProcesses(bench.root(), "ha")) {
      try {
        CoordinatorJolokia coordinator = start(lab, processes);
        List<HaFailure> measured = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
          HaFailure failure = fail(lab, coordinator, i + 1);
          measured.add(failure);
          System.out.println(failure.line());
        }
        HaFailure.report(measured, GOAL_TOTAL_P99_SECONDS, settings());
        return 0;
      } finally {
        Path logs = bench.root().resolve("xcm-bench/target/bench-ha-logs");
        processes.keepLogs(logs);
        System.out.println("logs of the coordinator and agents: " + logs);
      }
    } catch (Lab.UnavailableException e) {
      System.err.println("xcm bench ha: no QEMU lab on this machine: " + e.getMessage());
      return 1;
    } finally {
      try (Stream<Path> files = Files.walk(labDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private String settings() {
    return "failure.detect-after "
        + (detectAfter == null ? "15s (default)" : detectAfter)
        + ", collect-interval "
        + collectInterval
        + ", fence_ipmilan power_wait 0";
  }

  /** The coordinator with the lab's fence devices, and an agent per host run as part of it. */
  private CoordinatorJolokia start(Lab lab, BenchProcesses processes)
      throws IOException, InterruptedException {
    Path state = processes.dir().resolve("state");
    List<String> more =
        new ArrayList<>(
            List.of(
                "--fence-devices",
                lab.fenceDevices().toString(),
                "-D",
                "xcm.coordinator.nightly-balance.cron="));
    if (detectAfter != null) {
      more.addAll(List.of("-D", "xcm.coordinator.failure.detect-after=" + detectAfter));
    }
    Process process =
        processes.script(
            "coordinator",
            Program.COORDINATOR,
            processes.coordinatorOptions(0, collectInterval, state, more.toArray(String[]::new)));
    BenchProcesses.Joining joining = processes.joining("coordinator", process, state);
    XcmCommands commands = XcmCommands.at(bench.root());
    for (String host : lab.hosts()) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      // Its port, key and certificate stay the same through power cycles: the same command.
      List<String> options =
          processes.agentOptions(
              port, host, joining, "--name", host, "--libvirt-uri", lab.uri(host));
      lab.run(
          host, processes.dir().resolve(host + ".log"), commands.command(Program.AGENT, options));
    }
    CoordinatorJolokia coordinator = joining.operator();
    Await.until(
        "all agents ACTIVE",
        Duration.ofSeconds(120),
        () -> coordinator.activeHostCount() == lab.hosts().size());
    Await.until(
        "every guest's definition kept",
        Duration.ofSeconds(120),
        () -> coordinator.definitionsKept() == guests);
    return coordinator;
  }

  /** One host failure: power off, detection, fence, restarts; then power on and its return. */
  private HaFailure fail(Lab lab, CoordinatorJolokia coordinator, int n) throws Exception {
    String victim = busiest(lab);
    List<String> guestsThere = lab.running(victim);
    long off = System.nanoTime();
    lab.ipmi(victim, "chassis", "power", "off");
    long detected = -1;
    long fenced = -1;
    long restarted = -1;
    long deadline = off + PHASE_TIMEOUT.toNanos();
    while (restarted < 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "failure "
                + n
                + " ("
                + victim
                + "): not restarted within "
                + PHASE_TIMEOUT.toSeconds()
                + " s; coordinator says "
                + state(coordinator, victim)
                + ", guests run at "
                + where(lab));
      }
      long now = System.nanoTime();
      HostState state = state(coordinator, victim);
      if (detected < 0 && state != HostState.ACTIVE && state != HostState.UNREACHABLE) {
        detected = now;
      }
      if (fenced < 0 && state == HostState.FAILED) {
        fenced = now;
      }
      if (fenced >= 0 && runElsewhere(lab, guestsThere, victim)) {
        restarted = System.nanoTime();
      }
      Thread.sleep(100);
    }
    Map<String, List<String>> where = where(lab);
    for (String guest : guestsThere) {
      List<String> on = where.getOrDefault(guest, List.of());
      if (on.size() != 1) {
        throw new IllegalStateException(
            "failure " + n + ": " + guest + " runs on " + on + " after the restart");
      }
    }
    lab.ipmi(victim, "chassis", "power", "on");
    long on = System.nanoTime();
    Await.until(
        victim + " back ACTIVE, its stale copies removed",
        PHASE_TIMEOUT,
        () -> state(coordinator, victim) == HostState.ACTIVE && definedNothing(lab, victim));
    return new HaFailure(
        n,
        victim,
        guestsThere.size(),
        millis(off, detected),
        millis(off, fenced),
        millis(fenced, restarted),
        millis(off, restarted),
        millis(on, System.nanoTime()));
  }

  private static double millis(long from, long to) {
    return (to - from) / 1e6;
  }

  private static HostState state(CoordinatorJolokia coordinator, String host)
      throws InterruptedException {
    try {
      for (CoordinatorJolokia.Host h : coordinator.hosts()) {
        if (h.name().equals(host)) {
          return h.state();
        }
      }
      return HostState.REMOVED;
    } catch (xcm.client.JolokiaException e) {
      throw new IllegalStateException("the coordinator does not answer: " + e.getMessage(), e);
    }
  }

  /** The host running the most guests, the first such host in the lab's order. */
  private static String busiest(Lab lab) throws IOException, InterruptedException {
    String busiest = lab.hosts().get(0);
    int most = -1;
    for (String host : lab.hosts()) {
      int running = lab.running(host).size();
      if (running > most) {
        busiest = host;
        most = running;
      }
    }
    return busiest;
  }

  private static boolean runElsewhere(Lab lab, List<String> guests, String victim)
      throws IOException, InterruptedException {
    Map<String, List<String>> where = where(lab);
    for (String guest : guests) {
      List<String> on = where.getOrDefault(guest, List.of());
      if (on.isEmpty() || on.contains(victim)) {
        return false;
      }
    }
    return true;
  }

  /** Guest → the hosts whose libvirtd runs it; a host without power runs nothing. */
  private static Map<String, List<String>> where(Lab lab) throws IOException, InterruptedException {
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (String host : lab.hosts()) {
      List<String> running = lab.powered(host) ? lab.running(host) : lab.qemuGuests(host);
      for (String guest : running) {
        where.computeIfAbsent(guest, g -> new ArrayList<>()).add(host);
      }
    }
    return where;
  }

  private static boolean definedNothing(Lab lab, String host) {
    try {
      return lab.defined(host).isEmpty();
    } catch (IOException e) {
      // Its libvirtd is still starting.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
