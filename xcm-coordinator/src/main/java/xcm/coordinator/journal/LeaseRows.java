package xcm.coordinator.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The leader row: which coordinator holds the lease, under which epoch, until when. Every time is
 * the database's, so coordinators whose clocks disagree still agree on when a lease ran out. Each
 * call is one short transaction of its own, whoever holds the lease.
 *
 * <p>Thread-safe.
 */
public final class LeaseRows {
  /** The database's clock in milliseconds: the same SQL on H2 and PostgreSQL. */
  private static final String NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

  private final JournalDatabase db;

  LeaseRows(JournalDatabase db) {
    this.db = db;
  }

  /**
   * The lease as the journal holds it.
   *
   * @param holder the holding coordinator run's id, empty while nobody holds it
   * @param remaining how long the lease still holds by the database's clock (negative: ran out)
   */
  public record Lease(
      long epoch, Optional<String> holder, String name, String url, Duration remaining) {
    /** True while a coordinator holds the lease and it has not run out. */
    public boolean held() {
      return holder.isPresent() && !remaining.isNegative();
    }
  }

  /**
   * Takes the lease for {@code lease} from now, raising the epoch, when nobody holds it or its
   * holder let it run out; with {@code evenIfHeld}, also from a holder that cannot be alive (the
   * journal is one process's, as an H2 file is).
   *
   * @return the new epoch, or empty when another coordinator holds the lease
   */
  public OptionalLong take(
      String holder, String name, String url, Duration lease, boolean evenIfHeld) {
    long[] epoch = {0};
    db.writeAnyRole(
        "take the coordinators' lease",
        c -> {
          waitAtMost(c, lease.dividedBy(4));
          if (db.shared()) {
            // Waits for the former active's writes in flight (they key-share-lock the row).
            try (Statement lock = c.createStatement()) {
              lock.execute("SELECT epoch FROM xcm_leader WHERE id = 1 FOR UPDATE");
            }
          }
          try (PreparedStatement take =
                  c.prepareStatement(
                      "UPDATE xcm_leader SET epoch = epoch + 1, holder = ?, holder_name = ?,"
                          + " holder_url = ?, expires_at = "
                          + NOW
                          + " + ? WHERE id = 1 AND (holder IS NULL OR expires_at < "
                          + NOW
                          + " OR ?)");
              PreparedStatement taken =
                  c.prepareStatement("SELECT epoch FROM xcm_leader WHERE id = 1 AND holder = ?")) {
            take.setString(1, holder);
            take.setString(2, JournalDatabase.cut(name, 255));
            take.setString(3, JournalDatabase.cut(url, 1024));
            take.setLong(4, lease.toMillis());
            take.setBoolean(5, evenIfHeld);
            if (take.executeUpdate() == 0) {
              return;
            }
            taken.setString(1, holder);
            try (ResultSet row = taken.executeQuery()) {
              epoch[0] = row.next() ? row.getLong(1) : 0;
            }
          }
        });
    return epoch[0] == 0 ? OptionalLong.empty() : OptionalLong.of(epoch[0]);
  }

  /**
   * Extends the lease {@code holder} took under {@code epoch} to {@code lease} from now, even if it
   * ran out meanwhile, as long as nobody took it since.
   *
   * @return false when another coordinator has taken the lease since
   */
  public boolean renew(String holder, long epoch, Duration lease) {
    int[] renewed = {0};
    db.writeAnyRole(
        "renew the coordinators' lease",
        c -> {
          waitAtMost(c, lease.dividedBy(4));
          try (PreparedStatement renew =
              c.prepareStatement(
                  "UPDATE xcm_leader SET expires_at = "
                      + NOW
                      + " + ? WHERE id = 1 AND holder = ? AND epoch = ?")) {
            renew.setLong(1, lease.toMillis());
            renew.setString(2, holder);
            renew.setLong(3, epoch);
            renewed[0] = renew.executeUpdate();
          }
        });
    return renewed[0] == 1;
  }

  /**
   * A lock the statement cannot get within {@code wait} fails it, on PostgreSQL: a former active
   * paused in the middle of a write must not hold a takeover up for long (and its session ends once
   * it has sat idle in its transaction for half a lease: Journal.open's paused-write limit).
   */
  private void waitAtMost(Connection c, Duration wait) throws SQLException {
    if (db.shared()) {
      try (Statement set = c.createStatement()) {
        set.execute("SET LOCAL lock_timeout = " + Math.max(1, wait.toMillis()));
      }
    }
  }

  /** Gives up the lease {@code holder} holds under {@code epoch}: a standby takes it at once. */
  public void release(String holder, long epoch) {
    db.writeAnyRole(
        "give up the coordinators' lease",
        c -> {
          try (PreparedStatement release =
              c.prepareStatement(
                  "UPDATE xcm_leader SET holder = NULL, expires_at = 0"
                      + " WHERE id = 1 AND holder = ? AND epoch = ?")) {
            release.setString(1, holder);
            release.setLong(2, epoch);
            release.executeUpdate();
          }
        });
  }

  /** The lease now. */
  public Lease current() {
    Lease[] lease = {new Lease(0, Optional.empty(), "", "", Duration.ZERO.minusMillis(1))};
    db.read(
        "the coordinators' lease",
        "SELECT epoch, holder, holder_name, holder_url, expires_at - "
            + NOW
            + " FROM xcm_leader WHERE id = 1",
        s -> {},
        r ->
            lease[0] =
                new Lease(
                    r.getLong(1),
                    Optional.ofNullable(r.getString(2)),
                    r.getString(3) == null ? "" : r.getString(3),
                    r.getString(4) == null ? "" : r.getString(4),
                    Duration.ofMillis(r.getLong(5))));
    return lease[0];
  }
}
