package xcm.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import xcm.agent.enrol.EnrolmentConfig;
import xcm.agent.migration.MigrationConfig;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.mbeans.placement.HostLabels;
import xcm.serve.JmxRemoteConfig;
import xcm.serve.JolokiaConfig;
import xcm.serve.MetricsConfig;

/**
 * The agent's configuration, validated as a whole when loaded: a wrong or unknown {@code
 * xcm.agent.*} key fails start-up naming the key and the value.
 *
 * @param name host name in the cluster; null to derive it (node XML file name for {@code
 *     test:///path/NAME.xml}, libvirt's host name otherwise)
 * @param jmx the JMX remote connector; empty for none
 * @param advertiseUrl the Jolokia URL this agent enrols with; null for where Jolokia listens
 * @param libvirtState for libvirt's test driver: where the host's domains are kept so that they
 *     outlive the agent (by the test kit's {@link xcm.agent.libvirt.PersistentHypervisors}); null
 *     to start from the node XML every time
 * @param migration how this host takes and sends libvirt live migrations
 * @param enrol how this host asks the coordinators for its cluster certificate, which its Jolokia
 *     then presents; empty for never (plain passwords, or {@code jolokia.tls.*} key stores)
 * @param hostUuid the libvirt host UUID to enrol with where libvirt reports none (its test driver);
 *     libvirt's own, when it reports one, must be the same
 * @param labels what an operator says the host is ({@code rack=r1}), for placement rules
 * @param epochFile where the newest coordinator epoch this agent has seen is kept across restarts;
 *     empty for memory only
 */
public record AgentConfig(
    String libvirtUri,
    String name,
    Duration sampleInterval,
    Duration reconnectMaxBackoff,
    JolokiaConfig jolokia,
    MetricsConfig metrics,
    Optional<JmxRemoteConfig> jmx,
    String advertiseUrl,
    Path libvirtState,
    MigrationConfig migration,
    Optional<EnrolmentConfig> enrol,
    Optional<UUID> hostUuid,
    HostLabels labels,
    Optional<Path> epochFile) {

  public static final String PREFIX = "xcm.agent.";
  public static final int DEFAULT_JOLOKIA_PORT = 8778;

  /**
   * Jolokia requests an agent serves at once unless {@code jolokia.threads} says otherwise: its
   * callers (the coordinator, a peer handing a domain over) take turns, and each thread costs
   * memory that belongs to the VMs.
   */
  static final int JOLOKIA_THREADS = 1;

  public static final int DEFAULT_METRICS_PORT = 9278;

  /** The epoch file's name in the key directory, when {@code epoch-file} is not given. */
  public static final String DEFAULT_EPOCH_FILE = "epoch";

  /**
   * Loads {@code xcm.agent.*} keys:
   *
   * <pre>
   * xcm.agent.libvirt-uri            required, e.g. test:///etc/xcm/dmz01.xml or qemu:///system
   * xcm.agent.libvirt-state          (none) test driver only: a file that keeps the host's domains
   *                                  across agent restarts, as a real hypervisor does (needs the
   *                                  test kit, xcm-testkit, on the class path)
   * xcm.agent.name                   host name in the cluster (default: derived)
   * xcm.agent.sample-interval        5s
   * xcm.agent.reconnect-max-backoff  60s
   * xcm.agent.jolokia.address        127.0.0.1
   * xcm.agent.jolokia.port           8778
   * xcm.agent.jolokia.user           xcm
   * xcm.agent.jolokia.password       or xcm.agent.jolokia.password-file: a local operator user;
   *                                  required without enrol.url (an enrolled agent's operator is
   *                                  the coordinator's certificate, no password)
   * xcm.agent.jolokia.monitor.user   (none) a read-only user: read, list, search (default: monitor
   *                                  when its password is given)
   * xcm.agent.jolokia.monitor.password  or .monitor.password-file
   * xcm.agent.jolokia.max-body       1m    larger request bodies are refused (413)
   * xcm.agent.jolokia.tls.keystore   (off) HTTPS with this key store (PKCS12 or JKS); with
   *                                  .keystore-password(-file), optional .truststore,
   *                                  .truststore-password(-file) and .client-auth (false)
   * xcm.agent.metrics.address        127.0.0.1
   * xcm.agent.metrics.port           9278
   * xcm.agent.jmx.port               (off) JMX remote connector port
   * xcm.agent.jmx.address            127.0.0.1
   * xcm.agent.jmx.password-file      required with jmx.port (JDK jmxremote.password format)
   * xcm.agent.jmx.access-file        required with jmx.port (JDK jmxremote.access format)
   * xcm.agent.jmx.tls.*              (off) SSL for the connector: the same keys as jolokia.tls.*
   * xcm.agent.advertise-url          the Jolokia URL to enrol with (default: where Jolokia listens;
   *                                  required when it listens on every address)
   * xcm.agent.migration.uri          libvirt URI other hosts' libvirtd migrate domains here through
   *                                  (default: libvirt-uri)
   * xcm.agent.migration.address      where migration data comes in, e.g. tcp://10.0.0.6 (default:
   *                                  tcp://127.0.0.1 when migration.uri names no host, else libvirt's)
   * xcm.agent.migration.timeout      5m; a live migration running longer is aborted
   * xcm.agent.migration.bandwidth    0 (no cap); MiB/s for each live migration
   * xcm.agent.enrol.url              (none) the coordinators' https enrolment URLs, comma-separated
   *                                  (at most 16), to ask for this host's cluster certificate; a
   *                                  standby is passed for the next (see EnrolmentConfig)
   * xcm.agent.enrol.ca-file          required with enrol.url: the cluster authority's certificate
   * xcm.agent.enrol.token-file       (none) a one-time enrolment token, mode 0600
   * xcm.agent.enrol.key-dir          required with enrol.url: this host's key and certificate
   * xcm.agent.enrol.poll             5s: how often to ask again while waiting for an operator
   * xcm.agent.labels                 (none) what the host is, for placement rules: key=value pairs,
   *                                  comma-separated, e.g. rack=r1,ssd=true (HostLabels)
   * xcm.agent.host-uuid              (none) the host UUID to enrol with when libvirt reports none
   *                                  (its test driver); must match libvirt's when it reports one
   * xcm.agent.epoch-file             where the newest coordinator epoch this agent has seen is
   *                                  kept, so that a restarted agent still refuses a former active
   *                                  coordinator (default: &lt;enrol.key-dir&gt;/epoch with enrol.url,
   *                                  else memory only); in a directory only the agent's user
   *                                  enters (made with mode 0700)
   * </pre>
   *
   * @throws ConfigException naming the first key at fault
   */
  public static AgentConfig load(Map<String, String> values) {
    Settings s = new Settings(PREFIX, values);
    String uri = s.required("libvirt-uri", "the libvirt URI to sample, e.g. test:///abs/node.xml");
    String name = s.string("name").orElse(null);
    Path libvirtState = s.string("libvirt-state").map(Path::of).orElse(null);
    if (libvirtState != null && !uri.startsWith("test:///")) {
      throw new ConfigException(
          PREFIX + "libvirt-state",
          libvirtState.toString(),
          "is for libvirt's test driver (test:///...) only; " + uri + " keeps its domains itself");
    }
    Duration interval = s.duration("sample-interval", Duration.ofSeconds(5));
    if (interval.toMillis() < 100) {
      throw new ConfigException(
          PREFIX + "sample-interval", interval.toMillis() + "ms", "must be at least 100ms");
    }
    Duration backoff = s.duration("reconnect-max-backoff", Duration.ofSeconds(60));
    JolokiaConfig jolokia =
        JolokiaConfig.load(
            s, DEFAULT_JOLOKIA_PORT, JOLOKIA_THREADS, s.string("enrol.url").isEmpty());
    MetricsConfig metrics = MetricsConfig.load(s, DEFAULT_METRICS_PORT);
    Optional<JmxRemoteConfig> jmx = JmxRemoteConfig.load(s);
    String advertiseUrl = s.string("advertise-url").orElse(null);
    MigrationConfig migration = MigrationConfig.load(s, uri);
    Optional<EnrolmentConfig> enrol = EnrolmentConfig.load(s);
    Optional<UUID> hostUuid = s.string("host-uuid").map(AgentConfig::uuid);
    HostLabels labels;
    try {
      labels = HostLabels.parse(s.string("labels", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(PREFIX + "labels", s.string("labels", ""), e.getMessage());
    }
    if (enrol.isPresent() && s.string("jolokia.tls.keystore").isPresent()) {
      throw new ConfigException(
          PREFIX + "jolokia.tls.keystore",
          s.string("jolokia.tls.keystore").get(),
          "cannot be used with "
              + PREFIX
              + "enrol.url: an enrolled agent's Jolokia presents its cluster certificate");
    }
    if (enrol.isPresent() && advertiseUrl == null && isWildcard(jolokia.address())) {
      throw new ConfigException(
          PREFIX + "advertise-url",
          null,
          "required when Jolokia listens on every address ("
              + jolokia.address()
              + "): the coordinator needs one URL to reach this agent");
    }
    Optional<Path> epochFile =
        s.string("epoch-file")
            .map(Path::of)
            .or(() -> enrol.map(e -> e.keyDir().resolve(DEFAULT_EPOCH_FILE)));
    if (epochFile.isPresent() && Files.isDirectory(epochFile.get())) {
      throw new ConfigException(
          PREFIX + "epoch-file",
          epochFile.get().toString(),
          "is a directory; name the file that keeps the newest coordinator epoch");
    }
    s.requireAllUsed();
    return new AgentConfig(
        uri,
        name,
        interval,
        backoff,
        jolokia,
        metrics,
        jmx,
        advertiseUrl,
        libvirtState,
        migration,
        enrol,
        hostUuid,
        labels,
        epochFile);
  }

  private static UUID uuid(String text) {
    try {
      if (text.length() != 36) {
        throw new IllegalArgumentException("not 36 characters");
      }
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          PREFIX + "host-uuid", text, "must be a UUID like 4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    }
  }

  private static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
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
