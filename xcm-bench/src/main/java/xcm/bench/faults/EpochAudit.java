package xcm.bench.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the journal holds of the terms before a takeover, read as an auditor reads it, straight from
 * its tables: the operations (whose ids carry the epoch of the term that started them, {@code
 * e7-3}) and their moves with the agent migration each was handed to. Taken when the new active is
 * seen acting and again after the trial, the two must differ only in the phases the new active's
 * recovery ended: a former active that was paused or cut off and came back records nothing.
 *
 * <p>Immutable.
 */
record EpochAudit(long epoch, Set<String> operations, Map<String, Move> moves) {
  private static final Pattern OPERATION_ID = Pattern.compile("^e(\\d+)-\\d+$");

  /** One move as the journal holds it: its phase and the agent's migration id (null: none). */
  record Move(String phase, String agentMigration) {}

  /**
   * The operations and moves of every epoch before {@code epoch} that the journal at {@code
   * connection} holds.
   */
  static EpochAudit read(Connection connection, long epoch) throws SQLException {
    Set<String> operations = new TreeSet<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT id FROM xcm_operation");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        if (epochOf(rows.getString(1)) < epoch) {
          operations.add(rows.getString(1));
        }
      }
    }
    Map<String, Move> moves = new TreeMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT operation_id, move_index, phase, agent_migration FROM xcm_move");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        if (epochOf(rows.getString(1)) < epoch) {
          moves.put(
              rows.getString(1) + "#" + rows.getInt(2),
              new Move(rows.getString(3), rows.getString(4)));
        }
      }
    }
    return new EpochAudit(epoch, Set.copyOf(operations), Map.copyOf(moves));
  }

  /**
   * The epoch of the term that started the operation {@code id} ({@code e7-3}: 7); 0 for an id of
   * another form (none is written so since epochs exist).
   */
  static long epochOf(String id) {
    Matcher m = OPERATION_ID.matcher(id);
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * What the journal gained under an earlier epoch since {@code atTakeover} was read: an operation
   * or a move that was not there, or a move handed to an agent migration it was not handed to. A
   * phase changed is no difference: the new active's recovery ends the moves it finds running.
   */
  static List<String> since(EpochAudit atTakeover, EpochAudit now) {
    List<String> wrong = new ArrayList<>();
    for (String op : new TreeSet<>(now.operations())) {
      if (!atTakeover.operations().contains(op)) {
        wrong.add("operation " + op + " recorded after epoch " + atTakeover.epoch() + " began");
      }
    }
    for (Map.Entry<String, Move> move : new TreeMap<>(now.moves()).entrySet()) {
      Move before = atTakeover.moves().get(move.getKey());
      if (before == null) {
        wrong.add(
            "move " + move.getKey() + " recorded after epoch " + atTakeover.epoch() + " began");
      } else if (move.getValue().agentMigration() != null
          && !Objects.equals(move.getValue().agentMigration(), before.agentMigration())) {
        wrong.add(
            "move "
                + move.getKey()
                + " handed to agent migration "
                + move.getValue().agentMigration()
                + " after epoch "
                + atTakeover.epoch()
                + " began (it was "
                + (before.agentMigration() == null ? "none" : before.agentMigration())
                + ", "
                + before.phase()
                + ")");
      }
    }
    return wrong;
  }
}
