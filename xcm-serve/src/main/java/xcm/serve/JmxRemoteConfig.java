package xcm.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * The optional JMX remote connector: keys {@code jmx.port|address|password-file|access-file} and
 * {@code jmx.tls.*} ({@link TlsConfig}). The password and access files use the JDK's {@code
 * jmxremote} formats; the access file gives each user of the password file {@code readonly} (the
 * monitor role) or {@code readwrite} (the operator role), nothing more ({@link JmxRoles}).
 *
 * @param tls SSL for the connector and its RMI registry; empty for plain RMI
 */
public record JmxRemoteConfig(
    int port, String address, Path passwordFile, Path accessFile, Optional<TlsConfig> tls) {

  public JmxRemoteConfig(int port, String address, Path passwordFile, Path accessFile) {
    this(port, address, passwordFile, accessFile, Optional.empty());
  }

  /** Reads the {@code jmx.*} keys; empty when {@code jmx.port} is not set. */
  public static Optional<JmxRemoteConfig> load(Settings s) {
    Optional<Integer> port = s.port("jmx.port");
    String address = s.address("jmx.address", "127.0.0.1");
    Path passwords = s.secretFile("jmx.password-file").orElse(null);
    Path access = s.readableFile("jmx.access-file").orElse(null);
    Optional<TlsConfig> tls = TlsConfig.load(s, "jmx");
    if (port.isEmpty()) {
      return Optional.empty();
    }
    if (passwords == null || access == null) {
      String missing = passwords == null ? "jmx.password-file" : "jmx.access-file";
      throw new ConfigException(
          s.prefix() + missing,
          null,
          "required when "
              + s.prefix()
              + "jmx.port is set (the remote connector never runs"
              + " without authentication)");
    }
    try {
      JmxRoles.read(passwords, access);
    } catch (IOException e) {
      throw new ConfigException(
          s.prefix() + "jmx.access-file", access.toString(), "cannot be read: " + e.getMessage());
    } catch (JmxRoles.InvalidException e) {
      throw new ConfigException(s.prefix() + "jmx.access-file", null, e.getMessage());
    }
    return Optional.of(new JmxRemoteConfig(port.get(), address, passwords, access, tls));
  }
}
