package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  void aCoordinatorPausedHalfWayThroughAWriteHoldsUpATakeoverNoLongerThanItsLimit()
      throws Exception {
    Duration lease = Duration.ofMillis(1500);
    JournalDatabase paused =
        new JournalDatabase(Journal.pool(url, "xcm", "", Duration.ofMillis(500)), url);
    ExecutorService pausing = Executors.newSingleThreadExecutor();
    try {
      long epoch = new LeaseRows(paused).take("a", "c1", "http://c1/", lease, false).getAsLong();
      paused.actingAs(new JournalDatabase.Claim("a", epoch));
      // The active stops (a long garbage collection, SIGSTOP) inside a write: its transaction
      // holds the leader row's share lock, which a takeover must wait for.
      Future<?> write =
          pausing.submit(
              () -> {
                paused.write(
                    "a write paused half-way",
                    c -> {
                      try {
                        Thread.sleep(10_000);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
                return null;
              });
      Thread.sleep(lease.toMillis() + 300);

      long asked = System.nanoTime();
      OptionalLong taken = journal.leases().take("b", "c2", "http://c2/", lease, false);

      assertThat(taken).hasValue(epoch + 1);
      assertThat(Duration.ofNanos(System.nanoTime() - asked))
          .as("the paused session was ended after 500 ms idle in its transaction")
          .isLessThan(Duration.ofSeconds(4));
      pausing.shutdownNow();
      assertThatThrownBy(write::get).hasCauseInstanceOf(JournalException.class);
    } finally {
      pausing.shutdownNow();
      paused.close();
    }
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

  @Test
  void aWriteOnAConnectionTheServerEndedRunsAgainOnANewOne() throws Exception {
    journal.hostMode("h1", HostState.DRAINING);
    // The server ends the journal's sessions (as a restart does) just after the journal used
    // them: the pool hands the dead connection out again without checking it.
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }

    journal.hostMode("h2", HostState.MAINTENANCE);

    assertThat(journal.hostModes())
        .containsEntry("h1", HostState.DRAINING)
        .containsEntry("h2", HostState.MAINTENANCE);
  }

  @Test
  void coordinatorsStartingAtOnceOnANewDatabaseMigrateItOnce() throws Exception {
    String fresh = postgres.createDatabase("xcm" + (++database));
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<Journal>> opened =
          two.invokeAll(
              List.<Callable<Journal>>of(
                  () -> Journal.open(fresh, "xcm", "", clock()),
                  () -> Journal.open(fresh, "xcm", "", clock())));
      for (Future<Journal> f : opened) {
        f.get().close();
      }
    } finally {
      two.shutdownNow();
    }
    try (Connection c = DriverManager.getConnection(fresh, "xcm", "");
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT COUNT(*), MAX(version) FROM xcm_schema_version")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(JournalSchema.latest());
      assertThat(rows.getInt(2)).isEqualTo(JournalSchema.latest());
    }
  }
}
