package xcm.coordinator.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The journal's one JDBC connection: statements run one at a time, each write in a transaction of
 * its own; every failure becomes a {@link JournalException} naming what was being done and the
 * database's reason (never the password).
 *
 * <p>Thread-safe.
 */
final class JournalDatabase implements AutoCloseable {
  private final Connection connection;
  private final String url;

  JournalDatabase(Connection connection, String url) {
    this.connection = connection;
    this.url = url;
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

  /** Runs {@code work} in one transaction: all of it is recorded, or none. */
  synchronized void write(String what, Work work) {
    try {
      connection.setAutoCommit(false);
      try {
        work.run(connection);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new JournalException(
          "cannot " + what + " in the journal at " + url + ": " + e.getMessage(), e);
    }
  }

  /** Reads every row {@code sql} selects. */
  synchronized void read(String what, String sql, Parameters parameters, Row row) {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      parameters.set(select);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          row.read(rows);
        }
      }
    } catch (SQLException e) {
      throw new JournalException(
          "cannot read " + what + " from the journal at " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing after a failure: the connection is gone either way.
    }
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
