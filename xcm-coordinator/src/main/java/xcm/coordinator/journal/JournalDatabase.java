package xcm.coordinator.journal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The journal's connections, from a pool: each read, and each write in a transaction of its own,
 * borrows one. A connection the database dropped (it restarted, the network failed) is found dead
 * when it is next borrowed and replaced, so the journal works again once the database does, with no
 * coordinator restart; a call made while the database is away waits at most the pool's connection
 * timeout, then fails. Every failure becomes a {@link JournalException} naming what was being done
 * and the database's reason (never the password).
 *
 * <p>Thread-safe; no lock of its own, so that a slow database holds up only the calls that need it.
 */
final class JournalDatabase implements AutoCloseable {
  private final HikariDataSource connections;
  private final String url;
  private final boolean postgres;

  /** Who may write what acts; null until leadership is engaged: every write then acts. */
  private volatile Claim claim;

  JournalDatabase(HikariDataSource connections, String url) {
    this.connections = connections;
    this.url = url;
    this.postgres = url.startsWith("jdbc:postgresql:");
  }

  /** The lease a coordinator holds: its run's id and epoch; {@link #NOBODY} for a standby. */
  record Claim(String holder, long epoch) {
    static final Claim NOBODY = new Claim("", 0);
  }

  /**
   * From now on, a write that acts commits only while the journal's leader row still names {@code
   * claim}: a former active that wakes from a pause records nothing once a standby has taken over.
   */
  void actingAs(Claim claim) {
    this.claim = claim;
  }

  /** True on PostgreSQL, where several coordinators may share the journal. */
  boolean shared() {
    return postgres;
  }

  /** Work inside one transaction, on its connection. */
  interface Work {
    void run(Connection connection) throws SQLException;
  }

  /** Sets a statement's parameters. */
  interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  /** Reads one row of a result. */
  interface Row {
    void read(ResultSet row) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: all of it is recorded, or none; nothing when this
   * coordinator does not hold the lease it acts under.
   */
  void write(String what, Work work) {
    Claim acting = claim;
    if (acting == null) {
      run("cannot " + what + " in", true, work);
      return;
    }
    run(
        "cannot " + what + " in",
        true,
        connection -> {
          holds(connection, acting, what);
          work.run(connection);
        });
  }

  /** Runs {@code work} in one transaction whoever holds the lease: what a standby records too. */
  void writeAnyRole(String what, Work work) {
    run("cannot " + what + " in", true, work);
  }

  /**
   * Checks, inside the write's transaction, that the leader row names {@code acting}. On PostgreSQL
   * the row is key-share-locked until the write commits: a takeover (which locks it for update
   * first) waits for the writes under the old epoch to end, and every later one sees the new epoch,
   * while renewals (which change no key) never wait for writes.
   */
  private void holds(Connection connection, Claim acting, String what) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT epoch, holder FROM xcm_leader WHERE id = 1"
                + (postgres ? " FOR KEY SHARE" : " FOR UPDATE"))) {
      try (ResultSet row = select.executeQuery()) {
        long epoch = row.next() ? row.getLong(1) : 0;
        String holder = epoch == 0 ? null : row.getString(2);
        if (epoch != acting.epoch() || !acting.holder().equals(holder)) {
          throw new JournalException(
              "cannot "
                  + what
                  + " in the journal at "
                  + url
                  + ": this coordinator is not the active one"
                  + (acting == Claim.NOBODY
                      ? ""
                      : " (it held epoch " + acting.epoch() + ", now epoch " + epoch + ")"));
        }
      }
    }
  }

  /** Reads every row {@code sql} selects. */
  void read(String what, String sql, Parameters parameters, Row row) {
    boolean[] delivered = {false};
    run(
        "cannot read " + what + " from",
        false,
        connection -> {
          if (delivered[0]) {
            // A failure after rows reached the caller: read again, they would reach it twice.
            throw new SQLException("the read failed half-way");
          }
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            parameters.set(select);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                delivered[0] = true;
                row.read(rows);
              }
            }
          }
        });
  }

  /**
   * Runs {@code work} on a connection of the pool, once more when it failed before anything was
   * committed for a reason the next attempt does not share:
   *
   * <ul>
   *   <li>a pooled connection the database dropped since it was last used (the database restarted):
   *       every pooled connection is then let go, and the work runs on a new one;
   *   <li>a transaction that lost a race with another (a key inserted meanwhile, a serialization
   *       failure, a deadlock): the journal's writes run side by side, and a delete-then-insert of
   *       one key by two of them makes the second fail once, then succeed.
   * </ul>
   *
   * A commit that fails is not tried again — the database may have recorded it — and a call that
   * gets no connection at all fails at once.
   */
  private void run(String failed, boolean transaction, Work work) {
    for (int attempt = 1; ; attempt++) {
      Connection connection;
      try {
        connection = connections.getConnection();
      } catch (SQLException e) {
        throw failure(failed, "", e);
      }
      boolean committing = false;
      try (connection) {
        if (transaction) {
          connection.setAutoCommit(false);
        }
        try {
          work.run(connection);
        } catch (SQLException | RuntimeException e) {
          if (transaction) {
            rollback(connection, e);
          }
          throw e;
        }
        if (transaction) {
          committing = true;
          try {
            connection.commit();
          } catch (SQLException e) {
            throw failure(failed, "the database may or may not have recorded it: ", e);
          }
        }
        return;
      } catch (SQLException e) {
        if (attempt > 1 || committing || !(lost(e) || raced(e))) {
          throw failure(failed, "", e);
        }
        if (lost(e)) {
          // One dead connection means the database restarted: the others in the pool are too.
          connections.getHikariPoolMXBean().softEvictConnections();
        }
      }
    }
  }

  /** The connection is gone (SQLSTATE class 08), or the server ended it (57P01–57P03). */
  private static boolean lost(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** A unique key taken meanwhile (23505), a serialization failure (40001), a deadlock (40P01). */
  private static boolean raced(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
  }

  private JournalException failure(String failed, String what, SQLException e) {
    return new JournalException(failed + " the journal at " + url + ": " + what + reason(e), e);
  }

  /**
   * The database's reason: with the pool's "request timed out" goes why no connection could be made
   * (the database refused it, say).
   */
  private static String reason(SQLException e) {
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null
        ? e.getMessage()
        : e.getMessage() + " (" + cause.getMessage() + ")";
  }

  /**
   * A rollback that fails (the connection died mid-transaction) leaves nothing to undo: the
   * database drops what was not committed. The first failure is the one reported.
   */
  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    connections.close();
  }

  static void nullableString(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  /** Text cut to what its column holds: a request may carry any length. */
  static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
