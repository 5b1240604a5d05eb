package xcm.coordinator.enrol;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The enrolled hosts, kept in {@code <state-dir>/enrolled.json} (mode 0600) so that a restarted
 * coordinator knows which certificate is whose. Written whole, atomically, at every change.
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
