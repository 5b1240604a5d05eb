package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the journal keeps for host failures: the domains' definitions ({@link FetchedDefinition})
 * and the hosts fenced ({@link FencedHost}).
 */
final class FailureRows {
  private final JournalDatabase db;

  FailureRows(JournalDatabase db) {
    this.db = db;
  }

  /**
   * Writes each fetched definition, XML and all, over the one of its UUID, and what was seen anew
   * of the others (host, state, size, rules) over theirs, keeping their XML; all in one
   * transaction.
   */
  void save(Collection<FetchedDefinition> fetched, Collection<DomainDefinition> seen) {
    if (fetched.isEmpty() && seen.isEmpty()) {
      return;
    }
    db.write(
        "record " + (fetched.size() + seen.size()) + " domain definitions",
        c -> {
          try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_domain_definition WHERE domain_uuid = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_domain_definition (domain_uuid, domain_name, host, running,"
                          + " memory_bytes, vcpus, rules, digest, definition, seen_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
              PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE xcm_domain_definition SET host = ?, running = ?, memory_bytes = ?,"
                          + " vcpus = ?, rules = ?, seen_at = ? WHERE domain_uuid = ?")) {
            for (FetchedDefinition f : fetched) {
              DomainDefinition d = f.definition();
              delete.setString(1, d.uuid());
              delete.executeUpdate();
              insert.setString(1, d.uuid());
              insert.setString(2, cut(d.name(), 512));
              insert.setString(3, cut(d.host(), 255));
              insert.setBoolean(4, d.running());
              insert.setLong(5, d.memoryBytes());
              insert.setInt(6, d.vcpus());
              insert.setString(7, cut(d.rules(), 4000));
              insert.setString(8, cut(d.digest(), 64));
              insert.setString(9, f.xml());
              insert.setLong(10, d.seenAt().toEpochMilli());
              insert.executeUpdate();
            }
            for (DomainDefinition d : seen) {
              update.setString(1, cut(d.host(), 255));
              update.setBoolean(2, d.running());
              update.setLong(3, d.memoryBytes());
              update.setInt(4, d.vcpus());
              update.setString(5, cut(d.rules(), 4000));
              update.setLong(6, d.seenAt().toEpochMilli());
              update.setString(7, d.uuid());
              update.executeUpdate();
            }
          }
        });
  }

  void forget(Collection<String> uuids) {
    if (uuids.isEmpty()) {
      return;
    }
    db.write(
        "forget " + uuids.size() + " domain definitions",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM xcm_domain_definition WHERE domain_uuid = ?")) {
            for (String uuid : uuids) {
              delete.setString(1, uuid);
              delete.executeUpdate();
            }
          }
        });
  }

  List<DomainDefinition> all() {
    List<DomainDefinition> all = new ArrayList<>();
    db.read(
        "the domains' definitions",
        "SELECT domain_uuid, domain_name, host, running, memory_bytes, vcpus, rules, digest,"
            + " seen_at FROM xcm_domain_definition ORDER BY domain_uuid",
        s -> {},
        r ->
            all.add(
                new DomainDefinition(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getBoolean(4),
                    r.getLong(5),
                    r.getInt(6),
                    r.getString(7),
                    r.getString(8),
                    Instant.ofEpochMilli(r.getLong(9)))));
    return all;
  }

  Optional<String> xml(String uuid) {
    List<String> xml = new ArrayList<>();
    db.read(
        "the definition of domain " + uuid,
        "SELECT definition FROM xcm_domain_definition WHERE domain_uuid = ?",
        s -> s.setString(1, uuid),
        r -> xml.add(r.getString(1)));
    return xml.stream().findFirst();
  }

  void fenced(FencedHost fenced) {
    db.write(
        "record that host " + fenced.host() + " was fenced",
        c -> {
          try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_host_fenced WHERE host = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_host_fenced (host, url, reason, fenced_at) VALUES (?, ?, ?,"
                          + " ?)")) {
            delete.setString(1, fenced.host());
            delete.executeUpdate();
            insert.setString(1, cut(fenced.host(), 255));
            insert.setString(2, cut(fenced.url(), 1024));
            insert.setString(3, cut(fenced.reason(), 4000));
            insert.setLong(4, fenced.at().toEpochMilli());
            insert.executeUpdate();
          }
        });
  }

  void returned(String host) {
    db.write(
        "record that host " + host + " returned",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM xcm_host_fenced WHERE host = ?")) {
            delete.setString(1, host);
            delete.executeUpdate();
          }
        });
  }

  List<FencedHost> fencedHosts() {
    List<FencedHost> hosts = new ArrayList<>();
    db.read(
        "the fenced hosts",
        "SELECT host, url, reason, fenced_at FROM xcm_host_fenced ORDER BY host",
        s -> {},
        r ->
            hosts.add(
                new FencedHost(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    Instant.ofEpochMilli(r.getLong(4)))));
    return hosts;
  }
}
