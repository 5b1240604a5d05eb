package xcm.coordinator.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
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
