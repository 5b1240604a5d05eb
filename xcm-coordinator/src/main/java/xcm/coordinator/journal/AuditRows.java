package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What was asked of the coordinator, in the journal: the audit log's entries. */
final class AuditRows {
  private final JournalDatabase db;

  AuditRows(JournalDatabase db) {
    this.db = db;
  }

  void audit(Instant at, String door, String principal, String action, String result) {
    // A standby records the requests it refuses.
    db.writeAnyRole(
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
}
