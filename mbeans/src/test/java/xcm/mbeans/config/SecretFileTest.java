package xcm.mbeans.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files on a real file system, with real modes. */
class SecretFileTest {
  @TempDir Path dir;

  private Path file(String name, String content, String mode) throws Exception {
    Path file = Files.writeString(dir.resolve(name), content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private Settings settings(String key, Path file) {
    return new Settings("xcm.agent.", Map.of("xcm.agent." + key, file.toString()));
  }

  @Test
  void aSecretFileOnlyItsOwnerReadsIsRead() throws Exception {
    assertThat(
            settings("jolokia.password-file", file("p", "s3cret\n", "rw-------"))
                .secret("jolokia.password", "why"))
        .isEqualTo("s3cret");
    assertThat(
            settings("jolokia.password-file", file("q", "s3cret", "r--------"))
                .secret("jolokia.password", "why"))
        .isEqualTo("s3cret");
  }

  @Test
  void aSecretFileOthersCanReadStopsTheStartNamingKeyPathAndMode() throws Exception {
    Path file = file("p", "s3cret", "rw-r--r--");

    assertThatThrownBy(() -> settings("jolokia.password-file", file).secret("jolokia.password", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.jolokia.password-file: "
                + file
                + " holds a secret but has mode 0644 (rw-r--r--), which lets group or others read"
                + " or write it; make it its owner's only (chmod 600 "
                + file
                + "), found: \""
                + file
                + "\"")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aSecretFileItsGroupCanReadOrOthersCanWriteStopsTheStartToo() throws Exception {
    for (String mode : new String[] {"rw-r-----", "rw-----w-", "rw--w----", "rw------x"}) {
      Path file = file("p-" + mode, "s3cret", mode);
      assertThatThrownBy(() -> new SecretFile("k", file).read())
          .as(mode)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }

  @Test
  void aJmxPasswordFileOthersCanReadStopsTheStart() throws Exception {
    Path file = file("jmx.password", "monitor s3cret\n", "rw-rw-r--");

    assertThatThrownBy(() -> settings("jmx.password-file", file).secretFile("jmx.password-file"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "xcm.agent.jmx.password-file: "
                + file
                + " holds a secret but has mode 0664 (rw-rw-r--)");
    assertThat(
            settings("jmx.password-file", file("ok", "monitor s3cret\n", "rw-------"))
                .secretFile("jmx.password-file"))
        .isPresent();
  }

  @Test
  void modesAreWrittenAsChmodAndLsWriteThem() {
    assertThat(FileMode.OWNER_FILE).hasToString("0600 (rw-------)");
    assertThat(FileMode.OWNER_DIRECTORY).hasToString("0700 (rwx------)");
    assertThat(new FileMode(PosixFilePermissions.fromString("rwxr-x--x")))
        .hasToString("0751 (rwxr-x--x)");
  }
}
