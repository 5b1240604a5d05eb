package xcm.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyDirectoryTest {
  @TempDir Path temp;

  @Test
  void createsDirectory0700AndWritesFiles0600() throws Exception {
    OwnerOnlyDirectory dir = OwnerOnlyDirectory.open(temp.resolve("state"));
    dir.write("secret", new byte[] {1, 2, 3});
    dir.write("secret", new byte[] {4});

    assertThat(mode(temp.resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("state/secret"))).isEqualTo("rw-------");
    assertThat(dir.readSecret("secret")).containsExactly(4);
    try (var files = Files.list(temp.resolve("state"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
    }
  }

  @Test
  void refusesSecretReadableByGroupNamingPathAndMode() throws Exception {
    OwnerOnlyDirectory dir = OwnerOnlyDirectory.open(temp.resolve("state"));
    dir.write("key", new byte[] {1});
    Path key = temp.resolve("state/key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> dir.readSecret("key"))
        .isInstanceOfSatisfying(
            TrustFileException.class,
            e -> assertThat(e.problem()).isEqualTo(TrustFileException.Problem.TOO_OPEN))
        .hasMessage(
            key
                + ": mode 0640 (rw-r-----): it holds a secret that group or others may read; make"
                + " it 600 (chmod 600 "
                + key
                + ")");
    assertThat(dir.read("key")).containsExactly(1);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThatThrownBy(() -> dir.read("key")).hasMessageContaining("mode 0664");
  }

  @Test
  void refusesExistingDirectoryOthersMayEnter() throws Exception {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> OwnerOnlyDirectory.open(open))
        .hasMessage(
            open
                + ": mode 0755 (rwxr-xr-x): group or others may enter it; make it 700 (chmod 700 "
                + open
                + ")");
  }

  @Test
  void fileNamesStayInTheDirectory() throws Exception {
    OwnerOnlyDirectory dir = OwnerOnlyDirectory.open(temp.resolve("state"));
    assertThatThrownBy(() -> dir.write("../escape", new byte[0]))
        .hasMessageContaining("does not name a file in");
  }

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
