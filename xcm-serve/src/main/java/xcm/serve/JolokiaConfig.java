package xcm.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.management.ObjectName;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * Where Jolokia listens and who may use it: keys {@code jolokia.address|port|user|password}, the
 * optional read-only {@code jolokia.monitor.user|password}, where the process has one the optional
 * {@code jolokia.registration.user|password}, {@code jolokia.max-body} and {@code jolokia.tls.*}
 * ({@link TlsConfig}).
 *
 * @param user the operator: everything the access policy allows, operations included
 * @param monitor a second user who may only read, list and search; empty for none
 * @param registrar a user who may only execute one operation; empty for none
 * @param maxBodyBytes larger request bodies are refused (413) before Jolokia parses them
 * @param tls HTTPS instead of HTTP; empty for plain HTTP
 */
public record JolokiaConfig(
    String address,
    int port,
    String user,
    String password,
    Optional<Credentials> monitor,
    Optional<Registrar> registrar,
    long maxBodyBytes,
    Optional<TlsConfig> tls) {

  /** A user name and its password. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /**
   * A user who may execute {@code operation} of {@code mbean} and nothing else, not even read: the
   * coordinator's agents registering themselves ({@code addHost} of {@code xcm:type=Operations}).
   */
  public record Registrar(Credentials credentials, ObjectName mbean, String operation) {}

  /** Plain HTTP, no monitor or registration user, the default body limit. */
  public JolokiaConfig(String address, int port, String user, String password) {
    this(
        address,
        port,
        user,
        password,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_MAX_BODY,
        Optional.empty());
  }

  public static final long DEFAULT_MAX_BODY = 1L << 20;

  /** Reads the {@code jolokia.*} keys under the settings' prefix; no registration user. */
  public static JolokiaConfig load(Settings s, int defaultPort) {
    return load(s, defaultPort, null, null);
  }

  /**
   * Reads the {@code jolokia.*} keys under the settings' prefix, {@code jolokia.registration.*}
   * included: {@code jolokia.registration.password(-file)} turns on the user {@code
   * jolokia.registration.user} (default {@code registrar}), who may only execute {@code operation}
   * of {@code mbean}.
   */
  public static JolokiaConfig load(
      Settings s, int defaultPort, ObjectName registrationMbean, String registrationOperation) {
    String address = s.address("jolokia.address", "127.0.0.1");
    int port = s.port("jolokia.port", defaultPort);
    String user = s.string("jolokia.user", "xcm");
    String password = s.secret("jolokia.password", "Jolokia never runs without authentication");
    Map<String, String> taken = new LinkedHashMap<>();
    taken.put("jolokia.user", user);
    Optional<Credentials> monitor =
        optionalUser(s, "jolokia.monitor", "monitor", "the read-only Jolokia user", taken);
    monitor.ifPresent(m -> taken.put("jolokia.monitor.user", m.user()));
    Optional<Registrar> registrar =
        registrationMbean == null
            ? Optional.empty()
            : optionalUser(
                    s,
                    "jolokia.registration",
                    "registrar",
                    "the Jolokia user of agents registering",
                    taken)
                .map(c -> new Registrar(c, registrationMbean, registrationOperation));
    long maxBody = s.bytes("jolokia.max-body", DEFAULT_MAX_BODY);
    if (maxBody < 1024 || maxBody > Integer.MAX_VALUE) {
      throw new ConfigException(
          s.prefix() + "jolokia.max-body", String.valueOf(maxBody), "must be between 1k and 2g");
    }
    return new JolokiaConfig(
        address, port, user, password, monitor, registrar, maxBody, TlsConfig.load(s, "jolokia"));
  }

  /**
   * The user {@code <key>.user|password(-file)}, on when either is set, named {@code defaultName}
   * unless {@code <key>.user} says otherwise. One user, one role: its name must differ from the
   * users of the keys {@code taken}.
   */
  private static Optional<Credentials> optionalUser(
      Settings s, String key, String defaultName, String what, Map<String, String> taken) {
    Optional<String> name = s.string(key + ".user");
    boolean password =
        s.string(key + ".password").isPresent() || s.string(key + ".password-file").isPresent();
    if (name.isEmpty() && !password) {
      return Optional.empty();
    }
    String user = name.orElse(defaultName);
    taken.forEach(
        (otherKey, other) -> {
          if (user.equals(other)) {
            throw new ConfigException(
                s.prefix() + key + ".user",
                user,
                "must differ from " + s.prefix() + otherKey + " (one user, one role)");
          }
        });
    return Optional.of(
        new Credentials(
            user, s.secret(key + ".password", what + " " + user + " needs a password")));
  }

  @Override
  public String toString() {
    return "JolokiaConfig[address="
        + address
        + ", port="
        + port
        + ", user="
        + user
        + ", password=***, monitor="
        + monitor
        + ", registrar="
        + registrar
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", tls="
        + tls
        + "]";
  }
}
