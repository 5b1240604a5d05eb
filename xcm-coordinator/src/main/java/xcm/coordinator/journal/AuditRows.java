package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What was asked of the coordinator and what the webhook started, in the journal: the audit log's
 * entries and the alerts whose actions ran, so that a restarted coordinator shows the first and
 * does not start the second again.
 */
final class AuditRows {
  private final JournalDatabase db;

  AuditRows(JournalDatabase db) {
    this.db = db;
  }

  void audit(Instant at, String door, String principal, String action, String result) {
    db.write(
        "record an audit entry",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO xcm_audit (at, door, principal, action, result) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, at.toEpochMilli());
            insert.setString(2, cut(door, 32));
            insert.setString(3, cut(principal, 512));
            insert.setString(4, cut(action, 2000));
            insert.setString(5, cut(result, 4000));
            insert.executeUpdate();
          }
        });
  }

  /**
   * Deletes the entries older than {@code before} and those beyond the newest {@code keep}, in one
   * transaction; entries sharing the millisecond of the oldest one kept are kept with it.
   *
   * @return how many entries were deleted
   */
  int prune(Instant before, int keep) {
    int[] deleted = {0};
    db.write(
        "prune the audit log",
        c -> {
          try (PreparedStatement old = c.prepareStatement("DELETE FROM xcm_audit WHERE at < ?");
              PreparedStatement beyond =
                  c.prepareStatement(
                      "DELETE FROM xcm_audit WHERE at < (SELECT at FROM xcm_audit ORDER BY at DESC"
                          + " OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY)")) {
            old.setLong(1, before.toEpochMilli());
            deleted[0] = old.executeUpdate();
            beyond.setInt(1, Math.max(0, keep - 1));
            deleted[0] += beyond.executeUpdate();
          }
        });
    return deleted[0];
  }

  /** How many entries the journal holds. */
  long count() {
    long[] count = {0};
    db.read(
        "the audit log's size",
        "SELECT COUNT(*) FROM xcm_audit",
        s -> {},
        r -> count[0] = r.getLong(1));
    return count[0];
  }

  List<Journal.AuditRow> recent(int limit) {
    List<Journal.AuditRow> rows = new ArrayList<>();
    db.read(
        "the audit log",
        "SELECT at, door, principal, action, result FROM xcm_audit ORDER BY at DESC FETCH FIRST "
            + Math.max(1, limit)
            + " ROWS ONLY",
        s -> {},
        r ->
            rows.add(
                new Journal.AuditRow(
                    Instant.ofEpochMilli(r.getLong(1)),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5))));
    return rows;
  }

  void alertActionStarted(Journal.AlertAction action, Instant forgetBefore) {
    db.write(
        "record that alert action " + action.operationId() + " started",
        c -> {
          try (PreparedStatement forget =
                  c.prepareStatement(
                      "DELETE FROM xcm_alert_action WHERE alert_key = ? OR started_at < ?");
              PreparedStatement insert =
                  c.prepareStatement(
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

  List<Journal.AlertAction> alertActionsSince(Instant since) {
    List<Journal.AlertAction> actions = new ArrayList<>();
    db.read(
        "the alerts' started actions",
        "SELECT alert_key, operation_id, started_at FROM xcm_alert_action WHERE started_at >= ?"
            + " ORDER BY started_at",
        s -> s.setLong(1, since.toEpochMilli()),
        r ->
            actions.add(
                new Journal.AlertAction(
                    r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)))));
    return actions;
  }
}
