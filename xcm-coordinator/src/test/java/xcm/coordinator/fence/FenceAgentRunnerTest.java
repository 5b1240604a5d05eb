package xcm.coordinator.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FenceAgentRunnerTest {
  @TempDir Path dir;

  /**
   * A fence agent that records its standard input, arguments, command line and environment in
   * {@code dir}, then runs {@code body} (a shell snippet; {@code $in} holds its input).
   */
  private Path agent(String name, String body) throws Exception {
    Path script = dir.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "d="
            + dir
            + "\n"
            + "in=$(cat)\n"
            + "printf '%s\\n' \"$in\" > $d/"
            + name
            + ".stdin\n"
            + "printf '%s\\n' \"$@\" > $d/"
            + name
            + ".args\n"
            + "tr '\\0' ' ' < /proc/$$/cmdline > $d/"
            + name
            + ".cmdline\n"
            + "env > $d/"
            + name
            + ".env\n"
            + "case $in in *action=status*) action=status ;; *action=off*) action=off ;;"
            + " *action=on*) action=on ;; esac\n"
            + "echo $action >> $d/"
            + name
            + ".actions\n"
            + body
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private Path secret(String text) throws Exception {
    Path file = dir.resolve("bmc-password");
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static FenceAgentRunner runner(FenceDevice... devices) {
    return FenceAgentRunner.builder(FenceDevices.of(List.of(devices))).build();
  }

  private String recorded(String name, String what) throws Exception {
    return Files.readString(dir.resolve(name + "." + what));
  }

  @Test
  void theOptionsThenTheActionAreWrittenToStandardInputOnePerLine() throws Exception {
    Path agent = agent("fence_a", "exit 0");
    FenceDevice device =
        FenceDevice.builder("dmz01", agent.toString())
            .option("ip", "10.0.0.101")
            .option("username", "admin")
            .optionFromFile("password", secret("s3cret pass=word\n"))
            .option("lanplus", "1")
            .build();

    assertThat(runner(device).status("dmz01")).isEqualTo(PowerState.ON);

    assertThat(recorded("fence_a", "stdin"))
        .isEqualTo(
            "ip=10.0.0.101\nusername=admin\nlanplus=1\npassword=s3cret pass=word\naction=status\n");
  }

  @Test
  void theAgentGetsNoArgumentsAndOnlyPathAndLang() throws Exception {
    Path agent = agent("fence_a", "exit 0");
    FenceDevice device =
        FenceDevice.builder("dmz01", agent.toString())
            .option("passwd", "inline-s3cret")
            .optionFromFile("password", secret("file-s3cret"))
            .build();

    runner(device).on("dmz01");

    assertThat(recorded("fence_a", "args")).isEqualTo("\n");
    assertThat(recorded("fence_a", "cmdline")).isEqualTo("/bin/sh " + agent + " ");
    List<String> environment = recorded("fence_a", "env").lines().sorted().toList();
    assertThat(environment).contains("LANG=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    assertThat(environment)
        .allMatch(v -> v.matches("(LANG|PATH|PWD|SHLVL|_)=.*"), "only what sh adds itself");
  }

  @Test
  void statusIsOnForExitZeroAndOffForExitTwo() throws Exception {
    FenceAgentRunner runner =
        runner(
            FenceDevice.builder("on1", agent("fence_on", "exit 0").toString()).build(),
            FenceDevice.builder("off1", agent("fence_off", "exit 2").toString()).build());

    assertThat(runner.status("on1")).isEqualTo(PowerState.ON);
    assertThat(runner.status("off1")).isEqualTo(PowerState.OFF);
  }

  @Test
  void statusWithAnyOtherExitFailsNamingHostProgramActionAndTheAgentsLastLines() throws Exception {
    Path agent =
        agent(
            "fence_a",
            "echo \"2026-12-03 13:00:01,000 ERROR: Failed: Unable to obtain correct plug"
                + " status\" >&2\necho 'second line'\nexit 1");
    FenceAgentRunner runner = runner(FenceDevice.builder("dmz01", agent.toString()).build());

    assertThatThrownBy(() -> runner.status("dmz01"))
        .isInstanceOf(FenceException.class)
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=status failed: exit code 1 (status exits 0 for on, 2 for off); the"
                + " agent said: \"2026-12-03 13:00:01,000 ERROR: Failed: Unable to obtain correct"
                + " plug status | second line\"")
        .satisfies(
            e -> {
              FenceException fence = (FenceException) e;
              assertThat(fence.host()).isEqualTo("dmz01");
              assertThat(fence.program()).isEqualTo(agent.toString());
              assertThat(fence.action()).isEqualTo(FenceAction.STATUS);
              assertThat(fence.reason())
                  .isEqualTo("exit code 1 (status exits 0 for on, 2 for off)");
            });
  }

  @Test
  void offRunsOffThenStatusAndSucceedsWhenStatusSaysOff() throws Exception {
    Path agent = agent("fence_a", "[ $action = status ] && exit 2; exit 0");

    runner(FenceDevice.builder("dmz01", agent.toString()).build()).off("dmz01");

    assertThat(recorded("fence_a", "actions")).isEqualTo("off\nstatus\n");
  }

  @Test
  void offFailsWhenStatusStillSaysOnAfterwards() throws Exception {
    Path agent = agent("fence_a", "echo 'Success: Powered OFF'; exit 0");
    FenceAgentRunner runner = runner(FenceDevice.builder("dmz01", agent.toString()).build());

    assertThatThrownBy(() -> runner.off("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=status failed: off exited 0, but status then exited 0 (on) instead of"
                + " 2 (off); the agent said: \"Success: Powered OFF\"");
    assertThat(recorded("fence_a", "actions")).isEqualTo("off\nstatus\n");
  }

  @Test
  void offOrOnFailWithTheAgentsExitCode() throws Exception {
    Path agent = agent("fence_a", "echo 'Failed: login denied' >&2; exit 3");
    FenceAgentRunner runner = runner(FenceDevice.builder("dmz01", agent.toString()).build());

    assertThatThrownBy(() -> runner.off("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=off failed: exit code 3; the agent said: \"Failed: login denied\"");
    assertThatThrownBy(() -> runner.on("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=on failed: exit code 3; the agent said: \"Failed: login denied\"");
    assertThat(recorded("fence_a", "actions")).isEqualTo("off\non\n");
  }

  @Test
  void aTimeoutKillsTheAgentAndTheProcessesItStarted() throws Exception {
    Path agent =
        agent(
            "fence_a",
            "echo working\nsleep 1000 &\necho $! > $d/child.pid\necho $$ > $d/agent.pid\nwait");
    FenceAgentRunner runner =
        runner(
            FenceDevice.builder("dmz01", agent.toString())
                .timeout(Duration.ofMillis(1500))
                .build());

    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.status("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=status failed: timed out after 1500ms (killed it and 1 processes it"
                + " started); the agent said: \"working\"");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertGone(Long.parseLong(recorded("child", "pid").strip()));
    assertGone(Long.parseLong(recorded("agent", "pid").strip()));
  }

  /** Gone, or a zombie waiting for init: either way it runs no more. */
  private static void assertGone(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      String text;
      try {
        text = Files.readString(stat);
      } catch (java.io.IOException gone) {
        return;
      }
      String state = text.substring(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
      if (state.equals("Z") || state.equals("X")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("process " + pid + " still runs: " + Files.readString(stat));
  }

  @Test
  void outputIsBoundedAndSecretsNeverLeaveTheRunner() throws Exception {
    Path agent =
        agent(
            "fence_a",
            "i=0; while [ $i -lt 3000 ]; do echo \"line $i of chatter\"; i=$((i+1)); done\n"
                + "echo \"$in\" | grep pass\n"
                + "echo 'Failed: unable to log in' >&2\nexit 1");
    FenceDevice device =
        FenceDevice.builder("dmz01", agent.toString())
            .option("passwd", "inline-s3cret")
            .optionFromFile("password", secret("file-s3cret\n"))
            .build();
    List<FenceRun> runs = Collections.synchronizedList(new ArrayList<>());
    FenceAgentRunner runner =
        FenceAgentRunner.builder(FenceDevices.of(List.of(device))).listener(runs::add).build();

    assertThatThrownBy(() -> runner.on("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=on failed: exit code 1; the agent said: \"line 2998 of chatter | line"
                + " 2999 of chatter | passwd=*** | password=*** | Failed: unable to log in\"");

    FenceRun run = runs.get(0);
    assertThat(run.output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(FenceAgentRunner.OUTPUT_LIMIT);
    assertThat(run.output())
        .startsWith("line ")
        .endsWith("passwd=***\npassword=***\nFailed: unable to log in\n")
        .doesNotContain("s3cret");
  }

  @Test
  void aSecretFileOpenedToOthersAfterStartIsRefusedBeforeTheAgentRuns() throws Exception {
    Path agent = agent("fence_a", "exit 0");
    Path password = secret("s3cret");
    FenceAgentRunner runner =
        runner(
            FenceDevice.builder("dmz01", agent.toString())
                .optionFromFile("password", password)
                .build());
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> runner.status("dmz01"))
        .hasMessage(
            "fence dmz01: "
                + agent
                + " action=status failed: option password file "
                + password
                + ": holds a secret but has mode 0644 (rw-r--r--), which lets group or others read"
                + " or write it; make it its owner's only (chmod 600 "
                + password
                + ")");
    assertThat(dir.resolve("fence_a.actions")).doesNotExist();
  }

  @Test
  void aHostWithoutADeviceCannotBeFenced() throws Exception {
    FenceAgentRunner runner =
        runner(FenceDevice.builder("dmz01", agent("fence_a", "exit 0").toString()).build());

    assertThat(runner.canFence("dmz01")).isTrue();
    assertThat(runner.canFence("dmz02")).isFalse();
    assertThatThrownBy(() -> runner.off("dmz02"))
        .hasMessage(
            "fence dmz02: none action=off failed: no fence device is configured for this host");
  }

  @Test
  void anAgentThatCannotStartFailsSayingSo() throws Exception {
    Path missing = dir.resolve("fence_gone");
    FenceAgentRunner runner = runner(FenceDevice.builder("dmz01", missing.toString()).build());

    assertThatThrownBy(() -> runner.status("dmz01"))
        .hasMessageStartingWith(
            "fence dmz01: " + missing + " action=status failed: cannot start it: ");
  }

  @Test
  void eachRunIsTimedByTheGivenClock() throws Exception {
    Instant t0 = Instant.parse("2026-12-03T13:00:00Z");
    Clock clock =
        new Clock() {
          private int calls;

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public synchronized Instant instant() {
            return t0.plusMillis(2500L * calls++);
          }
        };
    FenceAgentRunner runner =
        FenceAgentRunner.builder(
                FenceDevices.of(
                    List.of(
                        FenceDevice.builder("dmz01", agent("fence_a", "exit 2").toString())
                            .build())))
            .clock(clock)
            .build();

    FenceRun run = runner.run("dmz01", FenceAction.STATUS);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.duration()).isEqualTo(Duration.ofMillis(2500));
    assertThat(run.action()).isEqualTo(FenceAction.STATUS);
  }

  @Test
  void oneActionAtATimePerHostButHostsInParallel() throws Exception {
    // Each run waits up to 4 s for another run of the same action to be there too: runs side by
    // side both exit 0, runs one after the other both give up (1) and remove their mark.
    String meetAnother =
        "mark=$d/$action.$$; touch $mark\n"
            + "i=0; while [ $i -lt 40 ]; do\n"
            + "  [ $(ls $d | grep -c \"^$action\\.\") -ge 2 ] && exit 0\n"
            + "  sleep 0.1; i=$((i+1))\n"
            + "done\n"
            + "rm $mark; exit 1";
    FenceAgentRunner runner =
        runner(
            FenceDevice.builder("dmz01", agent("fence_a", meetAnother).toString()).build(),
            FenceDevice.builder("dmz02", agent("fence_b", meetAnother).toString()).build());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<FenceRun> dmz01 = pool.submit(() -> runner.run("dmz01", FenceAction.ON));
      Future<FenceRun> dmz02 = pool.submit(() -> runner.run("dmz02", FenceAction.ON));
      assertThat(dmz01.get(20, TimeUnit.SECONDS).exitCode()).isZero();
      assertThat(dmz02.get(20, TimeUnit.SECONDS).exitCode()).isZero();

      Future<FenceRun> first = pool.submit(() -> runner.run("dmz01", FenceAction.STATUS));
      Future<FenceRun> second = pool.submit(() -> runner.run("dmz01", FenceAction.STATUS));
      assertThat(first.get(20, TimeUnit.SECONDS).exitCode()).isEqualTo(1);
      assertThat(second.get(20, TimeUnit.SECONDS).exitCode()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
