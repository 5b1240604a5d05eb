package xcm.coordinator.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on its default database: an H2 file. */
class H2JournalTest extends JournalContract {
  @TempDir Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("journal");
  }

  @Override
  protected Journal open() {
    return Journal.open(url(), "", "", clock());
  }

  @Override
  protected Journal reopen() {
    return open();
  }

  @Test
  void aWriteSurvivesTheCoordinatorBeingKilledRightAfterIt() throws Exception {
    journal.close();
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                JournalWriter.class.getName(),
                url())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
      assertThat(out.readLine()).isEqualTo("written");
    } finally {
      writer.destroyForcibly().waitFor();
    }

    journal = open();

    assertThat(journal.unfinished()).extracting(JournaledOperation::id).containsExactly("killed-1");
  }

  @Test
  void anUnknownDatabaseIsNamedInTheError() {
    assertThatThrownBy(() -> Journal.open("jdbc:nosuch:db", "", "", clock()))
        .isInstanceOf(JournalException.class)
        .hasMessageStartingWith("cannot open the journal at jdbc:nosuch:db: ");
  }
}
