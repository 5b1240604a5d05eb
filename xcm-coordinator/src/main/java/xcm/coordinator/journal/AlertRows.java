package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Alertmanager's alerts in the journal: those whose action the webhook started, so that a restarted
 * coordinator (or the one taking over) does not start it again, and those a standby received and
 * kept for the active one.
 */
final class AlertRows {
  private final JournalDatabase db;

  AlertRows(JournalDatabase db) {
    this.db = db;
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

  /**
   * Keeps an alert for the active coordinator, unless one of its key waits already or {@code
   * capacity} do.
   *
   * @return false when the inbox holds {@code capacity} alerts: this one was not kept
   */
  boolean alertReceived(Journal.ReceivedAlert alert, int capacity) {
    boolean[] kept = {true};
    db.writeAnyRole(
        "keep alert " + alert.fingerprint() + " for the active coordinator",
        c -> {
          try (PreparedStatement count =
                  c.prepareStatement("SELECT COUNT(*) FROM xcm_alert_inbox");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_alert_inbox (alert_key, alertname, fingerprint, action, host,"
                          + " policy, starts_at, received_at, received_by)"
                          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                          + " (SELECT 1 FROM xcm_alert_inbox WHERE alert_key = ?)")) {
            try (ResultSet rows = count.executeQuery()) {
              if (rows.next() && rows.getLong(1) >= capacity) {
                kept[0] = false;
                return;
              }
            }
            insert.setString(1, alert.key());
            insert.setString(2, cut(alert.alertname(), 255));
            insert.setString(3, cut(alert.fingerprint(), 64));
            insert.setString(4, cut(alert.action(), 64));
            insert.setString(5, cut(alert.host(), 255));
            insert.setString(6, cut(alert.policy(), 1024));
            insert.setString(7, cut(alert.startsAt(), 64));
            insert.setLong(8, alert.receivedAt().toEpochMilli());
            insert.setString(9, cut(alert.receivedBy(), 255));
            insert.setString(10, alert.key());
            insert.executeUpdate();
          }
        });
    return kept[0];
  }

  /** The alerts standbys kept, oldest first, at most {@code limit}. */
  List<Journal.ReceivedAlert> alertsReceived(int limit) {
    List<Journal.ReceivedAlert> alerts = new ArrayList<>();
    db.read(
        "the alerts kept for the active coordinator",
        "SELECT alert_key, alertname, fingerprint, action, host, policy, starts_at, received_at,"
            + " received_by FROM xcm_alert_inbox ORDER BY received_at FETCH FIRST ? ROWS ONLY",
        s -> s.setInt(1, limit),
        r ->
            alerts.add(
                new Journal.ReceivedAlert(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getString(7),
                    Instant.ofEpochMilli(r.getLong(8)),
                    r.getString(9))));
    return alerts;
  }

  /** The active coordinator has acted on (or refused) a kept alert. */
  void alertHandled(String key) {
    db.write(
        "take a handled alert out of the inbox",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM xcm_alert_inbox WHERE alert_key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
          }
        });
  }

  /** An alert resolved: its firings kept for the active coordinator are over. */
  void alertsResolved(String fingerprint) {
    db.writeAnyRole(
        "take a resolved alert's firings out of the inbox",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM xcm_alert_inbox WHERE fingerprint = ?")) {
            delete.setString(1, cut(fingerprint, 64));
            delete.executeUpdate();
          }
        });
  }
}
