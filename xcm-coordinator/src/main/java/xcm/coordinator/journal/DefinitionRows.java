package xcm.coordinator.journal;

import static xcm.coordinator.journal.JournalDatabase.cut;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The domains' definitions in the journal ({@link DomainDefinition}). */
final class DefinitionRows {
  private final JournalDatabase db;

  DefinitionRows(JournalDatabase db) {
    this.db = db;
  }

  /** Writes each definition over the one of its UUID, all in one transaction. */
  void save(Collection<DomainDefinition> definitions) {
    if (definitions.isEmpty()) {
      return;
    }
    db.write(
        "record " + definitions.size() + " domain definitions",
        c -> {
          try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_domain_definition WHERE domain_uuid = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_domain_definition (domain_uuid, domain_name, host, running,"
                          + " memory_bytes, vcpus, rules, digest, definition, seen_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DomainDefinition d : definitions) {
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
              insert.setString(9, d.xml());
              insert.setLong(10, d.seenAt().toEpochMilli());
              insert.executeUpdate();
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
            + " definition, seen_at FROM xcm_domain_definition ORDER BY domain_uuid",
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
                    r.getString(9),
                    Instant.ofEpochMilli(r.getLong(10)))));
    return all;
  }
}
