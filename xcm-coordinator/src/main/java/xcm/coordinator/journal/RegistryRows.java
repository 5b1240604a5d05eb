package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolledStore;
import xcm.trust.enrol.TokenRecord;
import xcm.trust.enrol.TokenStore;

/**
 * Who the hosts are, as every coordinator on the journal sees them: the enrolled hosts and the
 * certificates revoked ({@link #enrolled()}), the enrolment tokens ({@link #tokens()}), the agent
 * URLs operators added and removed ({@link #members}), and the authority they all trust. Only the
 * active coordinator changes them (under its lease); every change raises the registry's version, so
 * that each coordinator reads only what changed since it last looked.
 *
 * <p>Thread-safe.
 */
public final class RegistryRows {
  private final JournalDatabase db;
  private final Clock clock;

  RegistryRows(JournalDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The fingerprint of the authority the registry's certificates come from; empty until set. */
  public Optional<String> authority() {
    String[] recorded = {null};
    db.read(
        "the cluster authority's fingerprint",
        "SELECT authority FROM xcm_registry WHERE id = 1",
        s -> {},
        r -> recorded[0] = r.getString(1));
    return Optional.ofNullable(recorded[0]);
  }

  /**
   * What a coordinator's state directory held before the journal kept it: the first coordinator
   * started on the journal brings it in.
   *
   * @param revoked serial (hex) → the host it was issued to ("" when unknown)
   */
  public record Seed(
      String authority,
      List<Enrolled> enrolled,
      Map<String, String> revoked,
      List<TokenRecord> tokens,
      List<String> members) {}

  /**
   * Records {@code seed}, all of it in one transaction, when no authority is recorded yet.
   *
   * @return true when it was recorded; false when the journal had an authority already (another
   *     coordinator's import, or an earlier one), and nothing was written
   */
  public boolean adopt(Seed seed) {
    boolean[] adopted = {false};
    db.writeAnyRole(
        "bring the enrolled hosts and members into the journal",
        c -> {
          adopted[0] = false;
          try (Statement lock = c.createStatement();
              ResultSet row =
                  lock.executeQuery("SELECT authority FROM xcm_registry WHERE id = 1 FOR UPDATE")) {
            if (!row.next() || row.getString(1) != null) {
              return;
            }
          }
          long version = bump(c);
          for (Enrolled e : seed.enrolled()) {
            putEnrolled(c, e, version);
          }
          for (Map.Entry<String, String> r : seed.revoked().entrySet()) {
            revoke(c, r.getKey(), r.getValue(), version);
          }
          for (String url : seed.members()) {
            member(c, url, false, version);
          }
          saveTokens(c, seed.tokens());
          try (PreparedStatement mark =
              c.prepareStatement(
                  "UPDATE xcm_registry SET authority = ?, imported_at = ? WHERE id = 1")) {
            mark.setString(1, seed.authority());
            mark.setLong(2, clock.millis());
            mark.executeUpdate();
          }
          adopted[0] = true;
        });
    return adopted[0];
  }

  /** The enrolled hosts and revoked certificates, as an enrolment desk keeps them. */
  public EnrolledStore enrolled() {
    return new EnrolledStore() {
      @Override
      public Changes since(long version) {
        return enrolledSince(version);
      }

      @Override
      public long put(Enrolled host) {
        long[] version = {0};
        db.write(
            "record that host " + host.host() + " is enrolled",
            c -> {
              version[0] = bump(c);
              putEnrolled(c, host, version[0]);
            });
        return version[0];
      }

      @Override
      public long remove(Enrolled host) {
        long[] version = {0};
        db.write(
            "remove host " + host.host() + " and revoke its certificate",
            c -> {
              version[0] = bump(c);
              try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_enrolled WHERE host = ?")) {
                delete.setString(1, host.host());
                delete.executeUpdate();
              }
              revoke(c, host.serial(), host.host(), version[0]);
              member(c, host.url(), true, version[0]);
            });
        return version[0];
      }
    };
  }

  /** The enrolment tokens: read whole, written whole by the active coordinator. */
  public TokenStore tokens() {
    return new TokenStore() {
      @Override
      public List<TokenRecord> load() {
        List<TokenRecord> all = new ArrayList<>();
        db.read(
            "the enrolment tokens",
            "SELECT host, sha256, issued_at, expires_at, redeemed_at FROM xcm_enrol_token",
            s -> {},
            r -> {
              long redeemed = r.getLong(5);
              Optional<Instant> redeemedAt =
                  r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(redeemed));
              all.add(
                  new TokenRecord(
                      r.getString(1),
                      r.getString(2),
                      Instant.ofEpochMilli(r.getLong(3)),
                      Instant.ofEpochMilli(r.getLong(4)),
                      redeemedAt));
            });
        return all;
      }

      @Override
      public void save(List<TokenRecord> records) {
        db.write("record the enrolment tokens", c -> saveTokens(c, records));
      }
    };
  }

  /** An agent URL an operator added, or removed. */
  public record Member(String url, boolean removed) {}

  /**
   * Agent URLs added and removed after {@code version}, each as it is now, in the order of their
   * last change.
   *
   * @param version the registry's version these changes bring a reader to
   */
  public record MemberChanges(long version, List<Member> members) {
    /** The URLs added and not removed. */
    public List<String> added() {
      return members.stream().filter(m -> !m.removed()).map(Member::url).toList();
    }
  }

  public MemberChanges members(long since) {
    long now = version();
    List<Member> members = new ArrayList<>();
    db.read(
        "the members added and removed",
        "SELECT url, removed FROM xcm_member WHERE version > ? AND version <= ? ORDER BY version",
        s -> {
          s.setLong(1, since);
          s.setLong(2, now);
        },
        r -> members.add(new Member(r.getString(1), r.getBoolean(2))));
    return new MemberChanges(now, members);
  }

  /** An operator added the agent at {@code url}. */
  public void addMember(String url) {
    db.write("record member " + url, c -> member(c, url, false, bump(c)));
  }

  /** An operator removed the agent at {@code url}. */
  public void removeMember(String url) {
    db.write("record that member " + url + " was removed", c -> member(c, url, true, bump(c)));
  }

  /** The registry's version: raised by every change. */
  public long version() {
    long[] version = {0};
    db.read(
        "the registry's version",
        "SELECT version FROM xcm_registry WHERE id = 1",
        s -> {},
        r -> version[0] = r.getLong(1));
    return version[0];
  }

  private EnrolledStore.Changes enrolledSince(long since) {
    long now = version();
    List<Enrolled> enrolled = new ArrayList<>();
    db.read(
        "the enrolled hosts",
        "SELECT host, libvirt_uuid, url, fingerprint, serial, certificate, enrolled_at, not_after"
            + " FROM xcm_enrolled WHERE version > ? AND version <= ?",
        s -> {
          s.setLong(1, since);
          s.setLong(2, now);
        },
        r ->
            enrolled.add(
                new Enrolled(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    Instant.ofEpochMilli(r.getLong(7)),
                    Instant.ofEpochMilli(r.getLong(8)))));
    Set<String> removed = new LinkedHashSet<>();
    Set<String> revoked = new LinkedHashSet<>();
    db.read(
        "the revoked certificates",
        "SELECT serial, host FROM xcm_revoked WHERE version > ? AND version <= ?",
        s -> {
          s.setLong(1, since);
          s.setLong(2, now);
        },
        r -> {
          revoked.add(r.getString(1));
          if (!r.getString(2).isEmpty()) {
            removed.add(r.getString(2));
          }
        });
    return new EnrolledStore.Changes(now, enrolled, removed, revoked);
  }

  /**
   * Raises the registry's version. The row stays locked until the transaction ends, so changes
   * commit in the order of their versions.
   */
  private static long bump(Connection c) throws SQLException {
    try (Statement update = c.createStatement()) {
      update.executeUpdate("UPDATE xcm_registry SET version = version + 1 WHERE id = 1");
      try (ResultSet row = update.executeQuery("SELECT version FROM xcm_registry WHERE id = 1")) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void putEnrolled(Connection c, Enrolled e, long version) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM xcm_enrolled WHERE host = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO xcm_enrolled (host, libvirt_uuid, url, fingerprint, serial,"
                    + " certificate, enrolled_at, not_after, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      delete.setString(1, e.host());
      delete.executeUpdate();
      insert.setString(1, e.host());
      insert.setString(2, e.libvirtUuid());
      insert.setString(3, e.url());
      insert.setString(4, e.fingerprint());
      insert.setString(5, e.serial());
      insert.setString(6, e.certificate());
      insert.setLong(7, e.enrolledAt().toEpochMilli());
      insert.setLong(8, e.notAfter().toEpochMilli());
      insert.setLong(9, version);
      insert.executeUpdate();
    }
  }

  private void revoke(Connection c, String serial, String host, long version) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM xcm_revoked WHERE serial = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO xcm_revoked (serial, host, revoked_at, version) VALUES (?, ?, ?, ?)")) {
      delete.setString(1, serial);
      delete.executeUpdate();
      insert.setString(1, serial);
      insert.setString(2, cut(host, 255));
      insert.setLong(3, clock.millis());
      insert.setLong(4, version);
      insert.executeUpdate();
    }
  }

  private static void member(Connection c, String url, boolean removed, long version)
      throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM xcm_member WHERE url = ?");
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO xcm_member (url, removed, version) VALUES (?, ?, ?)")) {
      delete.setString(1, url);
      delete.executeUpdate();
      insert.setString(1, cut(url, 1024));
      insert.setBoolean(2, removed);
      insert.setLong(3, version);
      insert.executeUpdate();
    }
  }

  private static void saveTokens(Connection c, List<TokenRecord> records) throws SQLException {
    try (Statement delete = c.createStatement();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO xcm_enrol_token (sha256, host, issued_at, expires_at, redeemed_at)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      delete.executeUpdate("DELETE FROM xcm_enrol_token");
      for (TokenRecord t : records) {
        insert.setString(1, t.sha256());
        insert.setString(2, t.name());
        insert.setLong(3, t.issuedAt().toEpochMilli());
        insert.setLong(4, t.expiresAt().toEpochMilli());
        if (t.redeemedAt().isPresent()) {
          insert.setLong(5, t.redeemedAt().get().toEpochMilli());
        } else {
          insert.setNull(5, Types.BIGINT);
        }
        insert.executeUpdate();
      }
    }
  }
}
