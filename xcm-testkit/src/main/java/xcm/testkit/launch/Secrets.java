package xcm.testkit.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Secret files for the XCM processes that tests and benches start: XCM refuses to start with a
 * secret file that group or others may read or write, so each is written mode 600 from the start
 * (never readable by others, not even for a moment).
 *
 * <pre>{@code
 * Path token = Secrets.write(dir.resolve("webhook.token"), "0123456789abcdef");
 * }</pre>
 */
public final class Secrets {
  private Secrets() {}

  /**
   * Writes {@code secret} to {@code file}, replacing it, readable and writable by its owner only.
   */
  public static Path write(Path file, String secret) throws IOException {
    Files.deleteIfExists(file);
    if (Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class)
        != null) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.writeString(file, secret, StandardCharsets.UTF_8);
  }
}
