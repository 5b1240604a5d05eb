package xcm.mbeans.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The POSIX permissions of a file or directory, as {@code ls -l} and {@code chmod} spell them:
 * {@code 0644 (rw-r--r--)}. A secret file or a state directory must be its owner's only: no
 * permission at all for group or others.
 *
 * <p>Immutable.
 */
public record FileMode(Set<PosixFilePermission> permissions) {
  /** {@code 0600}: what XCM gives a file that holds a secret or state. */
  public static final FileMode OWNER_FILE =
      new FileMode(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

  /** {@code 0700}: what XCM gives a directory of state. */
  public static final FileMode OWNER_DIRECTORY =
      new FileMode(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  public FileMode {
    permissions = Set.copyOf(permissions);
  }

  /**
   * The mode of {@code path} (following a symbolic link to what it names); empty on a file system
   * without POSIX permissions, where there is nothing to check.
   */
  public static Optional<FileMode> of(Path path) throws IOException {
    if (Files.getFileAttributeView(path, PosixFileAttributeView.class) == null) {
      return Optional.empty();
    }
    return Optional.of(new FileMode(Files.getPosixFilePermissions(path)));
  }

  /** True when neither group nor others have any permission. */
  public boolean ownerOnly() {
    return permissions.stream().noneMatch(GROUP_OR_OTHERS::contains);
  }

  /** {@code 0644 (rw-r--r--)}. */
  @Override
  public String toString() {
    int octal = 0;
    for (PosixFilePermission permission : permissions) {
      // The enum lists owner, group, others, each read, write, execute: bit 8 down to bit 0.
      octal |= 1 << (8 - permission.ordinal());
    }
    return String.format("0%03o (%s)", octal, PosixFilePermissions.toString(permissions));
  }
}
