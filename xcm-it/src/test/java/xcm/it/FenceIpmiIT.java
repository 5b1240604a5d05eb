package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xcm.coordinator.fence.FenceAction;
import xcm.coordinator.fence.FenceAgentRunner;
import xcm.coordinator.fence.FenceDevice;
import xcm.coordinator.fence.FenceDevices;
import xcm.coordinator.fence.FenceException;
import xcm.coordinator.fence.FenceRun;
import xcm.coordinator.fence.PowerState;

/**
 * Fencing through a real BMC protocol: {@code ipmi_sim} (OpenIPMI) simulates hostA's BMC on
 * 127.0.0.1, its chassis control powering a simulated host (a process group) off and on, and the
 * real {@code fence_ipmilan} (lanplus, cipher suite 3, the password in a 0600 file) drives it
 * through {@link FenceAgentRunner}. The lab's own {@code fence_xcm_demo} is held to the same
 * contract against a dummy process. Every process started here is stopped by PID at the end.
 */
class FenceIpmiIT {
  private static final String HOST = "hostA";
  private static final String PASSWORD = "Fx1bmcPassword";

  @TempDir static Path lab;

  private static Process ipmiSim;
  private static int port;
  private static Process demoHost;
  private static final List<FenceRun> runs = Collections.synchronizedList(new ArrayList<>());

  /** The fence agents held to one contract. */
  enum Agent {
    FENCE_IPMILAN,
    FENCE_XCM_DEMO
  }

  @BeforeAll
  static void startBmcAndHosts() throws Exception {
    require(Path.of("/usr/bin/ipmi_sim"), "openipmi");
    require(Path.of("/usr/bin/ipmitool"), "ipmitool");
    require(Path.of("/usr/sbin/fence_ipmilan"), "fence-agents");
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    for (String dir : List.of("bin", "bmc/state", "hosts", "demo")) {
      Files.createDirectories(lab.resolve(dir));
    }
    for (String script : List.of("fakehost.sh", "host-ctl.sh", "chassis-ctl.sh")) {
      write("bin/" + script, script);
      Files.setPosixFilePermissions(
          lab.resolve("bin/" + script), PosixFilePermissions.fromString("rwx------"));
    }
    write("bmc/lan.conf", "lan.conf");
    write("bmc/bmc.emu", "bmc.emu");
    secret("bmc.password", PASSWORD + "\n");
    secret("wrong.password", "not-" + PASSWORD + "\n");

    hostCtl("start");
    ipmiSim =
        new ProcessBuilder(
                "/usr/bin/ipmi_sim",
                "-n",
                "-c",
                lab.resolve("bmc/lan.conf").toString(),
                "-f",
                lab.resolve("bmc/bmc.emu").toString(),
                "-s",
                lab.resolve("bmc/state").toString())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(lab.resolve("bmc/ipmi_sim.log").toFile())
            .start();
    awaitBmc();

    demoHost =
        new ProcessBuilder("setsid", "sh", "-c", demoStart())
            .redirectErrorStream(true)
            .redirectOutput(lab.resolve("demo/first.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (demoPid().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (ipmiSim != null) {
      stop(ipmiSim.toHandle());
    }
    // The simulated host: its control script first, then anything left in its process group.
    Optional<Long> group = hostGroup();
    Tools.run(Duration.ofSeconds(15), lab.resolve("bin/host-ctl.sh").toString(), HOST, "stop");
    group.ifPresent(pgid -> liveGroup(pgid).forEach(FenceIpmiIT::kill));
    if (demoHost != null) {
      stop(demoHost.toHandle());
    }
    demoPid().ifPresent(FenceIpmiIT::kill);
    System.out.println("fence runs (action, exit code, duration):");
    synchronized (runs) {
      runs.forEach(
          run ->
              System.out.printf(
                  "  %-16s %-6s exit %d  %5d ms%n",
                  Path.of(run.program()).getFileName(),
                  run.action().word(),
                  run.exitCode(),
                  run.duration().toMillis()));
    }
  }

  @ParameterizedTest
  @EnumSource(Agent.class)
  void statusOffAndOnHoldTheFenceContract(Agent agent) throws Exception {
    FenceAgentRunner fencer = fencer(device(agent, "bmc.password"));
    Set<Long> before = processes(agent);
    assertThat(before).as("the host's processes before").isNotEmpty();

    assertThat(fencer.status(HOST)).isEqualTo(PowerState.ON);

    long start = System.nanoTime();
    fencer.off(HOST);
    System.out.printf(
        "%s off (off + status) took %d ms%n",
        agent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    for (long pid : before) {
      assertThat(runs(pid)).as("process %d of the host after off", pid).isFalse();
    }
    assertThat(processes(agent)).isEmpty();
    assertThat(fencer.status(HOST)).isEqualTo(PowerState.OFF);

    fencer.off(HOST);
    assertThat(fencer.status(HOST)).as("off when already off").isEqualTo(PowerState.OFF);

    fencer.on(HOST);
    assertThat(fencer.status(HOST)).isEqualTo(PowerState.ON);
    Set<Long> after = processes(agent);
    assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(before);
  }

  @Test
  void aWrongPasswordFailsQuicklyNamingTheHostAndWhatTheAgentSaid() throws Exception {
    FenceAgentRunner fencer = fencer(device(Agent.FENCE_IPMILAN, "wrong.password"));

    long start = System.nanoTime();
    assertThatThrownBy(() -> fencer.status(HOST))
        .isInstanceOfSatisfying(
            FenceException.class,
            e -> {
              assertThat(e.host()).isEqualTo(HOST);
              assertThat(e.action()).isEqualTo(FenceAction.STATUS);
              assertThat(e.reason()).startsWith("exit code 1");
              assertThat(e.agentOutput()).contains("Failed");
              assertThat(e.getMessage())
                  .startsWith("fence hostA: /usr/sbin/fence_ipmilan action=status failed: ")
                  .doesNotContain(PASSWORD);
              System.out.println("wrong password: " + e.getMessage());
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(processes(Agent.FENCE_IPMILAN)).as("the host still runs").isNotEmpty();
  }

  private static FenceAgentRunner fencer(FenceDevice device) {
    return FenceAgentRunner.builder(FenceDevices.of(List.of(device))).listener(runs::add).build();
  }

  private static FenceDevice device(Agent agent, String passwordFile) {
    switch (agent) {
      case FENCE_IPMILAN:
        return FenceDevice.builder(HOST, "fence_ipmilan")
            .option("ip", "127.0.0.1")
            .option("ipport", Integer.toString(port))
            .option("username", "admin")
            .optionFromFile("password", lab.resolve(passwordFile))
            .option("lanplus", "1")
            .option("cipher", "3")
            .timeout(Duration.ofSeconds(30))
            .build();
      default:
        return FenceDevice.builder(HOST, Jvm.ROOT.resolve("lab/fence_xcm_demo").toString())
            .option("pidfile", lab.resolve("demo/host.pid").toString())
            .option("start", demoStart())
            .timeout(Duration.ofSeconds(30))
            .build();
    }
  }

  /** The dummy demo host: one process that writes its pid file, as an agent JVM would. */
  private static String demoStart() {
    return "echo $$ > " + lab.resolve("demo/host.pid") + "; exec sleep 3600";
  }

  /** The host's processes that run (zombies do not). */
  private static Set<Long> processes(Agent agent) throws IOException {
    if (agent == Agent.FENCE_IPMILAN) {
      return hostGroup().map(FenceIpmiIT::liveGroup).orElse(Set.of());
    }
    return demoPid().filter(FenceIpmiIT::runs).map(Set::of).orElse(Set.of());
  }

  private static Optional<Long> hostGroup() throws IOException {
    return pidIn(lab.resolve("hosts/" + HOST + ".pid"));
  }

  private static Optional<Long> demoPid() throws IOException {
    return pidIn(lab.resolve("demo/host.pid"));
  }

  private static Optional<Long> pidIn(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file).strip();
    return text.matches("[0-9]+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
  }

  /** The processes of a process group that run, from /proc. */
  private static Set<Long> liveGroup(long pgid) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.map(ProcessHandle::pid)
          .filter(pid -> stat(pid).map(s -> s[4].equals(Long.toString(pgid))).orElse(false))
          .filter(FenceIpmiIT::runs)
          .collect(Collectors.toSet());
    }
  }

  /** Alive and not a zombie. */
  private static boolean runs(long pid) {
    return stat(pid).map(s -> !s[2].equals("Z") && !s[2].equals("X")).orElse(false);
  }

  /** /proc/PID/stat split into fields, the command name (field 2) as one field. */
  private static Optional<String[]> stat(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException gone) {
      return Optional.empty();
    }
    int close = text.lastIndexOf(')');
    String[] rest = text.substring(close + 2).split(" ");
    String[] fields = new String[rest.length + 2];
    fields[0] = text.substring(0, text.indexOf(' '));
    fields[1] = text.substring(text.indexOf('(') + 1, close);
    System.arraycopy(rest, 0, fields, 2, rest.length);
    return Optional.of(fields);
  }

  private static void awaitBmc() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Tools.Result last = null;
    while (System.nanoTime() < deadline) {
      if (!ipmiSim.isAlive()) {
        throw new IllegalStateException(
            "ipmi_sim exited at start:\n" + Files.readString(lab.resolve("bmc/ipmi_sim.log")));
      }
      last =
          Tools.run(
              Duration.ofSeconds(15),
              "/usr/bin/ipmitool",
              "-I",
              "lanplus",
              "-H",
              "127.0.0.1",
              "-p",
              Integer.toString(port),
              "-U",
              "admin",
              "-P",
              PASSWORD,
              "-C",
              "3",
              "-N",
              "1",
              "-R",
              "1",
              "chassis",
              "power",
              "status");
      if (last.exitCode() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the simulated BMC does not answer: " + last);
  }

  private static void hostCtl(String action) throws Exception {
    Tools.Result result =
        Tools.run(Duration.ofSeconds(15), lab.resolve("bin/host-ctl.sh").toString(), HOST, action);
    assertThat(result.exitCode()).as("host-ctl.sh %s: %s", action, result.output()).isZero();
  }

  private static void write(String target, String resource) throws IOException {
    String text;
    try (InputStream in = FenceIpmiIT.class.getResourceAsStream("ipmi-lab/" + resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(
        lab.resolve(target),
        text.replace("@LAB@", lab.toString())
            .replace("@PORT@", Integer.toString(port))
            .replace("@PASSWORD@", PASSWORD));
  }

  private static void secret(String name, String text) throws IOException {
    Path file = lab.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private static void require(Path binary, String debianPackage) {
    if (!Files.isExecutable(binary)) {
      throw new AssertionError(
          binary
              + " is not installed: ./xcm test installs it (apt-get install"
              + " --no-install-recommends "
              + debianPackage
              + ")");
    }
  }

  private static void stop(ProcessHandle process) throws Exception {
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      process.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  private static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }
}
