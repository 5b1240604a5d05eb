package xcm.testkit.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  private Path root(String jvmProperties) throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve(XcmCommands.JVM_OPTIONS), jvmProperties);
    return dir;
  }

  @Test
  void agentsRunTheProductJarWithTheTestKitBesideItAndTheAgentOptions() throws IOException {
    XcmCommands xcm =
        XcmCommands.read(
            root("# why\nagent = -Xmx32m \\\n    -Xss256k\ncoordinator=-Xmx256m\n"), Map.of());

    assertThat(xcm.command(Program.AGENT, List.of("--name", "dmz01")))
        .containsExactly(
            JAVA,
            "-Xmx32m",
            "-Xss256k",
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
            "-Xmx256m",
            "-cp",
            dir.resolve("xcm-coordinator/target/xcm-coordinator.jar").toString(),
            "xcm.coordinator.CoordinatorMain");
    assertThat(xcm.command(Program.CLI, List.of("status")))
        .containsExactly(
            JAVA,
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
  void theEnvironmentReplacesAnEntryAsItDoesForTheScript() throws IOException {
    Path root = root("agent = -Xmx32m\ncoordinator = -Xmx256m\n");

    XcmCommands xcm =
        XcmCommands.read(
            root,
            Map.of(
                "XCM_AGENT_JAVA_OPTS", " -Xmx64m  -XX:+UseG1GC", "XCM_COORDINATOR_JAVA_OPTS", " "));

    assertThat(xcm.javaOptions(Program.AGENT)).containsExactly("-Xmx64m", "-XX:+UseG1GC");
    assertThat(xcm.javaOptions(Program.COORDINATOR)).containsExactly("-Xmx256m");
  }

  @Test
  void aMissingOrUnknownEntryIsNamed() throws IOException {
    Path missing = root("agent = -Xmx32m\n");
    assertThatThrownBy(() -> XcmCommands.read(missing, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            dir.resolve("conf/jvm.properties")
                + " has no 'coordinator' entry: the JVM options of every XCM coordinator");

    Path unknown = root("agent = -Xmx32m\ncoordinator = -Xmx256m\nagnet = -Xmx1g\n");
    assertThatThrownBy(() -> XcmCommands.read(unknown, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            dir.resolve("conf/jvm.properties")
                + ": unknown entry 'agnet' (known: agent, coordinator)");
  }

  /** The script and the tests start XCM's JVMs with the same options, read from one file. */
  @Test
  void theScriptReadsTheSameOptionsFromTheRepositorysFile() throws Exception {
    XcmCommands xcm = XcmCommands.read(ROOT, Map.of());

    for (Program program : List.of(Program.AGENT, Program.COORDINATOR)) {
      String key = program == Program.AGENT ? "agent" : "coordinator";
      // The script's own reader, taken out of it, as ./xcm runs it.
      Process bash =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  "set -euo pipefail; ROOT=\"$1\"; eval \"$(sed -n '/^say()/,/^die()/p;"
                      + " /^jvm_options()/,/^}/p' \"$1/xcm\")\"; jvm_options \"$2\"",
                  "bash",
                  ROOT.toString(),
                  key)
              .redirectErrorStream(true)
              .start();
      String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bash.exitValue()).as(out).isZero();

      assertThat(List.of(out.strip().split("\\s+")))
          .as(key)
          .isEqualTo(xcm.javaOptions(program))
          .isNotEmpty();
    }
  }
}
