package xcm.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentPasswordCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new Cli())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  @Test
  void printsTheAgentsDerivedPasswordAlone() throws Exception {
    Path master = Files.writeString(dir.resolve("master"), "correct horse battery staple\n");

    int exit =
        run(
            "agent-password",
            "--url",
            "http://hv01.example.org:8778/jolokia",
            "--master-file",
            master.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).isEqualTo("Xcx3FznWPVRihHMgiZ1ecBtRncTscVt5T8_223TdUQg\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aUrlThatIsNoAgentsIsBadInput() throws Exception {
    Path master = Files.writeString(dir.resolve("master"), "correct horse battery staple");

    int exit = run("agent-password", "--url", "hv01:8778", "--master-file", master.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "xcm agent-password: 'hv01:8778' is not an agent's Jolokia URL: not an http or https"
                + " URL\n");
  }

  @Test
  void aMissingOrEmptyMasterFileIsBadInput() throws Exception {
    Path missing = dir.resolve("missing");
    assertThat(run("agent-password", "--url", "http://hv01/", "--master-file", missing.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "xcm agent-password: cannot read the master secret file "
                + missing
                + ": no such file\n");

    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    err.getBuffer().setLength(0);
    assertThat(run("agent-password", "--url", "http://hv01/", "--master-file", empty.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("xcm agent-password: the master secret file " + empty + " is empty\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingOptionIsBadInput() {
    assertThat(run("agent-password", "--url", "http://hv01/")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--master-file=FILE'");
  }
}
