package xcm.coordinator.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * The journal's tables, from {@code schema.sql}: created where missing, brought up to date where a
 * earlier version made them. Each {@code {{Enum}}} in the file becomes the quoted names of that
 * enum, so a CHECK constraint never disagrees with what the code writes.
 */
final class JournalSchema {
  private static final Map<String, Class<? extends Enum<?>>> ENUMS =
      Map.of(
          "MovePhase", MovePhase.class,
          "OperationType", OperationType.class,
          "OperationState", OperationState.class,
          "HostState", HostState.class);

  private JournalSchema() {}

  static void apply(Connection connection) throws SQLException, IOException {
    writeThrough(connection);
    widenKindCheck(connection);
    StringBuilder sql = new StringBuilder();
    try (Statement statement = connection.createStatement()) {
      for (String line : schema().split("\n")) {
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

  /**
   * A journal made before an operation type was added checks its kinds against the older list: that
   * CHECK is replaced by one of every type this code writes. Runs before the schema, which creates
   * the table with the full list where it is missing.
   */
  private static void widenKindCheck(Connection connection) throws SQLException {
    List<String> stale = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT tc.constraint_name, cc.check_clause FROM information_schema.table_constraints"
                + " tc JOIN information_schema.check_constraints cc ON tc.constraint_name ="
                + " cc.constraint_name AND tc.constraint_schema = cc.constraint_schema WHERE"
                + " LOWER(tc.table_name) = 'xcm_operation' AND tc.constraint_type = 'CHECK'")) {
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String clause = rows.getString(2).toUpperCase(Locale.ROOT);
          if (clause.contains("'DRAIN'") && !allNamed(clause, OperationType.class)) {
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
        statement.execute("ALTER TABLE xcm_operation DROP CONSTRAINT \"" + name + "\"");
      }
      statement.execute(
          "ALTER TABLE xcm_operation ADD CONSTRAINT xcm_operation_kind CHECK (kind IN ("
              + quoted(OperationType.class)
              + "))");
    }
  }

  private static boolean allNamed(String clause, Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .allMatch(c -> clause.contains("'" + c.name() + "'"));
  }

  /** The schema with every enum placeholder replaced. */
  static String schema() throws IOException {
    String schema;
    try (InputStream in =
        JournalSchema.class.getResourceAsStream("/xcm/coordinator/journal/schema.sql")) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, Class<? extends Enum<?>>> e : ENUMS.entrySet()) {
      schema = schema.replace("{{" + e.getKey() + "}}", quoted(e.getValue()));
    }
    return schema;
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
