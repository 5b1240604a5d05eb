package xcm.coordinator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.config.FileMode;
import xcm.serve.StartException;

/**
 * The coordinator's state directory ({@code --state-dir}): the members and, by default, the
 * journal, which holds every request's audit entry. It is its owner's only. A missing one is
 * created mode 700; an existing one that group or others may read, write or enter stops the start,
 * naming it and its mode, rather than being changed behind the operator's back (it may be a
 * directory others need, given by mistake). The files in it are made mode 600 at start: they are
 * the coordinator's own, and only an older version wrote them wider.
 */
final class StateDirectory {
  private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);

  private StateDirectory() {}

  /**
   * Makes sure {@code dir} exists and is its owner's only.
   *
   * @throws StartException naming the directory and its mode when group or others have access, or
   *     why it cannot be created
   */
  static void prepare(Path dir) throws StartException {
    try {
      if (!Files.exists(dir)) {
        if (posix(dir)) {
          Files.createDirectories(
              dir, PosixFilePermissions.asFileAttribute(FileMode.OWNER_DIRECTORY.permissions()));
        } else {
          Files.createDirectories(dir);
        }
        return;
      }
      if (!Files.isDirectory(dir)) {
        throw new StartException("the state directory " + dir + " is not a directory", null);
      }
      Optional<FileMode> mode = FileMode.of(dir);
      if (mode.isPresent() && !mode.get().ownerOnly()) {
        throw new StartException(
            "the state directory "
                + dir
                + " has mode "
                + mode.get()
                + ": group or others could read the journal (every request's audit entry) and"
                + " the members; make it its owner's only (chmod 700 "
                + dir
                + "), or give another --state-dir",
            null);
      }
    } catch (IOException e) {
      throw new StartException(
          "cannot create the state directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes each file in {@code dir} mode 600, naming in the log each whose mode was wider.
   *
   * @throws StartException naming the file that cannot be changed
   */
  static void tightenFiles(Path dir) throws StartException {
    if (!posix(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      throw new StartException("cannot list the state directory " + dir + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      try {
        FileMode mode =
            new FileMode(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
        if (!mode.equals(FileMode.OWNER_FILE)) {
          Files.setPosixFilePermissions(file, FileMode.OWNER_FILE.permissions());
          if (!mode.ownerOnly()) {
            log.warn(
                "{} had mode {}: made it its owner's only ({})", file, mode, FileMode.OWNER_FILE);
          }
        }
      } catch (IOException e) {
        throw new StartException(
            "cannot make " + file + " its owner's only (mode 600): " + e.getMessage(), e);
      }
    }
  }

  private static boolean posix(Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
  }
}
