package xcm.coordinator.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), "", "");
  }

  @Test
  void aWriteSurvivesTheCoordinatorBeingKilledRightAfterIt() throws Exception {
    journal.close();
    Process writer = startWriter();
    writer.destroyForcibly().waitFor();

    journal = open();

    assertThat(journal.unfinished()).extracting(JournaledOperation::id).containsExactly("killed-1");
  }

  /**
   * H2 opens a file again with its 500 ms default write delay, whatever the journal once SET: the
   * journal's own connections ask for none each time they open it.
   */
  @Test
  void everyOpenOfTheFileHasNoWriteDelay() throws Exception {
    journal.close();
    java.util.List<String> delays = new java.util.ArrayList<>();
    try (com.zaxxer.hikari.HikariDataSource pool =
            Journal.pool(url(), "", "", java.time.Duration.ZERO);
        Connection c = pool.getConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      while (r.next()) {
        delays.add(r.getString(1));
      }
    }
    journal = open();

    assertThat(delays).isNotEmpty().containsOnly("0");
  }

  @Test
  void aSecondCoordinatorCannotOpenAJournalInUse() throws Exception {
    journal.close();
    Process writer = startWriter();
    try {
      assertThatThrownBy(this::open)
          .isInstanceOf(JournalException.class)
          .hasMessageStartingWith("cannot open the journal at " + url() + ": ");
    } finally {
      writer.destroyForcibly().waitFor();
    }
    journal = open();
  }

  /** A coordinator's JVM that has written to the journal and holds it open. */
  private Process startWriter() throws Exception {
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                JournalWriter.class.getName(),
                url())
            .redirectErrorStream(true)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8));
    String line = out.readLine();
    if (!"written".equals(line)) {
      writer.destroyForcibly().waitFor();
      throw new AssertionError("the writer did not write: " + line);
    }
    return writer;
  }

  @Test
  void anUnknownDatabaseIsNamedInTheError() {
    assertThatThrownBy(() -> Journal.open("jdbc:nosuch:db", "", "", clock()))
        .isInstanceOf(JournalException.class)
        .hasMessageStartingWith("cannot open the journal at jdbc:nosuch:db: ");
  }
}
