package xcm.coordinator.enrol;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import xcm.trust.ca.ClusterAuthority;

/**
 * The enrolled hosts in {@code <state-dir>/enrolled.json} (mode 0600), written whole, atomically:
 * where a coordinator kept them before its journal did, and where a desk of its own keeps them (as
 * tests and the benches seed a state directory). A coordinator started on the directory brings them
 * into its journal.
 */
public final class EnrolledHosts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public EnrolledHosts(Path stateDir) {
    this.file = stateDir.resolve("enrolled.json");
  }

  public Path file() {
    return file;
  }

  /**
   * The file as an {@link EnrolledStore}, whose certificates {@code authority} revokes. It is this
   * process's alone: its version is 1 once read, and nothing changes it behind the desk's back.
   */
  public EnrolledStore store(ClusterAuthority authority) {
    return new EnrolledStore() {
      @Override
      public Changes since(long version) {
        return version > 0
            ? new Changes(version, List.of(), Set.of(), Set.of())
            : new Changes(1, load(), Set.of(), Set.of());
      }

      @Override
      public long put(Enrolled host) {
        Map<String, Enrolled> hosts = byHost();
        hosts.put(host.host(), host);
        save(hosts.values());
        return 1;
      }

      @Override
      public long remove(Enrolled host) {
        Map<String, Enrolled> hosts = byHost();
        hosts.remove(host.host());
        save(hosts.values());
        try {
          authority.revoke(new BigInteger(host.serial(), 16));
        } catch (IOException e) {
          throw new UncheckedIOException(
              "host " + host.host() + " is unbound, but its certificate's revocation was not saved",
              e);
        }
        return 1;
      }
    };
  }

  private Map<String, Enrolled> byHost() {
    Map<String, Enrolled> hosts = new TreeMap<>();
    load().forEach(e -> hosts.put(e.host(), e));
    return hosts;
  }

  /** What an earlier run saved; none when there is no file. */
  public List<Enrolled> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<List<Row>>() {}).stream()
          .map(Row::enrolled)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the enrolled hosts from " + file, e);
    }
  }

  /**
   * Replaces what is saved.
   *
   * @throws UncheckedIOException naming the file; the enrolment that changed it is then refused
   */
  public void save(Collection<Enrolled> hosts) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      JSON.writeValue(temporary.toFile(), hosts.stream().map(Row::of).toList());
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the enrolled hosts to " + file, e);
    }
  }

  /** One host as the file holds it: instants as milliseconds since the epoch. */
  record Row(
      String host,
      String libvirtUuid,
      String url,
      String fingerprint,
      String serial,
      String certificate,
      long enrolledEpochMillis,
      long notAfterEpochMillis) {

    static Row of(Enrolled e) {
      return new Row(
          e.host(),
          e.libvirtUuid(),
          e.url(),
          e.fingerprint(),
          e.serial(),
          e.certificate(),
          e.enrolledAt().toEpochMilli(),
          e.notAfter().toEpochMilli());
    }

    Enrolled enrolled() {
      return new Enrolled(
          host,
          libvirtUuid,
          url,
          fingerprint,
          serial,
          certificate,
          Instant.ofEpochMilli(enrolledEpochMillis),
          Instant.ofEpochMilli(notAfterEpochMillis));
    }
  }
}
