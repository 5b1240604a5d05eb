package xcm.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import xcm.coordinator.balancing.BalancingConfig;
import xcm.coordinator.enrol.EnrolConfig;
import xcm.coordinator.failure.FailureConfig;
import xcm.coordinator.fence.FenceDevices;
import xcm.coordinator.operation.AuditRetention;
import xcm.coordinator.webhook.WebhookConfig;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.ConsoleSettings;
import xcm.serve.JmxRemoteConfig;
import xcm.serve.JolokiaConfig;
import xcm.serve.MetricsConfig;

/**
 * The coordinator's configuration, validated as a whole when loaded: a wrong or unknown {@code
 * xcm.coordinator.*} key fails start-up naming the key and the value.
 *
 * @param standbyCollectInterval how often a standby collects: its views are this fresh
 * @param stateDir where membership and, by default, the journal survive restarts
 * @param nightlyBalanceCron Quartz cron expression of the nightly rebalance; empty for none
 * @param webhook the Alertmanager webhook; empty (off) when no token is configured
 * @param enrol the coordinator's name in its certificate, and where hosts enrol
 * @param failure how a host that stops answering is suspected, fenced and returned
 * @param fenceDevices how each host is powered off when it dies; none unless a file is given
 * @param leaderLease how long the active coordinator's lease holds unrenewed: a standby takes over
 *     within this and a quarter more of the active's end
 * @param advertiseUrl the Jolokia URL the other coordinators and the CLI name this one by, when it
 *     is the active one; empty for the URL it listens on
 */
public record CoordinatorConfig(
    Duration collectInterval,
    Duration standbyCollectInterval,
    Duration agentTimeout,
    int unreachableAfterRounds,
    Duration deadHostAfter,
    Duration deadHostCheckInterval,
    JolokiaConfig jolokia,
    MetricsConfig metrics,
    Optional<JmxRemoteConfig> jmx,
    Path stateDir,
    String journalUrl,
    String journalUser,
    String journalPassword,
    int migrationsPerHost,
    int migrationsInCluster,
    Duration migrationTimeout,
    int migrationRetries,
    long reservedMemoryBytes,
    Duration cooldown,
    Duration operationRetention,
    AuditRetention auditRetention,
    String nightlyBalanceCron,
    String nightlyBalancePolicy,
    BalancingConfig balancing,
    Optional<WebhookConfig> webhook,
    EnrolConfig enrol,
    FailureConfig failure,
    FenceDevices fenceDevices,
    Duration leaderLease,
    Optional<String> advertiseUrl,
    Optional<ConsoleSettings> console) {

  public static final String PREFIX = "xcm.coordinator.";
  public static final int DEFAULT_JOLOKIA_PORT = 8780;

  /**
   * Jolokia requests the coordinator serves at once unless {@code jolokia.threads} says otherwise:
   * an operation that waits for an agent must not hold up reads of the views.
   */
  static final int JOLOKIA_THREADS = 4;

  public static final int DEFAULT_METRICS_PORT = 9280;

  /**
   * Loads {@code xcm.coordinator.*} keys:
   *
   * <pre>
   * xcm.coordinator.collect-interval          5s
   * xcm.coordinator.standby.collect-interval  (collect-interval) how often a standby reads
   * xcm.coordinator.agent-timeout             2s (at most the collect interval)
   * xcm.coordinator.unreachable-after-rounds  3
   * xcm.coordinator.dead-host-after           10m
   * xcm.coordinator.dead-host-check-interval  30s
   * xcm.coordinator.jolokia.address/port      127.0.0.1 / 8780
   * xcm.coordinator.jolokia.user              xcm
   * xcm.coordinator.jolokia.password(-file)   required: the operators' user
   * xcm.coordinator.jolokia.monitor.user      (none) read-only user (default name: monitor)
   * xcm.coordinator.jolokia.monitor.password(-file)  turns the read-only user on
   * xcm.coordinator.jolokia.max-body          1m    larger request bodies are refused (413)
   * xcm.coordinator.jolokia.tls.keystore      (off) HTTPS; .keystore-password(-file),
   *                                           .truststore, .truststore-password(-file),
   *                                           .client-auth (false)
   * xcm.coordinator.metrics.address/port      127.0.0.1 / 9280
   * xcm.coordinator.jmx.port/address          off / 127.0.0.1
   * xcm.coordinator.jmx.password-file         required with jmx.port
   * xcm.coordinator.jmx.access-file           required with jmx.port
   * xcm.coordinator.jmx.tls.*                 (off) SSL for the connector, keys as jolokia.tls.*
   * xcm.coordinator.state-dir                 .xcm/coordinator  membership and the journal
   * xcm.coordinator.journal.url               jdbc:h2:file:STATE-DIR/journal (or a PostgreSQL
   *                                           URL: jdbc:postgresql://host:5432/xcm)
   * xcm.coordinator.journal.user              (none)
   * xcm.coordinator.journal.password(-file)   (none)
   * xcm.coordinator.migration.per-host        2     moves in flight per host (source or target)
   * xcm.coordinator.migration.cluster         8     moves in flight in the cluster
   * xcm.coordinator.migration.timeout         10m   one migration, before it counts as failed
   * xcm.coordinator.migration.retries         2     further attempts after a failed migration
   * xcm.coordinator.reserved-memory           1g    per host, kept for the hypervisor
   * xcm.coordinator.cooldown                  10m   a migrated domain is not moved again sooner
   * xcm.coordinator.operation-retention       1h    ended operations stay visible this long
   * xcm.coordinator.audit.max-age             90d   audit entries older than this are pruned
   * xcm.coordinator.audit.max-rows            1000000  and those beyond the newest this many
   * xcm.coordinator.audit.prune-interval      1h    how often the audit log is pruned
   * xcm.coordinator.nightly-balance.cron      0 0 2 * * ?  (empty: off) Quartz cron, local time
   * xcm.coordinator.nightly-balance.policy    weighted
   * xcm.coordinator.balancing.*               continuous balancing: level (off), threshold (3),
   *                                           interval (5m), ... ({@link BalancingConfig})
   * xcm.coordinator.power-saving.*            power saving: enabled (false), targets, hook
   * xcm.coordinator.console.enabled          true  the web console at /ui/ beside Jolokia
   * xcm.coordinator.console.session-idle     30m   a console session unused this long ends
   * xcm.coordinator.console.session-lifetime 12h   and one this old, used or not
   * xcm.coordinator.console.max-sessions     1000
   * xcm.coordinator.console.max-failed-sign-ins  10  a minute from one address, then 429
   * xcm.coordinator.webhook.token(-file)      (off) bearer token of the Alertmanager webhook;
   *                                           the webhook runs only with one (16+ characters)
   * xcm.coordinator.webhook.address/port      127.0.0.1 / 9290   POST /api/v1/alertmanager
   * xcm.coordinator.webhook.max-body          1m    larger request bodies are refused (413)
   * xcm.coordinator.webhook.remember          24h   an alert that started an action starts
   *                                                 nothing when delivered again within this
   * xcm.coordinator.webhook.balance-policy    weighted  for alerts without an xcm_policy label
   * xcm.coordinator.name                      coordinator  its name in its certificate
   * xcm.coordinator.enrol.address/port        127.0.0.1 / 8790   the enrolment door (HTTPS,
   *                                           POST /enrol), where hosts ask to join
   * xcm.coordinator.failure.detect-after      15s   a host silent this long is SUSPECT
   * xcm.coordinator.failure.fence-retry       10s   first wait after a failed fence (doubles)
   * xcm.coordinator.failure.fence-retry-max   5m    longest wait between fencing attempts
   * xcm.coordinator.failure.peers-asked       3     agents asked whether they reach a suspect
   * xcm.coordinator.failure.return            active  (or maintenance) a fenced host once back
   * xcm.coordinator.failure.failover-level    1     host failures the cluster must absorb
   * xcm.coordinator.failure.restart-cpu-percent  100  CPU load restarts may bring a host to
   * xcm.coordinator.fence-devices             (none) file of each host's fence agent and its
   *                                           options (docs/fencing.md), checked at start
   * xcm.coordinator.leader.lease              8s    the active's lease on the journal (1s..5m):
   *                                           a standby takes over within 1.25 times this
   * xcm.coordinator.advertise-url             (the Jolokia URL it listens on) how standbys name
   *                                           this coordinator to operators when it is active
   * </pre>
   *
   * @throws ConfigException naming the first key at fault
   */
  public static CoordinatorConfig load(Map<String, String> values) {
    Settings s = new Settings(PREFIX, values);
    Duration interval = s.duration("collect-interval", Duration.ofSeconds(5));
    // A round must end before the next one is due: the timeout defaults to the smaller of the two.
    Duration timeout =
        s.duration(
            "agent-timeout",
            interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2));
    if (timeout.compareTo(interval) > 0) {
      throw new ConfigException(
          PREFIX + "agent-timeout",
          timeout.toMillis() + "ms",
          "must not exceed " + PREFIX + "collect-interval (" + interval.toMillis() + "ms)");
    }
    Duration standbyInterval = s.duration("standby.collect-interval", interval);
    if (standbyInterval.compareTo(interval) < 0) {
      throw new ConfigException(
          PREFIX + "standby.collect-interval",
          standbyInterval.toMillis() + "ms",
          "must not be below " + PREFIX + "collect-interval (" + interval.toMillis() + "ms)");
    }
    int rounds = s.positiveInt("unreachable-after-rounds", 3);
    Duration deadAfter = s.duration("dead-host-after", Duration.ofMinutes(10));
    Duration deadCheck = s.duration("dead-host-check-interval", Duration.ofSeconds(30));
    JolokiaConfig jolokia = JolokiaConfig.load(s, DEFAULT_JOLOKIA_PORT, JOLOKIA_THREADS);
    MetricsConfig metrics = MetricsConfig.load(s, DEFAULT_METRICS_PORT);
    Optional<JmxRemoteConfig> jmx = JmxRemoteConfig.load(s);
    Path stateDir = Path.of(s.string("state-dir", ".xcm/coordinator")).toAbsolutePath();
    String journalUrl = s.string("journal.url", "jdbc:h2:file:" + stateDir.resolve("journal"));
    if (!journalUrl.startsWith("jdbc:")) {
      throw new ConfigException(
          PREFIX + "journal.url",
          journalUrl,
          "must be a JDBC URL (jdbc:h2:... or jdbc:postgresql:...)");
    }
    String journalUser = s.string("journal.user", "");
    String journalPassword =
        s.string("journal.password").isPresent() || s.string("journal.password-file").isPresent()
            ? s.secret("journal.password", "")
            : "";
    int perHost = s.positiveInt("migration.per-host", 2);
    int inCluster = s.positiveInt("migration.cluster", 8);
    Duration migrationTimeout = s.duration("migration.timeout", Duration.ofMinutes(10));
    int retries = s.nonNegativeInt("migration.retries", 2);
    long reserved = s.bytes("reserved-memory", 1L << 30);
    Duration cooldown = s.duration("cooldown", Duration.ofMinutes(10));
    Duration retention = s.duration("operation-retention", Duration.ofHours(1));
    AuditRetention auditRetention = AuditRetention.load(s);
    String cron =
        values.containsKey(PREFIX + "nightly-balance.cron")
            ? s.string("nightly-balance.cron", "")
            : "0 0 2 * * ?";
    if (!cron.isEmpty() && !org.quartz.CronExpression.isValidExpression(cron)) {
      throw new ConfigException(
          PREFIX + "nightly-balance.cron",
          cron,
          "must be a Quartz cron expression like \"0 0 2 * * ?\" (seconds minutes hours"
              + " day-of-month month day-of-week), or empty for no nightly balance");
    }
    String nightlyPolicy = s.string("nightly-balance.policy", "weighted");
    BalancingConfig balancing = BalancingConfig.load(s);
    Optional<WebhookConfig> webhook = WebhookConfig.load(s);
    EnrolConfig enrol = EnrolConfig.load(s);
    FailureConfig failure = FailureConfig.load(s);
    FenceDevices fenceDevices =
        s.string("fence-devices")
            .map(f -> FenceDevices.load(Path.of(f).toAbsolutePath()))
            .orElse(FenceDevices.none());
    Duration lease = s.duration("leader.lease", Duration.ofSeconds(8));
    if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ConfigException(
          PREFIX + "leader.lease", lease.toMillis() + "ms", "must be between 1s and 5m");
    }
    Optional<String> advertiseUrl = s.string("advertise-url");
    Optional<ConsoleSettings> console = console(s);
    s.requireAllUsed();
    return new CoordinatorConfig(
        interval,
        standbyInterval,
        timeout,
        rounds,
        deadAfter,
        deadCheck,
        jolokia,
        metrics,
        jmx,
        stateDir,
        journalUrl,
        journalUser,
        journalPassword,
        perHost,
        inCluster,
        migrationTimeout,
        retries,
        reserved,
        cooldown,
        retention,
        auditRetention,
        cron,
        nightlyPolicy,
        balancing,
        webhook,
        enrol,
        failure,
        fenceDevices,
        lease,
        advertiseUrl,
        console);
  }

  private static Optional<ConsoleSettings> console(Settings s) {
    if (!s.bool("console.enabled", true)) {
      return Optional.empty();
    }
    ConsoleSettings d = ConsoleSettings.defaults();
    Duration idle = s.duration("console.session-idle", d.idle());
    Duration lifetime = s.duration("console.session-lifetime", d.lifetime());
    try {
      return Optional.of(
          new ConsoleSettings(
              idle,
              lifetime,
              s.positiveInt("console.max-sessions", d.maxSessions()),
              s.positiveInt("console.max-failed-sign-ins", d.maxFailedSignIns())));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(PREFIX + "console.session-idle", idle.toString(), e.getMessage());
    }
  }

  /** Every field, the passwords masked. */
  @Override
  public String toString() {
    return "CoordinatorConfig[collectInterval="
        + collectInterval
        + ", standbyCollectInterval="
        + standbyCollectInterval
        + ", agentTimeout="
        + agentTimeout
        + ", unreachableAfterRounds="
        + unreachableAfterRounds
        + ", deadHostAfter="
        + deadHostAfter
        + ", deadHostCheckInterval="
        + deadHostCheckInterval
        + ", jolokia="
        + jolokia
        + ", metrics="
        + metrics
        + ", jmx="
        + jmx
        + ", stateDir="
        + stateDir
        + ", journalUrl="
        + journalUrl
        + ", journalUser="
        + journalUser
        + ", journalPassword="
        + (journalPassword == null || journalPassword.isEmpty() ? "none" : "***")
        + ", migrationsPerHost="
        + migrationsPerHost
        + ", migrationsInCluster="
        + migrationsInCluster
        + ", migrationTimeout="
        + migrationTimeout
        + ", migrationRetries="
        + migrationRetries
        + ", reservedMemoryBytes="
        + reservedMemoryBytes
        + ", cooldown="
        + cooldown
        + ", operationRetention="
        + operationRetention
        + ", auditRetention="
        + auditRetention
        + ", nightlyBalanceCron="
        + nightlyBalanceCron
        + ", nightlyBalancePolicy="
        + nightlyBalancePolicy
        + ", balancing="
        + balancing
        + ", webhook="
        + webhook
        + ", fenceDevices="
        + fenceDevices
        + ", leaderLease="
        + leaderLease
        + ", advertiseUrl="
        + advertiseUrl
        + ", console="
        + console
        + "]";
  }
}
