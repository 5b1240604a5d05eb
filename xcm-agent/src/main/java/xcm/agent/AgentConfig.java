package xcm.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * The agent's configuration, validated as a whole when loaded: a wrong or unknown {@code
 * xcm.agent.*} key fails start-up naming the key and the value.
 *
 * @param name host name in the cluster; null to derive it (node XML file name for {@code
 *     test:///path/NAME.xml}, libvirt's host name otherwise)
 * @param jmxPort JMX remote connector port; empty for no remote connector
 */
public record AgentConfig(
    String libvirtUri,
    String name,
    Duration sampleInterval,
    Duration reconnectMaxBackoff,
    String jolokiaAddress,
    int jolokiaPort,
    String jolokiaUser,
    String jolokiaPassword,
    String metricsAddress,
    int metricsPort,
    Optional<Integer> jmxPort,
    String jmxAddress,
    Path jmxPasswordFile,
    Path jmxAccessFile) {

  public static final String PREFIX = "xcm.agent.";
  public static final int DEFAULT_JOLOKIA_PORT = 8778;
  public static final int DEFAULT_METRICS_PORT = 9278;

  /**
   * Loads {@code xcm.agent.*} keys:
   *
   * <pre>
   * xcm.agent.libvirt-uri            required, e.g. test:///etc/xcm/dmz01.xml or qemu:///system
   * xcm.agent.name                   host name in the cluster (default: derived)
   * xcm.agent.sample-interval        5s
   * xcm.agent.reconnect-max-backoff  60s
   * xcm.agent.jolokia.address        127.0.0.1
   * xcm.agent.jolokia.port           8778
   * xcm.agent.jolokia.user           xcm
   * xcm.agent.jolokia.password       required, or xcm.agent.jolokia.password-file
   * xcm.agent.metrics.address        127.0.0.1
   * xcm.agent.metrics.port           9278
   * xcm.agent.jmx.port               (off) JMX remote connector port
   * xcm.agent.jmx.address            127.0.0.1
   * xcm.agent.jmx.password-file      required with jmx.port (JDK jmxremote.password format)
   * xcm.agent.jmx.access-file        required with jmx.port (JDK jmxremote.access format)
   * </pre>
   *
   * @throws ConfigException naming the first key at fault
   */
  public static AgentConfig load(Map<String, String> values) {
    Settings s = new Settings(PREFIX, values);
    String uri = s.required("libvirt-uri", "the libvirt URI to sample, e.g. test:///abs/node.xml");
    String name = s.string("name").orElse(null);
    Duration interval = s.duration("sample-interval", Duration.ofSeconds(5));
    if (interval.toMillis() < 100) {
      throw new ConfigException(
          PREFIX + "sample-interval", interval.toString(), "must be at least 100ms");
    }
    Duration backoff = s.duration("reconnect-max-backoff", Duration.ofSeconds(60));
    String jolokiaAddress = s.address("jolokia.address", "127.0.0.1");
    int jolokiaPort = s.port("jolokia.port", DEFAULT_JOLOKIA_PORT);
    String user = s.string("jolokia.user", "xcm");
    String password = password(s);
    String metricsAddress = s.address("metrics.address", "127.0.0.1");
    int metricsPort = s.port("metrics.port", DEFAULT_METRICS_PORT);
    Optional<Integer> jmxPort = s.port("jmx.port");
    String jmxAddress = s.address("jmx.address", "127.0.0.1");
    Path jmxPasswords = s.readableFile("jmx.password-file").orElse(null);
    Path jmxAccess = s.readableFile("jmx.access-file").orElse(null);
    if (jmxPort.isPresent() && (jmxPasswords == null || jmxAccess == null)) {
      throw new ConfigException(
          PREFIX + (jmxPasswords == null ? "jmx.password-file" : "jmx.access-file"),
          null,
          "required when "
              + PREFIX
              + "jmx.port is set (the remote connector never runs without"
              + " authentication)");
    }
    s.requireAllUsed();
    return new AgentConfig(
        uri,
        name,
        interval,
        backoff,
        jolokiaAddress,
        jolokiaPort,
        user,
        password,
        metricsAddress,
        metricsPort,
        jmxPort,
        jmxAddress,
        jmxPasswords,
        jmxAccess);
  }

  private static String password(Settings s) {
    Optional<String> inline = s.string("jolokia.password");
    Optional<Path> file = s.readableFile("jolokia.password-file");
    if (inline.isPresent() && file.isPresent()) {
      throw new ConfigException(
          PREFIX + "jolokia.password",
          "***",
          "give either it or " + PREFIX + "jolokia.password-file, not both");
    }
    if (file.isPresent()) {
      try {
        String password = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        if (!password.isEmpty()) {
          return password;
        }
        throw new ConfigException(
            PREFIX + "jolokia.password-file", file.get().toString(), "is empty");
      } catch (IOException e) {
        throw new ConfigException(
            PREFIX + "jolokia.password-file",
            file.get().toString(),
            "cannot be read: " + e.getMessage());
      }
    }
    return inline.orElseThrow(
        () ->
            new ConfigException(
                PREFIX + "jolokia.password",
                null,
                "required (or "
                    + PREFIX
                    + "jolokia.password-file): Jolokia never runs without"
                    + " authentication"));
  }

  /** The host name derived from a {@code test:///path/NAME.xml} URI, if it is one. */
  static Optional<String> nameFromTestUri(String uri) {
    if (!uri.startsWith("test:///") || !uri.endsWith(".xml")) {
      return Optional.empty();
    }
    String file = Path.of(uri.substring("test://".length())).getFileName().toString();
    return Optional.of(file.substring(0, file.length() - ".xml".length()));
  }
}
