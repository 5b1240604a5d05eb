package xcm.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.http.DoorLimits;

/**
 * Where Jolokia listens and who may use it: keys {@code jolokia.address|port|user|password}, the
 * optional read-only {@code jolokia.monitor.user|password}, the optional users of the process's
 * limited roles ({@link LimitedRole}: {@code jolokia.registration.*} on the coordinator, {@code
 * jolokia.peer.*} on an agent), {@code jolokia.max-body}, {@code jolokia.tls.*} ({@link
 * TlsConfig}), the door's limits ({@link DoorLimits}: {@code jolokia.threads}, {@code
 * jolokia.header-timeout}, ...), the JSON limits ({@link JsonLimits}) and {@code
 * jolokia.cors.origin} ({@link CorsOrigins}).
 *
 * @param user the operator: everything the access policy allows, operations included
 * @param password the operator's; null when no password is the operator's
 * @param monitor a second user who may only read, list and search; empty for none
 * @param limited users who may only do what their role's {@link Grants} name; one per role
 * @param maxBodyBytes larger request bodies are refused (413) before Jolokia parses them
 * @param tls HTTPS instead of HTTP; empty for plain HTTP
 * @param limits threads, timeouts and connection caps of the door
 * @param json how deep a request body may nest and how long its arrays may be
 * @param cors the web origins whose pages may call from a browser; none by default
 */
public record JolokiaConfig(
    String address,
    int port,
    String user,
    String password,
    Optional<Credentials> monitor,
    List<LimitedUser> limited,
    long maxBodyBytes,
    Optional<TlsConfig> tls,
    DoorLimits limits,
    JsonLimits json,
    CorsOrigins cors) {

  /** Requests served at once unless {@code jolokia.threads} says otherwise. */
  public static final int DEFAULT_THREADS = 4;

  public JolokiaConfig {
    limited = List.copyOf(limited);
  }

  /** The default door limits, JSON limits and no CORS. */
  public JolokiaConfig(
      String address,
      int port,
      String user,
      String password,
      Optional<Credentials> monitor,
      List<LimitedUser> limited,
      long maxBodyBytes,
      Optional<TlsConfig> tls) {
    this(
        address,
        port,
        user,
        password,
        monitor,
        limited,
        maxBodyBytes,
        tls,
        DoorLimits.defaults(DEFAULT_THREADS),
        JsonLimits.DEFAULTS,
        CorsOrigins.NONE);
  }

  /** A user name and its password. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /**
   * A user who may do what {@code grants} name and nothing else: on the coordinator its agents
   * registering themselves ({@code addHost} of {@code xcm:type=Operations}), on an agent the other
   * agents handing a domain over to it.
   */
  public record LimitedUser(Credentials credentials, Grants grants) {}

  /**
   * A limited role a process offers, and how it is configured: the keys {@code jolokia.<key>.user}
   * (default {@code defaultUser}) and {@code jolokia.<key>.password(-file)}; the role is off unless
   * one of them is set.
   *
   * @param purpose who the user is, for the error when its password is missing: {@code the Jolokia
   *     user of agents registering}
   */
  public record LimitedRole(String key, String defaultUser, String purpose, Grants grants) {}

  /** Plain HTTP, no monitor or limited users, the default body limit. */
  public JolokiaConfig(String address, int port, String user, String password) {
    this(
        address,
        port,
        user,
        password,
        Optional.empty(),
        List.of(),
        DEFAULT_MAX_BODY,
        Optional.empty());
  }

  public static final long DEFAULT_MAX_BODY = 1L << 20;

  /**
   * Reads the {@code jolokia.*} keys under the settings' prefix, those of {@code roles} included:
   * {@code jolokia.<key>.password(-file)} of a role turns on its user {@code jolokia.<key>.user}
   * (default {@link LimitedRole#defaultUser()}), who may only do what the role grants.
   *
   * @param defaultThreads requests served at once unless {@code jolokia.threads} is set
   */
  public static JolokiaConfig load(
      Settings s, int defaultPort, int defaultThreads, LimitedRole... roles) {
    return load(s, defaultPort, defaultThreads, true, roles);
  }

  /**
   * As {@link #load(Settings, int, int, LimitedRole...)}; without {@code operatorRequired} the
   * operator's password may be left out, and then no password is the operator's (an enrolled
   * agent's operator is the coordinator's certificate).
   */
  public static JolokiaConfig load(
      Settings s,
      int defaultPort,
      int defaultThreads,
      boolean operatorRequired,
      LimitedRole... roles) {
    String address = s.address("jolokia.address", "127.0.0.1");
    int port = s.port("jolokia.port", defaultPort);
    String user = s.string("jolokia.user", "xcm");
    boolean given =
        s.string("jolokia.password").isPresent() || s.string("jolokia.password-file").isPresent();
    String password =
        operatorRequired || given
            ? s.secret("jolokia.password", "Jolokia never runs without authentication")
            : null;
    Map<String, String> taken = new LinkedHashMap<>();
    taken.put("jolokia.user", user);
    Optional<Credentials> monitor =
        optionalUser(s, "jolokia.monitor", "monitor", "the read-only Jolokia user", taken);
    monitor.ifPresent(m -> taken.put("jolokia.monitor.user", m.user()));
    List<LimitedUser> limited = new ArrayList<>();
    for (LimitedRole role : roles) {
      String key = "jolokia." + role.key();
      optionalUser(s, key, role.defaultUser(), role.purpose(), taken)
          .ifPresent(
              c -> {
                taken.put(key + ".user", c.user());
                limited.add(new LimitedUser(c, role.grants()));
              });
    }
    long maxBody = s.bytes("jolokia.max-body", DEFAULT_MAX_BODY);
    if (maxBody < 1024 || maxBody > Integer.MAX_VALUE) {
      throw new ConfigException(
          s.prefix() + "jolokia.max-body", String.valueOf(maxBody), "must be between 1k and 2g");
    }
    return new JolokiaConfig(
        address,
        port,
        user,
        password,
        monitor,
        limited,
        maxBody,
        TlsConfig.load(s, "jolokia"),
        DoorLimits.load(s, "jolokia", defaultThreads),
        JsonLimits.load(s, "jolokia"),
        CorsOrigins.load(s, "jolokia"));
  }

  /** The user of the limited role named {@code role} ({@link Grants#role()}), if it is on. */
  public Optional<LimitedUser> limited(String role) {
    return limited.stream().filter(u -> u.grants().role().equals(role)).findFirst();
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
            user,
            s.secret(key + ".password", "user " + user + ", " + what + ", needs a password")));
  }

  @Override
  public String toString() {
    return "JolokiaConfig[address="
        + address
        + ", port="
        + port
        + ", user="
        + user
        + (password == null ? ", password=none, monitor=" : ", password=***, monitor=")
        + monitor
        + ", limited="
        + limited
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", tls="
        + tls
        + ", limits="
        + limits
        + ", json="
        + json
        + ", cors="
        + cors
        + "]";
  }
}
