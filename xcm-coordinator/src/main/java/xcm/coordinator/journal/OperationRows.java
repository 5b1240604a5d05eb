package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;
import static xcm.coordinator.journal.JournalDatabase.nullableString;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

/**
 * Operations and their moves in the journal: each operation with its moves written before the
 * coordinator acts, each move's phase as it goes, and what a restarted coordinator reads back.
 */
final class OperationRows {
  private static final String MOVE_COLUMNS =
      "SELECT operation_id, move_index, domain_name, domain_uuid, from_host, from_url, to_host,"
          + " to_url, phase, agent_migration, attempts, error FROM xcm_move ";

  private final JournalDatabase db;
  private final Clock clock;

  OperationRows(JournalDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Records a new operation and its moves, all PENDING, in one transaction. */
  void operationStarted(
      String id,
      JournaledOperation.Kind kind,
      String summary,
      String requestedBy,
      List<MoveRequest> moves) {
    long now = clock.millis();
    db.write(
        "record operation " + id,
        c -> {
          try (PreparedStatement op =
              c.prepareStatement(
                  "INSERT INTO xcm_operation (id, kind, domain_name, host, policy, summary,"
                      + " requested_by, dry_run, op_state, started_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            op.setString(1, id);
            op.setString(2, kind.type().name());
            nullableString(op, 3, cut(kind.domain(), 512));
            nullableString(op, 4, cut(kind.host(), 255));
            nullableString(op, 5, cut(kind.policy(), 1024));
            op.setString(6, cut(summary, 1024));
            op.setString(7, cut(requestedBy, 512));
            op.setBoolean(8, kind.dryRun());
            op.setString(9, OperationState.RUNNING.name());
            op.setLong(10, now);
            op.executeUpdate();
          }
          try (PreparedStatement move =
              c.prepareStatement(
                  "INSERT INTO xcm_move (operation_id, move_index, domain_name, domain_uuid,"
                      + " from_host, from_url, to_host, to_url, phase, attempts, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
            for (MoveRequest m : moves) {
              move.setString(1, id);
              move.setInt(2, m.index());
              move.setString(3, m.domain());
              move.setString(4, m.uuid());
              move.setString(5, m.from());
              move.setString(6, m.fromUrl());
              move.setString(7, m.to());
              move.setString(8, m.toUrl());
              move.setString(9, MovePhase.PENDING.name());
              move.setLong(10, now);
              move.addBatch();
            }
            if (!moves.isEmpty()) {
              move.executeBatch();
            }
          }
        });
  }

  void movePhase(
      MoveRequest move, MovePhase phase, String agentMigration, int attempts, String error) {
    db.write(
        "record move " + move,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE xcm_move SET phase = ?, agent_migration = CASE WHEN ? THEN NULL"
                      + " ELSE COALESCE(?, agent_migration) END,"
                      + " attempts = CASE WHEN ? < 0 THEN attempts ELSE ? END,"
                      + " error = COALESCE(?, error), updated_at = ?"
                      + " WHERE operation_id = ? AND move_index = ?")) {
            update.setString(1, phase.name());
            update.setBoolean(2, phase == MovePhase.DISPATCHING);
            nullableString(update, 3, agentMigration);
            update.setInt(4, attempts);
            update.setInt(5, attempts);
            nullableString(update, 6, cut(error, 4000));
            update.setLong(7, clock.millis());
            update.setString(8, move.operationId());
            update.setInt(9, move.index());
            update.executeUpdate();
          }
        });
  }

  /** The operation ended. */
  void operationEnded(String id, OperationState state, List<String> errors) {
    db.write(
        "record the end of operation " + id,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE xcm_operation SET op_state = ?, finished_at = ?, errors = ? WHERE id = ?")) {
            update.setString(1, state.name());
            update.setLong(2, clock.millis());
            update.setString(3, cut(String.join("\n", errors), 8000));
            update.setString(4, id);
            update.executeUpdate();
          }
        });
  }

  /** An operator cancelled the operation. */
  void operationCancelled(String id) {
    db.write(
        "record that operation " + id + " was cancelled",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE xcm_operation SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL")) {
            update.setLong(1, clock.millis());
            update.setString(2, id);
            update.executeUpdate();
          }
        });
  }

  /** Operations recorded as running, with their moves: what a restart must reconcile. */
  List<JournaledOperation> unfinished() {
    List<JournaledOperation> heads = new ArrayList<>();
    db.read(
        "unfinished operations",
        "SELECT id, kind, domain_name, host, policy, dry_run, summary, requested_by, started_at,"
            + " cancelled_at FROM xcm_operation WHERE op_state = ? ORDER BY started_at",
        s -> s.setString(1, OperationState.RUNNING.name()),
        r ->
            heads.add(
                new JournaledOperation(
                    r.getString(1),
                    new JournaledOperation.Kind(
                        OperationType.valueOf(r.getString(2)),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getBoolean(6)),
                    r.getString(7),
                    r.getString(8),
                    Instant.ofEpochMilli(r.getLong(9)),
                    r.getObject(10) != null,
                    List.of())));
    List<JournaledOperation> operations = new ArrayList<>();
    for (JournaledOperation op : heads) {
      operations.add(
          new JournaledOperation(
              op.id(),
              op.kind(),
              op.summary(),
              op.requestedBy(),
              op.started(),
              op.cancelled(),
              moves(op.id())));
    }
    return operations;
  }

  /** Every move of an operation, in plan order. */
  List<JournaledMove> moves(String operationId) {
    return readMoves(
        "the moves of operation " + operationId,
        "WHERE operation_id = ? ORDER BY move_index",
        operationId);
  }

  /**
   * Moves whose end nobody could tell yet (UNSETTLED), the oldest first, across all operations:
   * what the coordinator settles when their agents answer, and whose domains no request may move.
   */
  List<JournaledMove> unsettled() {
    return readMoves(
        "unsettled moves",
        "WHERE phase = ? ORDER BY updated_at, operation_id, move_index",
        MovePhase.UNSETTLED.name());
  }

  /**
   * Every move recorded, the most recently changed last: what a check of the journal against the
   * hypervisors reads (the last ended move of a domain says where it must be).
   */
  List<JournaledMove> allMoves() {
    return readMoves("all moves", "ORDER BY updated_at, operation_id, move_index");
  }

  private List<JournaledMove> readMoves(String what, String clauses, String... parameters) {
    List<JournaledMove> moves = new ArrayList<>();
    db.read(
        what,
        MOVE_COLUMNS + clauses,
        s -> {
          for (int i = 0; i < parameters.length; i++) {
            s.setString(i + 1, parameters[i]);
          }
        },
        r ->
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
                    MovePhase.valueOf(r.getString(9)),
                    r.getString(10),
                    r.getInt(11),
                    r.getString(12))));
    return moves;
  }
}
