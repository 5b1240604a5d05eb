package xcm.coordinator.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

/**
 * The journal's tables, brought to the version this XCM writes by ordered migrations, each recorded
 * in {@code xcm_schema_version} once applied: an upgrade of XCM never needs a hand-written SQL
 * step, and a journal that a newer XCM has migrated further is refused rather than misread.
 *
 * <p>Migration N is the file {@code VN.sql}. Each {@code {{Enum}}} in it becomes the quoted names
 * of that enum, so a CHECK constraint never disagrees with what the code writes. A migration and
 * its version row commit together where the database runs DDL in a transaction (PostgreSQL); H2
 * commits each DDL statement, so a migration must be idempotent ({@code IF NOT EXISTS}) to survive
 * being cut off half-way. Coordinators starting on one PostgreSQL at once migrate one after the
 * other, under an advisory lock; an H2 file is one process's.
 */
final class JournalSchema {
  /** The migrations, in order: the last one's version is the journal this XCM writes. */
  private static final List<String> MIGRATIONS =
      List.of(
          "operations, moves, host modes, audit, alert actions, domain definitions, fenced hosts",
          "leadership: the active coordinator's lease and epoch; alerts kept by standbys",
          "Quartz's JDBC job store, clustered (PostgreSQL only)",
          "who the hosts are: enrolled hosts, revoked certificates, members, enrolment tokens;"
              + " operations cancelled",
          "settings changed at run time: the continuous balancer's level and threshold, power"
              + " saving");

  private static final Map<String, Class<? extends Enum<?>>> ENUMS =
      Map.of(
          "MovePhase", MovePhase.class,
          "OperationType", OperationType.class,
          "OperationState", OperationState.class,
          "HostState", HostState.class);

  /** The advisory lock coordinators take on PostgreSQL while they migrate: "XCM1" in ASCII. */
  private static final long MIGRATION_LOCK = 0x58434d31L;

  private JournalSchema() {}

  /** The schema version this XCM writes. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the journal to {@link #latest}.
   *
   * @throws JournalException when a newer XCM has migrated the journal beyond what this one knows
   */
  static void apply(Connection connection, String url, Clock clock)
      throws SQLException, IOException {
    boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    if (postgres) {
      advisoryLock(connection, "pg_advisory_lock");
    }
    try {
      migrateAll(connection, url, clock, postgres);
    } finally {
      if (postgres) {
        advisoryLock(connection, "pg_advisory_unlock");
      }
    }
  }

  private static void advisoryLock(Connection connection, String function) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT " + function + "(" + MIGRATION_LOCK + ")");
    }
  }

  private static void migrateAll(Connection connection, String url, Clock clock, boolean postgres)
      throws SQLException, IOException {
    writeThrough(connection);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS xcm_schema_version (version INT PRIMARY KEY,"
              + " description VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
    }
    int at = version(connection);
    if (at > latest()) {
      throw new JournalException(
          "the journal at "
              + url
              + " is at schema version "
              + at
              + " and this XCM knows versions up to "
              + latest()
              + ": run the XCM that migrated it, or a newer one");
    }
    for (int v = at + 1; v <= latest(); v++) {
      migrate(connection, v, clock, postgres);
    }
    widenChecks(connection);
  }

  /** The highest version recorded; 0 for a journal from before versions (or an empty one). */
  private static int version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM xcm_schema_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static void migrate(Connection connection, int version, Clock clock, boolean postgres)
      throws SQLException, IOException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement();
        PreparedStatement record =
            connection.prepareStatement(
                "INSERT INTO xcm_schema_version (version, description, applied_at)"
                    + " VALUES (?, ?, ?)")) {
      for (String sql : statements(migration(version, postgres))) {
        statement.execute(sql);
      }
      record.setInt(1, version);
      record.setString(2, MIGRATIONS.get(version - 1));
      record.setLong(3, clock.millis());
      record.executeUpdate();
      connection.commit();
    } catch (SQLException | IOException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** The file's statements: separated by semicolons at line ends, comment lines left out. */
  private static List<String> statements(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder statement = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      statement.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        statements.add(statement.substring(0, statement.lastIndexOf(";")));
        statement.setLength(0);
      }
    }
    return statements;
  }

  /**
   * A journal made before an operation type or a host state was added checks those columns against
   * the older lists: each such CHECK is replaced by one of every value this code writes. Runs at
   * every start, after the migrations: a new operation type or host state needs no migration.
   */
  private static void widenChecks(Connection connection) throws SQLException {
    widenCheck(connection, "xcm_operation", "kind", "'DRAIN'", OperationType.class);
    widenCheck(connection, "xcm_host_mode", "host_mode", "'MAINTENANCE'", HostState.class);
  }

  /**
   * Replaces the CHECKs on {@code table} that name {@code marker} (the column's list of values) but
   * not every value of {@code type}.
   */
  private static void widenCheck(
      Connection connection,
      String table,
      String column,
      String marker,
      Class<? extends Enum<?>> type)
      throws SQLException {
    List<String> stale = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT tc.constraint_name, cc.check_clause FROM information_schema.table_constraints"
                + " tc JOIN information_schema.check_constraints cc ON tc.constraint_name ="
                + " cc.constraint_name AND tc.constraint_schema = cc.constraint_schema WHERE"
                + " LOWER(tc.table_name) = ? AND tc.constraint_type = 'CHECK'")) {
      select.setString(1, table);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String clause = rows.getString(2).toUpperCase(Locale.ROOT);
          if (clause.contains(marker) && !allNamed(clause, type)) {
            stale.add(rows.getString(1));
          }
        }
      }
    }
    if (stale.isEmpty()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      for (String name : stale) {
        statement.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + name + "\"");
      }
      statement.execute(
          "ALTER TABLE "
              + table
              + " ADD CONSTRAINT "
              + table
              + "_"
              + column
              + " CHECK ("
              + column
              + " IN ("
              + quoted(type)
              + "))");
    }
  }

  private static boolean allNamed(String clause, Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .allMatch(c -> clause.contains("'" + c.name() + "'"));
  }

  /** Migration {@code version} with every placeholder replaced, for the database it runs on. */
  static String migration(int version, boolean postgres) throws IOException {
    String sql;
    try (InputStream in =
        JournalSchema.class.getResourceAsStream("/xcm/coordinator/journal/V" + version + ".sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, Class<? extends Enum<?>>> e : ENUMS.entrySet()) {
      sql = sql.replace("{{" + e.getKey() + "}}", quoted(e.getValue()));
    }
    if (sql.contains(QUARTZ_TABLES)) {
      sql = sql.replace(QUARTZ_TABLES, postgres ? quartzTables() : "");
    }
    return sql;
  }

  private static final String QUARTZ_TABLES = "{{QuartzTables}}";

  /**
   * Quartz's DDL for PostgreSQL, as its jar ships it, without the DROPs and the COMMIT, each table
   * and index created only if missing.
   */
  private static String quartzTables() throws IOException {
    String ddl;
    try (InputStream in =
        JournalSchema.class.getResourceAsStream(
            "/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
      if (in == null) {
        throw new IOException("the Quartz jar on the class path has no tables_postgres.sql");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder kept = new StringBuilder();
    for (String line : ddl.split("\n")) {
      String upper = line.strip().toUpperCase(Locale.ROOT);
      if (upper.startsWith("DROP ") || upper.startsWith("COMMIT")) {
        continue;
      }
      // Idempotent, as every migration is: a journal whose version row was lost is migrated again.
      kept.append(
              line.replaceFirst("(?i)^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
                  .replaceFirst("(?i)^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "))
          .append('\n');
    }
    return kept.toString();
  }

  private static String quoted(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> "'" + c.name() + "'")
        .collect(Collectors.joining(", "));
  }

  /**
   * H2 keeps committed changes in memory for up to half a second by default; a coordinator killed
   * in that window would forget a move it had already asked an agent for. With no delay each commit
   * reaches the file before the coordinator acts on it.
   */
  private static void writeThrough(Connection connection) throws SQLException {
    if (connection.getMetaData().getDatabaseProductName().equals("H2")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET WRITE_DELAY 0");
      }
    }
  }
}
