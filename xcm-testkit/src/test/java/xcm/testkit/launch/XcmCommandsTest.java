package xcm.testkit.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.XcmCommands.Program;

class XcmCommandsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  private Path root(String... programs) throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    for (String program : programs) {
      Files.writeString(dir.resolve("conf/" + program + ".jvm"), "# why\n-Xmx32m\n");
    }
    return dir;
  }

  @Test
  void eachProgramRunsWithItsArgfileAndAgentsWithTheTestKitBesideTheProductJar()
      throws IOException {
    XcmCommands xcm = XcmCommands.read(root("agent", "coordinator", "cli"), Map.of());

    assertThat(xcm.command(Program.AGENT, List.of("--name", "dmz01")))
        .containsExactly(
            JAVA,
            "@" + dir.resolve("conf/agent.jvm"),
            "-cp",
            dir.resolve("xcm-agent/target/xcm-agent.jar")
                + ":"
                + dir.resolve("xcm-testkit/target/xcm-testkit.jar"),
            "xcm.agent.AgentMain",
            "--name",
            "dmz01");
    assertThat(xcm.command(Program.COORDINATOR, List.of()))
        .containsExactly(
            JAVA,
            "@" + dir.resolve("conf/coordinator.jvm"),
            "-cp",
            dir.resolve("xcm-coordinator/target/xcm-coordinator.jar").toString(),
            "xcm.coordinator.CoordinatorMain");
    assertThat(xcm.command(Program.CLI, List.of("status")))
        .containsExactly(
            JAVA,
            "@" + dir.resolve("conf/cli.jvm"),
            "-cp",
            dir.resolve("xcm-coordinator/target/xcm-coordinator.jar").toString(),
            "xcm.coordinator.cli.Cli",
            "status");
    assertThat(xcm.command(Program.PAPER_SCENARIO, List.of()))
        .containsExactly(
            JAVA,
            "-cp",
            dir.resolve("xcm-coordinator/target/xcm-coordinator.jar")
                + ":"
                + dir.resolve("xcm-testkit/target/xcm-testkit.jar"),
            "xcm.testkit.scenario.PaperScenario");
  }

  @Test
  void theEnvironmentReplacesAnArgfileAsItDoesForTheScript() throws IOException {
    Path root = root("agent", "coordinator", "cli");

    XcmCommands xcm =
        XcmCommands.read(
            root,
            Map.of(
                "XCM_AGENT_JAVA_OPTS",
                " -Xmx64m  -XX:+UseG1GC",
                "XCM_COORDINATOR_JAVA_OPTS",
                " ",
                "XCM_CLI_JAVA_OPTS",
                "-Xint"));

    assertThat(xcm.javaOptions(Program.AGENT)).containsExactly("-Xmx64m", "-XX:+UseG1GC");
    assertThat(xcm.javaOptions(Program.COORDINATOR))
        .containsExactly("@" + dir.resolve("conf/coordinator.jvm"));
    assertThat(xcm.javaOptions(Program.CLI)).containsExactly("-Xint");
  }

  @Test
  void aMissingArgfileIsNamed() throws IOException {
    Path missing = root("agent", "cli");

    assertThatThrownBy(() -> XcmCommands.read(missing, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            dir.resolve("conf/coordinator.jvm")
                + " cannot be read: the JVM options of every XCM coordinator");
  }

  /**
   * The repository's argfiles are what this JVM accepts as they stand, and the script gives each
   * program the same file the tests do.
   */
  @Test
  void theScriptAndTheJvmReadTheRepositorysArgfiles() throws Exception {
    XcmCommands xcm = XcmCommands.read(ROOT, Map.of());

    for (Program program : List.of(Program.AGENT, Program.COORDINATOR, Program.CLI)) {
      String key = program.name().toLowerCase(Locale.ROOT);
      // The script's own reader, taken out of it, as ./xcm runs it.
      String fromScript =
          run(
              "bash",
              "-c",
              "set -euo pipefail; ROOT=\"$1\"; eval \"$(sed -n '/^say()/,/^die()/p;"
                  + " /^jvm_options()/,/^}/p' \"$1/xcm\")\"; jvm_options \"$2\"",
              "bash",
              ROOT.toString(),
              key);
      assertThat(List.of(fromScript.strip())).as(key).isEqualTo(xcm.javaOptions(program));

      List<String> java = new java.util.ArrayList<>(List.of(JAVA));
      java.addAll(xcm.javaOptions(program));
      java.add("-version");
      run(java.toArray(String[]::new));
    }
  }

  /**
   * The CLI starts only from a class-data archive in a directory of its user's that nobody else may
   * write: the JVM runs an archive's classes without checking them against the jars.
   */
  @Test
  void theScriptUsesAClassArchiveOnlyFromADirectoryNobodyElseMayWrite() throws Exception {
    Map<String, String> modes =
        Map.of(
            "rwx------", "private", "rwxr-xr-x", "private", "rwxrwxr-x", "not", "rwxr-xrwx", "not");
    for (Map.Entry<String, String> mode : modes.entrySet()) {
      Path archives = Files.createDirectories(dir.resolve("cds-" + mode.getKey()));
      Files.setPosixFilePermissions(archives, PosixFilePermissions.fromString(mode.getKey()));
      String answer =
          run(
              "bash",
              "-c",
              "set -euo pipefail; eval \"$(sed -n '/^cli_archives_private() {$/,/^}$/p' \"$1/xcm\")\";"
                  + " CLI_ARCHIVES=$2; if cli_archives_private; then echo private; else echo not; fi",
              "bash",
              ROOT.toString(),
              archives.toString());
      assertThat(answer.strip()).as(mode.getKey()).isEqualTo(mode.getValue());
    }
    String missing =
        run(
            "bash",
            "-c",
            "eval \"$(sed -n '/^cli_archives_private() {$/,/^}$/p' \"$1/xcm\")\";"
                + " CLI_ARCHIVES=$2; cli_archives_private && echo private || echo not",
            "bash",
            ROOT.toString(),
            dir.resolve("none").toString());
    assertThat(missing.strip()).isEqualTo("not");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
