package xcm.mbeans.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file given by a {@code …-file} key that holds a secret. Only its owner may read or write it
 * (mode 600 or 400): a secret file that group or others could read or write stops the start, naming
 * the key, the path and its mode, as ssh refuses a private key that others can read.
 *
 * <pre>{@code
 * String password = new SecretFile("xcm.agent.jolokia.password-file", path).read();
 * }</pre>
 *
 * @param key the configuration key that named it, for the error
 */
public record SecretFile(String key, Path path) {

  /**
   * Checks that only the owner may read or write the file.
   *
   * @throws ConfigException naming the key, the path and its mode when group or others may
   */
  public void requireOwnerOnly() {
    FileMode mode;
    try {
      mode = FileMode.of(path).orElse(null);
    } catch (IOException e) {
      throw new ConfigException(key, path.toString(), "cannot be read: " + e.getMessage());
    }
    if (mode != null && !mode.ownerOnly()) {
      throw new ConfigException(
          key,
          path.toString(),
          path
              + " holds a secret but has mode "
              + mode
              + ", which lets group or others read or write it; make it its owner's only (chmod"
              + " 600 "
              + path
              + ")");
    }
  }

  /**
   * The secret, without surrounding white space.
   *
   * @throws ConfigException naming the key and the path when the file is not its owner's only,
   *     cannot be read or is empty
   */
  public String read() {
    requireOwnerOnly();
    String secret;
    try {
      secret = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(key, path.toString(), "cannot be read: " + e.getMessage());
    }
    if (secret.isEmpty()) {
      throw new ConfigException(key, path.toString(), "is empty");
    }
    return secret;
  }
}
