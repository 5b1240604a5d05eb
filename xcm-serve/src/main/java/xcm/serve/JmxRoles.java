package xcm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The role of each JMX remote user, read from the JDK's {@code jmxremote.access} format ({@code
 * user readonly}, {@code user readwrite}) and mapped onto the Jolokia roles, so that one access
 * policy decides for both doors: {@link JmxRole#READONLY} is the read-only monitor, {@link
 * JmxRole#READWRITE} the operator.
 *
 * <pre>{@code
 * JmxRoles roles = JmxRoles.read(Path.of("/etc/xcm/jmx.password"), Path.of("/etc/xcm/jmx.access"));
 * roles.of("grafana");   // Optional[READONLY]
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
final class JmxRoles {
  /** A level of the access file, and the Jolokia role it is. */
  enum JmxRole {
    READONLY("readonly", JolokiaAccess.Role.MONITOR, "the read-only monitor role"),
    READWRITE("readwrite", JolokiaAccess.Role.OPERATOR, "the operator role");

    private final String level;
    private final JolokiaAccess.Role role;
    private final String description;

    JmxRole(String level, JolokiaAccess.Role role, String description) {
      this.level = level;
      this.role = role;
      this.description = description;
    }

    JolokiaAccess.Role jolokiaRole() {
      return role;
    }

    /** For refusals: {@code readwrite, the operator role}. */
    String describe() {
      return level + ", " + description;
    }

    static Optional<JmxRole> of(String level) {
      return Arrays.stream(values()).filter(r -> r.level.equals(level)).findFirst();
    }
  }

  /** An access or password file XCM cannot start with; the message names the file and why. */
  static final class InvalidException extends Exception {
    InvalidException(String message) {
      super(message);
    }
  }

  private final Map<String, JmxRole> roles;

  private JmxRoles(Map<String, JmxRole> roles) {
    this.roles = roles;
  }

  /**
   * Reads both files as the JDK's connector reads them ({@link Properties}: {@code user value}).
   * Every user of the password file needs a role: one the JDK would authenticate but XCM could not
   * place refuses start-up instead of being turned away at every call.
   *
   * @throws InvalidException naming the file, the user and the rule: a level other than {@code
   *     readonly} or {@code readwrite}, a {@code create} or {@code unregister} clause (no role may
   *     create or unregister MBeans here), a password-file user without a role
   * @throws IOException when a file cannot be read
   */
  static JmxRoles read(Path passwordFile, Path accessFile) throws IOException, InvalidException {
    Map<String, JmxRole> roles = new TreeMap<>();
    Properties access = properties(accessFile);
    for (String user : access.stringPropertyNames()) {
      String[] words = access.getProperty(user).strip().split("\\s+");
      JmxRole role =
          JmxRole.of(words[0])
              .orElseThrow(
                  () ->
                      new InvalidException(
                          accessFile
                              + ": user "
                              + user
                              + " has the level \""
                              + words[0]
                              + "\": must be readonly or readwrite"));
      if (words.length > 1) {
        throw new InvalidException(
            accessFile
                + ": user "
                + user
                + ": \""
                + String.join(" ", Arrays.copyOfRange(words, 1, words.length))
                + "\" refused: no JMX role may create or unregister MBeans, give the level alone");
      }
      roles.put(user, role);
    }
    for (String user : properties(passwordFile).stringPropertyNames()) {
      if (!roles.containsKey(user)) {
        throw new InvalidException(
            passwordFile + ": user " + user + " has no role in " + accessFile);
      }
    }
    return new JmxRoles(Map.copyOf(roles));
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    // As the JDK reads them: an input stream, so ISO 8859-1 and its escapes.
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    return properties;
  }

  /** The user's role; empty for a user the access file does not name. */
  Optional<JmxRole> of(String user) {
    return Optional.ofNullable(roles.get(user));
  }

  /** Every user with a role. */
  Map<String, JmxRole> all() {
    return roles;
  }
}
