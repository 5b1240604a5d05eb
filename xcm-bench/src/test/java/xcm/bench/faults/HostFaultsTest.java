package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFaultsTest {
  @TempDir Path dir;

  private static final String LOG =
      "[xcm-ha] INFO xcm.audit - ha:coordinator fence dmz01: powered off; its domains restart"
          + " elsewhere\n"
          + "[xcm-ha] INFO xcm.audit - ha:coordinator restart the domains of dmz01: tph2hv-1\n";

  @Test
  void aCoordinatorKilledBeforeTheRestartWasLoggedKilledItBeforeItBegan() {
    assertThat(HostFaults.restartWhenKilled(LOG, "dmz02"))
        .isEqualTo("killed before the restart began");
  }

  @Test
  void aRestartLoggedWithoutItsEndWasCutOff() {
    assertThat(HostFaults.restartWhenKilled(LOG, "dmz01")).isEqualTo("killed during the restart");
  }

  @Test
  void aRestartThatEndedBeforeTheKillIsSaidSo() {
    String ended =
        LOG
            + "[xcm-migration] INFO xcm.audit - ha:coordinator operation tph2hv-1 (restart the"
            + " domains of dmz01) ended: SUCCEEDED, 8 of 8 moves done\n";

    assertThat(HostFaults.restartWhenKilled(ended, "dmz01"))
        .isEqualTo("killed after the restart ended");
  }

  @Test
  void aHostPoweredOnAgainHasEveryDomainShutOff() {
    String state =
        "<node><domain xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>a</name>"
            + "<test:runstate>1</test:runstate></domain><domain><name>b</name>"
            + "<test:runstate> 3 </test:runstate></domain></node>";

    assertThat(FaultAgents.shutOff(state))
        .isEqualTo(
            "<node><domain xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>a</name>"
                + "<test:runstate>5</test:runstate></domain><domain><name>b</name>"
                + "<test:runstate>5</test:runstate></domain></node>");
  }

  @Test
  void aBmcSwitchedDownFailsAsAnUnreachableBmcAndAnsweredAgainPassesTheOptionsOn()
      throws Exception {
    Path demo = dir.resolve("demo");
    Files.writeString(demo, "#!/bin/sh\necho \"demo got: $(cat)\"\n");
    Files.setPosixFilePermissions(demo, PosixFilePermissions.fromString("rwx------"));
    Path down = dir.resolve("dmz01.bmc-down");
    Path wrapper = dir.resolve("fence_dmz01");
    Files.writeString(wrapper, FenceDevices.wrapper(down, demo));
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

    Files.writeString(down, "");
    assertThat(run(wrapper, "action=off\n"))
        .isEqualTo("1 Failed: Unable to connect to the BMC (the trial cut it off)");
    Files.delete(down);
    assertThat(run(wrapper, "action=off\n")).isEqualTo("0 demo got: action=off");
  }

  @Test
  void theDevicesFileNamesEachHostsWrapperAndPidFileAndIsItsOwnersOnly() throws Exception {
    FenceDevices fence = FenceDevices.write(dir, Path.of("/opt/xcm"), List.of("dmz01", "dmz02"));

    assertThat(Files.readString(fence.file()))
        .isEqualTo(
            "dmz01.agent = "
                + dir.resolve("fence_dmz01")
                + "\ndmz01.pidfile = "
                + dir.resolve("dmz01.pid")
                + "\ndmz02.agent = "
                + dir.resolve("fence_dmz02")
                + "\ndmz02.pidfile = "
                + dir.resolve("dmz02.pid")
                + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fence.file())))
        .isEqualTo("rw-------");
    assertThat(fence.pidFile("dmz02")).isEqualTo(dir.resolve("dmz02.pid"));
  }

  /** Runs {@code program} with {@code input}; its exit code and its output, as one line. */
  private static String run(Path program, String input) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.waitFor() + " " + output;
  }

  @Test
  void theTallyPrintsEachKindItsViolationsAndTheGoal() {
    HostFailureTally tally = new HostFailureTally();
    RunSampler.Samples clean = new RunSampler.Samples(40, 120, List.of());
    tally.add(
        new HostFaults.Outcome(HostFaults.Kind.POWER_OFF, "dmz01", 5300, -1, "", null),
        clean,
        null,
        1);
    tally.add(
        new HostFaults.Outcome(
            HostFaults.Kind.BMC_DOWN,
            "dmz02",
            7000,
            700,
            "",
            "went FAILED though its BMC does not answer"),
        new RunSampler.Samples(50, 150, List.of()),
        "went FAILED though its BMC does not answer",
        2);
    tally.add(
        new HostFaults.Outcome(
            HostFaults.Kind.AGENT_STOPPED,
            "dmz03",
            6000,
            -1,
            "fenced while stopped (6869 ms)",
            null),
        new RunSampler.Samples(30, 90, List.of()),
        null,
        3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    tally.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            String.join(
                "\n",
                "kind                 trials violations   VMs again p50 / p99  samples/trial avg min",
                "power-off                 1          0         5.3 s / 5.3 s               40    40",
                "agent-stopped             1          0         6.0 s / 6.0 s               30    30",
                "                       1 x fenced while stopped",
                "bmc-down                  1          1         7.0 s / 7.0 s               50    50",
                "                                               0.7 s / 0.7 s from the confirm-down",
                "  violation: trial 2 (bmc-down dmz02): went FAILED though its BMC does not answer",
                "healthy hosts fenced: 0",
                "violations 1 in 3 trials (goal 0 in 300): MISSED",
                ""));
  }
}
