package xcm.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory only its owner enters (mode 0700) whose files only their owner reads and writes (mode
 * 0600): where the CA's key, a host's key and the lists of revocations and tokens live.
 *
 * <p>Files are written whole, through a temporary file in the same directory renamed over the old
 * one: a reader sees the old content or the new, never half of it, and the file never exists with a
 * wider mode. Reading checks the mode first and refuses, naming the path and its mode, a secret
 * that group or others may read, and any file they may write (they could replace a certificate or
 * un-revoke one).
 *
 * <pre>{@code
 * OwnerOnlyDirectory dir = OwnerOnlyDirectory.open(Path.of("/var/lib/xcm/ca"));
 * dir.write("ca.key", pem.getBytes(StandardCharsets.US_ASCII));
 * byte[] key = dir.readSecret("ca.key");
 * }</pre>
 *
 * Needs a POSIX file system. Thread-safe as the file system is: concurrent writers of one file each
 * replace it whole, the last one wins.
 */
public final class OwnerOnlyDirectory {
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private final Path path;

  private OwnerOnlyDirectory(Path path) {
    this.path = path;
  }

  /**
   * The directory, created with mode 0700 (and its missing parents as the umask says) when it does
   * not exist.
   *
   * @throws TrustFileException {@link TrustFileException.Problem#TOO_OPEN TOO_OPEN} when it exists
   *     and group or others may enter, list or write it; {@code MALFORMED} when it is not a
   *     directory
   */
  public static OwnerOnlyDirectory open(Path path) throws IOException {
    Path dir = path.toAbsolutePath().normalize();
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        // The umask may have taken bits away; it never adds any, but set it exactly anyway.
        Files.setPosixFilePermissions(dir, OWNER_DIRECTORY);
      } catch (FileAlreadyExistsException e) {
        // made meanwhile by someone else: checked below like any existing one
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new TrustFileException(dir, TrustFileException.Problem.MALFORMED, "is not a directory");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    if (!intersection(mode, GROUP_OR_OTHERS).isEmpty()) {
      throw tooOpen(dir, mode, "group or others may enter it", "700");
    }
    return new OwnerOnlyDirectory(dir);
  }

  public Path path() {
    return path;
  }

  /** The path of a file in this directory. */
  public Path resolve(String fileName) {
    Path file = path.resolve(fileName).normalize();
    if (!path.equals(file.getParent())) {
      throw new IllegalArgumentException(
          "file name " + Printable.quote(fileName) + " does not name a file in " + path);
    }
    return file;
  }

  public boolean exists(String fileName) {
    return Files.exists(resolve(fileName), LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes a file whole with mode 0600, replacing what it held. */
  public void write(String fileName, byte[] content) throws IOException {
    Path target = resolve(fileName);
    Path temporary =
        Files.createTempFile(
            path, "." + fileName + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE));
    try {
      Files.setPosixFilePermissions(temporary, OWNER_FILE);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // The rename must not reach the disk before the content does.
        channel.force(true);
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Reads a file that holds a secret (a private key).
   *
   * @throws TrustFileException {@code TOO_OPEN} when group or others have any permission on it
   */
  public byte[] readSecret(String fileName) throws IOException {
    Path file = resolve(fileName);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (!intersection(mode, GROUP_OR_OTHERS).isEmpty()) {
      throw tooOpen(file, mode, "it holds a secret that group or others may read", "600");
    }
    return Files.readAllBytes(file);
  }

  /**
   * Reads a file that holds nothing secret but must not be changed by others (a certificate, the
   * revocations).
   *
   * @throws TrustFileException {@code TOO_OPEN} when group or others may write it
   */
  public byte[] read(String fileName) throws IOException {
    Path file = resolve(fileName);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (!intersection(mode, GROUP_OR_OTHERS_WRITE).isEmpty()) {
      throw tooOpen(file, mode, "group or others may write it", "600");
    }
    return Files.readAllBytes(file);
  }

  private static Set<PosixFilePermission> intersection(
      Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
    Set<PosixFilePermission> both = EnumSet.noneOf(PosixFilePermission.class);
    both.addAll(a);
    both.retainAll(b);
    return both;
  }

  private static TrustFileException tooOpen(
      Path path, Set<PosixFilePermission> mode, String why, String wanted) {
    return new TrustFileException(
        path,
        TrustFileException.Problem.TOO_OPEN,
        "mode "
            + octal(mode)
            + " ("
            + PosixFilePermissions.toString(mode)
            + "): "
            + why
            + "; make it "
            + wanted
            + " (chmod "
            + wanted
            + " "
            + path
            + ")");
  }

  /** {@code 0640}. */
  static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format("0%o", bits);
  }
}
