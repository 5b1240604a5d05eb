package xcm.coordinator.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import xcm.coordinator.migration.MoveJournal;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationState;

/**
 * The coordinator's durable journal: every operation and every move with its phase, written before
 * the coordinator acts on it, the operator modes of hosts (draining, maintenance) and the audit
 * log. After a crash the coordinator reads back what was under way and reconciles it with what the
 * agents report.
 *
 * <p>Plain JDBC with SQL that runs unchanged on the embedded H2 file database (the default) and on
 * PostgreSQL.
 *
 * <pre>{@code
 * try (Journal journal = Journal.open("jdbc:h2:file:/var/lib/xcm/journal", "", "", clock)) {
 *   journal.hostMode("dmz01", HostState.DRAINING);
 * }
 * }</pre>
 *
 * <p>Thread-safe: a pool of connections ({@link JournalDatabase}) that outlives a restart of the
 * database; a failed write throws {@link JournalException} and the caller must not act.
 */
public final class Journal implements MoveJournal, AutoCloseable {
  /**
   * Connections at most: the coordinator writes from a few threads at once (collection, moves,
   * requests), each briefly.
   */
  private static final int POOL_SIZE = 4;

  /**
   * How long a call waits for a connection while the database is away (restarting, say) before it
   * fails: long enough for a PostgreSQL restart, short enough that a request is answered.
   */
  private static final Duration WAIT_FOR_DATABASE = Duration.ofSeconds(10);

  private final JournalDatabase db;
  private final AuditRows auditRows;
  private final AlertRows alertRows;
  private final FailureRows failureRows;
  private final OperationRows operationRows;
  private final LeaseRows leases;
  private final RegistryRows registry;
  private final Clock clock;

  private Journal(JournalDatabase db, Clock clock) {
    this.db = db;
    this.auditRows = new AuditRows(db);
    this.alertRows = new AlertRows(db);
    this.failureRows = new FailureRows(db);
    this.operationRows = new OperationRows(db, clock);
    this.leases = new LeaseRows(db);
    this.registry = new RegistryRows(db, clock);
    this.clock = clock;
  }

  /**
   * Opens the journal at a JDBC URL and creates its tables if they are missing.
   *
   * @throws JournalException naming the URL (never the password) and the database's reason
   */
  public static Journal open(String url, String user, String password, Clock clock) {
    return open(url, user, password, clock, Duration.ZERO);
  }

  /**
   * As {@link #open(String, String, String, Clock)}; on PostgreSQL, the database also ends a
   * session of this journal that leaves a transaction idle for longer than {@code pausedWriteLimit}
   * (zero: never). A coordinator paused half-way through a write (a long garbage collection,
   * SIGSTOP) holds the leader row's lock, and with it every takeover, until its transaction ends:
   * the limit ends it, and the paused write fails when it resumes.
   *
   * @throws JournalException naming the URL (never the password) and the database's reason
   */
  public static Journal open(
      String url, String user, String password, Clock clock, Duration pausedWriteLimit) {
    HikariDataSource pool = pool(url, user, password, pausedWriteLimit);
    try (Connection connection = pool.getConnection()) {
      JournalSchema.apply(connection, url, clock);
    } catch (SQLException | IOException | RuntimeException e) {
      pool.close();
      if (e instanceof JournalException refused) {
        throw refused;
      }
      throw new JournalException(
          "cannot create the journal's tables at " + url + ": " + e.getMessage(), e);
    }
    return new Journal(new JournalDatabase(pool, url), clock);
  }

  /** The journal's connections, as {@link #open} makes them. */
  static HikariDataSource pool(
      String url, String user, String password, Duration pausedWriteLimit) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("xcm-journal");
    config.setJdbcUrl(writeThrough(url));
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(WAIT_FOR_DATABASE.toMillis());
    refuseShared(url);
    if (url.startsWith("jdbc:h2:")) {
      // One connection, never retired. H2 closes a database with its last connection, and with it
      // the file lock that keeps a second coordinator out. And a coordinator killed with several
      // transactions open on the file left the next one spinning in H2 on a row the dead ones had
      // locked (seen in the host-failure trials): one connection holds at most one transaction.
      config.setMaximumPoolSize(1);
      config.setMaxLifetime(0);
    } else if (url.startsWith("jdbc:postgresql:") && !pausedWriteLimit.isZero()) {
      config.setConnectionInitSql(
          "SET idle_in_transaction_session_timeout = " + pausedWriteLimit.toMillis());
    }
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      // Hikari wraps the driver's reason; the URL is named here, the password nowhere.
      Throwable reason = e.getCause() instanceof SQLException ? e.getCause() : e;
      throw new JournalException(
          "cannot open the journal at " + url + ": " + reason.getMessage(), e);
    }
  }

  /**
   * An H2 URL with no write delay. A database H2 opens again (its last connection closed, say)
   * takes the 500 ms default, whatever SET WRITE_DELAY stored, and a SIGKILL then loses the last
   * half second of commits: moves asked of agents with no trace in the journal. In the URL, the
   * setting holds for every open of the file. A URL that names a delay keeps it.
   */
  static String writeThrough(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("jdbc:h2:") && !lower.contains(";write_delay=")
        ? url + ";WRITE_DELAY=0"
        : url;
  }

  /**
   * The journal is PostgreSQL, which coordinators share, or an H2 database this process alone opens
   * (a file, or memory): an H2 server, or one started automatically, would let a second coordinator
   * in without the lease that keeps coordinators apart.
   */
  private static void refuseShared(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    boolean ownH2 =
        lower.startsWith("jdbc:h2:")
            && !lower.startsWith("jdbc:h2:tcp:")
            && !lower.startsWith("jdbc:h2:ssl:")
            && !lower.contains("auto_server=true");
    if (!ownH2 && !lower.startsWith("jdbc:postgresql:")) {
      throw new JournalException(
          "cannot open the journal at "
              + url
              + ": the journal is PostgreSQL (jdbc:postgresql://...), which several coordinators"
              + " may share, or an H2 file or memory database one coordinator opens"
              + " (jdbc:h2:file:..., jdbc:h2:mem:...), not an H2 server");
    }
  }

  /**
   * A journal in memory, for tests and for a coordinator told to keep nothing: it answers like the
   * durable one but forgets everything when the process ends.
   */
  public static Journal inMemory(Clock clock) {
    return open(
        "jdbc:h2:mem:xcm-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "", clock);
  }

  /** The leader row: which coordinator acts, under which epoch. */
  public LeaseRows leases() {
    return leases;
  }

  /** Who the hosts are: enrolled, revoked, added by operators; the authority they trust. */
  public RegistryRows registry() {
    return registry;
  }

  /**
   * True when other coordinators may share this journal (PostgreSQL); false for an H2 file, which
   * one process holds at a time.
   */
  public boolean shared() {
    return db.shared();
  }

  /**
   * From now on, what this coordinator records as acting (operations, moves, host modes, fencing,
   * definitions, alert actions) commits only while the lease is {@code holder}'s under {@code
   * epoch}; audit entries are recorded whoever holds it.
   */
  public void actingAs(String holder, long epoch) {
    db.actingAs(new JournalDatabase.Claim(holder, epoch));
  }

  /** From now on, nothing that acts is recorded: this coordinator is a standby. */
  public void standingBy() {
    db.actingAs(JournalDatabase.Claim.NOBODY);
  }

  /** Records a new operation and its moves, all PENDING, in one transaction. */
  public void operationStarted(
      String id,
      JournaledOperation.Kind kind,
      String summary,
      String requestedBy,
      List<MoveRequest> moves) {
    operationRows.operationStarted(id, kind, summary, requestedBy, moves);
  }

  /**
   * The move is about to be asked of its source agent. An earlier attempt's migration id is
   * dropped: after a restart the move must be settled by the migration this attempt starts, which
   * the source agent may be running, not by the earlier one, which ended.
   */
  @Override
  public void dispatching(MoveRequest move) {
    operationRows.movePhase(move, MovePhase.DISPATCHING, null, -1, null);
  }

  /** The source agent runs the move as its migration {@code agentMigration}. */
  @Override
  public void dispatched(MoveRequest move, String agentMigration) {
    operationRows.movePhase(move, MovePhase.DISPATCHED, agentMigration, -1, null);
  }

  /**
   * The move ended; an UNSETTLED end is replaced by a later call that records where it really
   * ended.
   *
   * @param attempts migrations tried, or -1 to keep the number recorded
   */
  public void moveEnded(MoveRequest move, MoveResult.Outcome outcome, int attempts, String error) {
    operationRows.movePhase(move, MovePhase.of(outcome), null, attempts, error);
  }

  /** An operator cancelled the running operation {@code id}. */
  public void operationCancelled(String id) {
    operationRows.operationCancelled(id);
  }

  /** The operation ended. */
  public void operationEnded(String id, OperationState state, List<String> errors) {
    operationRows.operationEnded(id, state, errors);
  }

  /** Records a host's operator mode (ACTIVE, DRAINING, MAINTENANCE). */
  public void hostMode(String host, HostState mode) {
    db.write(
        "record host " + host + " as " + mode,
        c -> {
          try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_host_mode WHERE host = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_host_mode (host, host_mode, updated_at) VALUES (?, ?, ?)")) {
            delete.setString(1, host);
            delete.executeUpdate();
            if (mode != HostState.ACTIVE) {
              insert.setString(1, host);
              insert.setString(2, mode.name());
              insert.setLong(3, clock.millis());
              insert.executeUpdate();
            }
          }
        });
  }

  /** Hosts an operator took out of service (DRAINING or MAINTENANCE). */
  public Map<String, HostState> hostModes() {
    Map<String, HostState> modes = new LinkedHashMap<>();
    db.read(
        "host modes",
        "SELECT host, host_mode FROM xcm_host_mode ORDER BY host",
        s -> {},
        r -> modes.put(r.getString(1), HostState.valueOf(r.getString(2))));
    return modes;
  }

  /** Records a setting an operator changed at run time, replacing its earlier value. */
  public void setting(String name, String value) {
    db.write(
        "record setting " + name,
        c -> {
          try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM xcm_setting WHERE name = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO xcm_setting (name, setting_value, updated_at) VALUES (?, ?, ?)")) {
            delete.setString(1, name);
            delete.executeUpdate();
            insert.setString(1, name);
            insert.setString(2, value);
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
          }
        });
  }

  /** The settings changed at run time, by name. */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    db.read(
        "settings",
        "SELECT name, setting_value FROM xcm_setting ORDER BY name",
        s -> {},
        r -> settings.put(r.getString(1), r.getString(2)));
    return settings;
  }

  /** Appends one audit entry. */
  public void audit(Instant at, String door, String principal, String action, String result) {
    auditRows.audit(at, door, principal, action, result);
  }

  /**
   * Deletes the audit entries older than {@code before} and those beyond the newest {@code keep}
   * (entries of the same millisecond as the oldest one kept stay with it).
   *
   * @return how many entries were deleted
   */
  public int pruneAudit(Instant before, int keep) {
    return auditRows.prune(before, keep);
  }

  /** How many audit entries the journal holds. */
  public long auditSize() {
    return auditRows.count();
  }

  /**
   * Writes the definitions just fetched over what the journal kept of them, and what was seen anew
   * of others (their host, state, size, rules) over theirs, keeping their XML; in one transaction.
   */
  public void saveDefinitions(
      Collection<FetchedDefinition> fetched, Collection<DomainDefinition> seen) {
    failureRows.save(fetched, seen);
  }

  /** Forgets the definitions of domains that no host defines any more. */
  public void forgetDefinitions(Collection<String> uuids) {
    failureRows.forget(uuids);
  }

  /** What the journal keeps of every domain's definition, without the XML. */
  public List<DomainDefinition> definitions() {
    return failureRows.all();
  }

  /** The libvirt XML the journal keeps of a domain, by UUID. */
  public Optional<String> definitionXml(String uuid) {
    return failureRows.xml(uuid);
  }

  /** Records that a host was fenced; it stays so across restarts until {@link #hostReturned}. */
  public void hostFenced(FencedHost fenced) {
    failureRows.fenced(fenced);
  }

  /** Records that a fenced host is back in service. */
  public void hostReturned(String host) {
    failureRows.returned(host);
  }

  /** The hosts fenced and not back. */
  public List<FencedHost> fencedHosts() {
    return failureRows.fencedHosts();
  }

  /** One audit row. */
  public record AuditRow(Instant at, String door, String principal, String action, String result) {}

  /** The newest {@code limit} audit entries, newest first. */
  public List<AuditRow> recentAudit(int limit) {
    return auditRows.recent(limit);
  }

  /**
   * An alert whose action the webhook started.
   *
   * @param key what identifies the alert (at most 64 characters)
   */
  public record AlertAction(String key, String operationId, Instant at) {}

  /** Records an alert's started action, and forgets those started before {@code forgetBefore}. */
  public void alertActionStarted(AlertAction action, Instant forgetBefore) {
    alertRows.alertActionStarted(action, forgetBefore);
  }

  /** The alert actions started since {@code since}, oldest first. */
  public List<AlertAction> alertActionsSince(Instant since) {
    return alertRows.alertActionsSince(since);
  }

  /**
   * An alert a standby received, kept for the active coordinator to act on.
   *
   * @param key what makes alerts the same (the webhook's digest of fingerprint, host, action and
   *     start time)
   * @param receivedBy the name of the coordinator that received it
   */
  public record ReceivedAlert(
      String key,
      String alertname,
      String fingerprint,
      String action,
      String host,
      String policy,
      String startsAt,
      Instant receivedAt,
      String receivedBy) {}

  /**
   * Keeps an alert for the active coordinator, once per key, whoever holds the lease.
   *
   * @return false when {@code capacity} alerts wait already: this one was not kept
   */
  public boolean alertReceived(ReceivedAlert alert, int capacity) {
    return alertRows.alertReceived(alert, capacity);
  }

  /** The alerts kept for the active coordinator, oldest first, at most {@code limit}. */
  public List<ReceivedAlert> alertsReceived(int limit) {
    return alertRows.alertsReceived(limit);
  }

  /** An alert resolved: the firings of it kept for the active coordinator are taken out. */
  public void alertsResolved(String fingerprint) {
    alertRows.alertsResolved(fingerprint);
  }

  /** Takes a kept alert out: the active coordinator acted on it, or refused it. */
  public void alertHandled(String key) {
    alertRows.alertHandled(key);
  }

  /** Operations recorded as running, with their moves: what a restart must reconcile. */
  public List<JournaledOperation> unfinished() {
    return operationRows.unfinished();
  }

  /** Every move of an operation, in plan order. */
  public List<JournaledMove> moves(String operationId) {
    return operationRows.moves(operationId);
  }

  /**
   * Moves whose end nobody could tell yet (UNSETTLED), the oldest first, across all operations:
   * what the coordinator settles when their agents answer, and whose domains no request may move.
   */
  public List<JournaledMove> unsettled() {
    return operationRows.unsettled();
  }

  /**
   * Every move recorded, the most recently changed last: what a check of the journal against the
   * hypervisors reads (the last ended move of a domain says where it must be).
   */
  public List<JournaledMove> allMoves() {
    return operationRows.allMoves();
  }

  @Override
  public void close() {
    db.close();
  }
}
