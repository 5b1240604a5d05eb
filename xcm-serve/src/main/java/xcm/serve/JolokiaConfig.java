package xcm.serve;

import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * Where Jolokia listens and who may use it: keys {@code jolokia.address|port|user|password}, the
 * optional read-only {@code jolokia.monitor.user|password}, {@code jolokia.max-body} and {@code
 * jolokia.tls.*} ({@link TlsConfig}).
 *
 * @param user the operator: everything the access policy allows, operations included
 * @param monitor a second user who may only read, list and search; empty for none
 * @param maxBodyBytes larger request bodies are refused (413) before Jolokia parses them
 * @param tls HTTPS instead of HTTP; empty for plain HTTP
 */
public record JolokiaConfig(
    String address,
    int port,
    String user,
    String password,
    Optional<Credentials> monitor,
    long maxBodyBytes,
    Optional<TlsConfig> tls) {

  /** A user name and its password. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /** Plain HTTP, no monitor user, the default body limit. */
  public JolokiaConfig(String address, int port, String user, String password) {
    this(address, port, user, password, Optional.empty(), DEFAULT_MAX_BODY, Optional.empty());
  }

  public static final long DEFAULT_MAX_BODY = 1L << 20;

  /** Reads the {@code jolokia.*} keys under the settings' prefix. */
  public static JolokiaConfig load(Settings s, int defaultPort) {
    String address = s.address("jolokia.address", "127.0.0.1");
    int port = s.port("jolokia.port", defaultPort);
    String user = s.string("jolokia.user", "xcm");
    String password = s.secret("jolokia.password", "Jolokia never runs without authentication");
    Optional<String> monitorUser = s.string("jolokia.monitor.user");
    boolean monitorPassword =
        s.string("jolokia.monitor.password").isPresent()
            || s.string("jolokia.monitor.password-file").isPresent();
    Optional<Credentials> monitor = Optional.empty();
    if (monitorUser.isPresent() || monitorPassword) {
      String name = monitorUser.orElse("monitor");
      if (name.equals(user)) {
        throw new ConfigException(
            s.prefix() + "jolokia.monitor.user",
            name,
            "must differ from " + s.prefix() + "jolokia.user (one user, one role)");
      }
      monitor =
          Optional.of(
              new Credentials(
                  name,
                  s.secret(
                      "jolokia.monitor.password",
                      "the read-only Jolokia user " + name + " needs a password")));
    }
    long maxBody = s.bytes("jolokia.max-body", DEFAULT_MAX_BODY);
    if (maxBody < 1024 || maxBody > Integer.MAX_VALUE) {
      throw new ConfigException(
          s.prefix() + "jolokia.max-body", String.valueOf(maxBody), "must be between 1k and 2g");
    }
    return new JolokiaConfig(
        address, port, user, password, monitor, maxBody, TlsConfig.load(s, "jolokia"));
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
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", tls="
        + tls
        + "]";
  }
}
