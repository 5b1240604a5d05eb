package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xcm.mbeans.HostState;

/**
 * The journal on a real PostgreSQL server ({@link LocalPostgres}), also through the server's
 * restarts and stops.
 */
class PostgresJournalIT extends JournalContract {
  private static LocalPostgres postgres;
  private static int database;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private String url;

  @Override
  protected Journal open() {
    // A fresh database per test, so that each starts empty.
    try {
      url = postgres.createDatabase("xcm" + (++database));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return Journal.open(url, "xcm", "", clock());
  }

  @Override
  protected Journal reopen() {
    return Journal.open(url, "xcm", "", clock());
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "xcm", "");
  }

  @Test
  void theJournalWorksAgainAfterPostgresRestartsWithNoCoordinatorRestart() throws Exception {
    journal.hostMode("h1", HostState.DRAINING);

    postgres.restart();

    journal.hostMode("h2", HostState.MAINTENANCE);
    assertThat(journal.hostModes())
        .containsEntry("h1", HostState.DRAINING)
        .containsEntry("h2", HostState.MAINTENANCE);
  }

  @Test
  void aWriteWhilePostgresIsDownFailsNamingTheJournalAndLeavesNothingBehind() throws Exception {
    postgres.stop();
    try {
      assertThatThrownBy(() -> journal.hostMode("h1", HostState.DRAINING))
          .isInstanceOf(JournalException.class)
          .hasMessageStartingWith("cannot record host h1 as DRAINING in the journal at " + url)
          .hasMessageContaining("refused");
    } finally {
      postgres.startAgain();
    }

    journal.hostMode("h2", HostState.MAINTENANCE);
    assertThat(journal.hostModes()).containsOnlyKeys("h2");
  }
}
