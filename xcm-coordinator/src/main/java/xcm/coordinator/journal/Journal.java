package xcm.coordinator.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xcm.coordinator.migration.MoveJournal;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.HostState;

/**
 * The coordinator's durable journal: every operation and every move with its phase, written before
 * the coordinator acts on it, the operator modes of hosts (draining, maintenance) and the audit
 * log. After a crash the coordinator reads back what was under way and reconciles it with what the
 * agents report.
 *
 * <p>Plain JDBC with SQL that runs unchanged on the embedded H2 file database (the default) and on
 * PostgreSQL.
 *
 * <pre>{@code
 * try (Journal journal = Journal.open("jdbc:h2:file:/var/lib/xcm/journal", "", "", clock)) {
 *   journal.hostMode("dmz01", HostState.DRAINING);
 * }
 * }</pre>
 *
 * <p>Thread-safe: one connection, one statement at a time; a failed write throws {@link
 * JournalException} and the caller must not act.
 */
public final class Journal implements MoveJournal, AutoCloseable {
  private static final int TEXT = 4000;

  private final Connection connection;
  private final Clock clock;
  private final String url;

  private Journal(Connection connection, Clock clock, String url) {
    this.connection = connection;
    this.clock = clock;
    this.url = url;
  }

  /**
   * Opens the journal at a JDBC URL and creates its tables if they are missing.
   *
   * @throws JournalException naming the URL (never the password) and the database's reason
   */
  public static Journal open(String url, String user, String password, Clock clock) {
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      throw new JournalException("cannot open the journal at " + url + ": " + e.getMessage(), e);
    }
    Journal journal = new Journal(connection, clock, url);
    try {
      journal.writeThrough();
      journal.createTables();
    } catch (SQLException | IOException e) {
      journal.close();
      throw new JournalException(
          "cannot create the journal's tables at " + url + ": " + e.getMessage(), e);
    }
    return journal;
  }

  /**
   * H2 keeps committed changes in memory for up to half a second by default; a coordinator killed
   * in that window would forget a move it had already asked an agent for. With no delay each commit
   * reaches the file before the coordinator acts on it.
   */
  private void writeThrough() throws SQLException {
    if (connection.getMetaData().getDatabaseProductName().equals("H2")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET WRITE_DELAY 0");
      }
    }
  }

  private void createTables() throws SQLException, IOException {
    String schema;
    try (InputStream in =
        Journal.class.getResourceAsStream("/xcm/coordinator/journal/schema.sql")) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder sql = new StringBuilder();
    try (Statement statement = connection.createStatement()) {
      for (String line : schema.split("\n")) {
        if (line.strip().startsWith("--")) {
          continue;
        }
        sql.append(line).append('\n');
        if (line.strip().endsWith(";")) {
          statement.execute(sql.substring(0, sql.lastIndexOf(";")));
          sql.setLength(0);
        }
      }
    }
  }

  /** Records a new operation and its moves, all PENDING, in one transaction. */
  public synchronized void operationStarted(
      String id,
      String kind,
      String summary,
      String requestedBy,
      boolean dryRun,
      List<MoveRequest> moves) {
    long now = clock.millis();
    transaction(
        "record operation " + id,
        () -> {
          try (PreparedStatement op =
              connection.prepareStatement(
                  "INSERT INTO xcm_operation (id, kind, summary, requested_by, dry_run, op_state,"
                      + " started_at) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)")) {
            op.setString(1, id);
            op.setString(2, kind);
            op.setString(3, cut(summary, 1024));
            op.setString(4, cut(requestedBy, 512));
            op.setBoolean(5, dryRun);
            op.setLong(6, now);
            op.executeUpdate();
          }
          try (PreparedStatement move =
              connection.prepareStatement(
                  "INSERT INTO xcm_move (operation_id, move_index, domain_name, domain_uuid,"
                      + " from_host, from_url, to_host, to_url, phase, attempts, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)")) {
            for (MoveRequest m : moves) {
              move.setString(1, id);
              move.setInt(2, m.index());
              move.setString(3, m.domain());
              move.setString(4, m.uuid());
              move.setString(5, m.from());
              move.setString(6, m.fromUrl());
              move.setString(7, m.to());
              move.setString(8, m.toUrl());
              move.setLong(9, now);
              move.addBatch();
            }
            if (!moves.isEmpty()) {
              move.executeBatch();
            }
          }
        });
  }

  /**
   * A journal in memory, for tests and for a coordinator told to keep nothing: it answers like the
   * durable one but forgets everything when the process ends.
   */
  public static Journal inMemory(Clock clock) {
    return open(
        "jdbc:h2:mem:xcm-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "", clock);
  }

  /**
   * The move is about to be asked of its source agent. An earlier attempt's migration id is
   * dropped: after a restart the move must be settled by the migration this attempt starts, which
   * the source agent may be running, not by the earlier one, which ended.
   */
  @Override
  public void dispatching(MoveRequest move) {
    movePhase(move, "DISPATCHING", null, -1, null);
  }

  /** The source agent runs the move as its migration {@code agentMigration}. */
  @Override
  public void dispatched(MoveRequest move, String agentMigration) {
    movePhase(move, "DISPATCHED", agentMigration, -1, null);
  }

  /**
   * The move ended: SUCCEEDED, FAILED, INCOMPLETE, CANCELLED, or UNSETTLED until a later call
   * records where it really ended.
   */
  public void moveEnded(MoveRequest move, String outcome, int attempts, String error) {
    movePhase(move, outcome, null, attempts, error);
  }

  private synchronized void movePhase(
      MoveRequest move, String phase, String agentMigration, int attempts, String error) {
    transaction(
        "record move " + move,
        () -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE xcm_move SET phase = ?, agent_migration = CASE WHEN ? = 'DISPATCHING'"
                      + " THEN NULL ELSE COALESCE(?, agent_migration) END,"
                      + " attempts = CASE WHEN ? < 0 THEN attempts ELSE ? END,"
                      + " error = COALESCE(?, error), updated_at = ?"
                      + " WHERE operation_id = ? AND move_index = ?")) {
            update.setString(1, phase);
            update.setString(2, phase);
            nullableString(update, 3, agentMigration);
            update.setInt(4, attempts);
            update.setInt(5, attempts);
            nullableString(update, 6, error == null ? null : cut(error, TEXT));
            update.setLong(7, clock.millis());
            update.setString(8, move.operationId());
            update.setInt(9, move.index());
            update.executeUpdate();
          }
        });
  }

  /** The operation ended. */
  public synchronized void operationEnded(String id, String state, List<String> errors) {
    transaction(
        "record the end of operation " + id,
        () -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE xcm_operation SET op_state = ?, finished_at = ?, errors = ? WHERE id = ?")) {
            update.setString(1, state);
            update.setLong(2, clock.millis());
            update.setString(3, cut(String.join("\n", errors), 8000));
            update.setString(4, id);
            update.executeUpdate();
          }
        });
  }

  /** Records a host's operator mode (ACTIVE, DRAINING, MAINTENANCE). */
  public synchronized void hostMode(String host, HostState mode) {
    transaction(
        "record host " + host + " as " + mode,
        () -> {
          try (PreparedStatement delete =
                  connection.prepareStatement("DELETE FROM xcm_host_mode WHERE host = ?");
              PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO xcm_host_mode (host, host_mode, updated_at) VALUES (?, ?, ?)")) {
            delete.setString(1, host);
            delete.executeUpdate();
            if (mode != HostState.ACTIVE) {
              insert.setString(1, host);
              insert.setString(2, mode.name());
              insert.setLong(3, clock.millis());
              insert.executeUpdate();
            }
          }
        });
  }

  /** Hosts an operator took out of service (DRAINING or MAINTENANCE). */
  public synchronized Map<String, HostState> hostModes() {
    Map<String, HostState> modes = new LinkedHashMap<>();
    query(
        "read host modes",
        "SELECT host, host_mode FROM xcm_host_mode ORDER BY host",
        rows -> modes.put(rows.getString(1), HostState.valueOf(rows.getString(2))));
    return modes;
  }

  /** Appends one audit entry. */
  public synchronized void audit(
      Instant at, String door, String principal, String action, String result) {
    transaction(
        "record an audit entry",
        () -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO xcm_audit (at, door, principal, action, result) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, at.toEpochMilli());
            insert.setString(2, cut(door, 32));
            insert.setString(3, cut(principal, 512));
            insert.setString(4, cut(action, 2000));
            insert.setString(5, cut(result, TEXT));
            insert.executeUpdate();
          }
        });
  }

  /** One audit row. */
  public record AuditRow(Instant at, String door, String principal, String action, String result) {}

  /** The newest {@code limit} audit entries, newest first. */
  public synchronized List<AuditRow> recentAudit(int limit) {
    List<AuditRow> rows = new ArrayList<>();
    query(
        "read the audit log",
        "SELECT at, door, principal, action, result FROM xcm_audit ORDER BY at DESC FETCH FIRST "
            + Math.max(1, limit)
            + " ROWS ONLY",
        r ->
            rows.add(
                new AuditRow(
                    Instant.ofEpochMilli(r.getLong(1)),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5))));
    return rows;
  }

  /**
   * An alert whose action the webhook started.
   *
   * @param key what identifies the alert (at most 64 characters)
   */
  public record AlertAction(String key, String operationId, Instant at) {}

  /** Records an alert's started action, and forgets those started before {@code forgetBefore}. */
  public synchronized void alertActionStarted(AlertAction action, Instant forgetBefore) {
    transaction(
        "record that alert action " + action.operationId() + " started",
        () -> {
          try (PreparedStatement forget =
                  connection.prepareStatement(
                      "DELETE FROM xcm_alert_action WHERE alert_key = ? OR started_at < ?");
              PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO xcm_alert_action (alert_key, operation_id, started_at)"
                          + " VALUES (?, ?, ?)")) {
            // The same key again: the webhook forgot it (its memory is bounded), the journal not
            // yet.
            forget.setString(1, action.key());
            forget.setLong(2, forgetBefore.toEpochMilli());
            forget.executeUpdate();
            insert.setString(1, action.key());
            insert.setString(2, action.operationId());
            insert.setLong(3, action.at().toEpochMilli());
            insert.executeUpdate();
          }
        });
  }

  /** The alert actions started since {@code since}, oldest first. */
  public synchronized List<AlertAction> alertActionsSince(Instant since) {
    List<AlertAction> actions = new ArrayList<>();
    query(
        "read the alerts' started actions",
        "SELECT alert_key, operation_id, started_at FROM xcm_alert_action WHERE started_at >= "
            + since.toEpochMilli()
            + " ORDER BY started_at",
        r ->
            actions.add(
                new AlertAction(
                    r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)))));
    return actions;
  }

  /** Operations recorded as running, with their moves: what a restart must reconcile. */
  public synchronized List<JournaledOperation> unfinished() {
    List<JournaledOperation> operations = new ArrayList<>();
    List<String[]> heads = new ArrayList<>();
    query(
        "read unfinished operations",
        "SELECT id, kind, summary, requested_by, dry_run, started_at FROM xcm_operation"
            + " WHERE op_state = 'RUNNING' ORDER BY started_at",
        r ->
            heads.add(
                new String[] {
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  Boolean.toString(r.getBoolean(5)),
                  Long.toString(r.getLong(6))
                }));
    for (String[] h : heads) {
      operations.add(
          new JournaledOperation(
              h[0],
              h[1],
              h[2],
              h[3],
              Boolean.parseBoolean(h[4]),
              Instant.ofEpochMilli(Long.parseLong(h[5])),
              moves(h[0])));
    }
    return operations;
  }

  /** Every move of an operation, in plan order. */
  public synchronized List<JournaledMove> moves(String operationId) {
    return readMoves(
        "the moves of operation " + operationId,
        "WHERE operation_id = ? ORDER BY move_index",
        operationId);
  }

  /**
   * Moves whose end nobody could tell yet (UNSETTLED), the oldest first, across all operations:
   * what the coordinator settles when their agents answer, and whose domains no request may move.
   */
  public synchronized List<JournaledMove> unsettled() {
    return readMoves(
        "unsettled moves",
        "WHERE phase = ? ORDER BY updated_at, operation_id, move_index",
        JournaledMove.UNSETTLED);
  }

  /**
   * Every move recorded, the most recently changed last: what a check of the journal against the
   * hypervisors reads (the last ended move of a domain says where it must be).
   */
  public synchronized List<JournaledMove> allMoves() {
    return readMoves("all moves", "ORDER BY updated_at, operation_id, move_index");
  }

  private List<JournaledMove> readMoves(String what, String clauses, String... parameters) {
    List<JournaledMove> moves = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT operation_id, move_index, domain_name, domain_uuid, from_host, from_url,"
                + " to_host, to_url, phase, agent_migration, attempts, error FROM xcm_move "
                + clauses)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          moves.add(
              new JournaledMove(
                  new MoveRequest(
                      r.getString(1),
                      r.getInt(2),
                      r.getString(3),
                      r.getString(4),
                      r.getString(5),
                      r.getString(6),
                      r.getString(7),
                      r.getString(8)),
                  r.getString(9),
                  r.getString(10),
                  r.getInt(11),
                  r.getString(12)));
        }
      }
    } catch (SQLException e) {
      throw new JournalException(
          "cannot read " + what + " from the journal at " + url + ": " + e.getMessage(), e);
    }
    return moves;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing after a failure: the connection is gone either way.
    }
  }

  private interface Work {
    void run() throws SQLException;
  }

  private interface Row {
    void read(ResultSet row) throws SQLException;
  }

  private void transaction(String what, Work work) {
    try {
      connection.setAutoCommit(false);
      try {
        work.run();
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

  private void query(String what, String sql, Row row) {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        row.read(rows);
      }
    } catch (SQLException e) {
      throw new JournalException(
          "cannot " + what + " from the journal at " + url + ": " + e.getMessage(), e);
    }
  }

  private static void nullableString(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
