package xcm.agent.migration;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.mbeans.AgentUrls;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationStatus;
import xcm.serve.LogText;

/**
 * The migrations this agent runs as the source: {@link #migrate} checks the request at once and
 * runs the migration in the background, by libvirt's live migration where the hypervisor can
 * ({@link LiveMigration}), else by a hand-over between the agents where it has {@link Handovers};
 * {@link #status} and {@link #recent} follow it.
 *
 * <pre>{@code
 * OutgoingMigrations migrations = OutgoingMigrations.builder()
 *     .host("dmz01").hypervisor(hypervisor).locks(locks).peerTls(trust::peerClientTls)
 *     .handovers(handovers).onPhaseChange(sampler::requestSample).build();
 * String id = migrations.migrate("web01", "http://10.0.0.6:8778/jolokia/", ticket);
 * MigrationStatus status = migrations.status(id);
 * }</pre>
 *
 * <p>History is bounded: ended migrations are kept for an hour, at most 100 of them; running ones
 * (at most one per domain) are always kept.
 *
 * <p>Thread-safe.
 */
public final class OutgoingMigrations implements AutoCloseable {
  /** At most this many ended migrations are kept. */
  public static final int KEEP_AT_MOST = MigrationHistory.KEEP_AT_MOST;

  private static final Logger log = LoggerFactory.getLogger(OutgoingMigrations.class);

  private final String host;
  private final Hypervisor hypervisor;
  private final DomainLocks locks;
  private final Function<URI, Peer> peers;
  private final Runnable phaseChanged;
  private final Clock clock;
  private final Duration finishRetryFor;
  private final Optional<Handovers> handovers;
  private final LiveMigration.Settings live;
  private final ThreadPoolExecutor executor;
  private final Set<String> ownUrls = ConcurrentHashMap.newKeySet();
  private final MigrationHistory history;

  private OutgoingMigrations(Builder b) {
    this.host = b.host;
    this.hypervisor = b.hypervisor;
    this.locks = b.locks;
    this.peers = b.peers;
    this.phaseChanged = b.phaseChanged;
    this.clock = b.clock;
    this.history = new MigrationHistory(b.clock);
    this.finishRetryFor = b.finishRetryFor;
    this.handovers = b.handovers;
    this.live = new LiveMigration.Settings(b.liveTimeout, b.bandwidthMiBps, b.livePoll);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            b.threads,
            b.threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "xcm-migrate-" + host + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Threads only while migrations run: an agent that never migrates keeps none.
    executor.allowCoreThreadTimeOut(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells this agent one of its own Jolokia URLs (where it listens, the one it advertises), which
   * {@link #migrate} refuses as a destination.
   */
  public void knownAs(String jolokiaUrl) {
    URI url = destinationUrl(jolokiaUrl);
    if (url != null) {
      ownUrls.add(url.toString());
    }
  }

  /**
   * Starts migrating a running domain to the agent at {@code destination}; returns the migration's
   * id at once.
   *
   * @param ticket the coordinator's ticket, which a hand-over passes to the destination
   * @throws IllegalArgumentException naming the host, the domain and the reason, changing nothing
   *     ({@link xcm.agent.libvirt.OperationErrors}): no such domain, it does not run, it is being
   *     migrated already (or is otherwise busy), the destination is not an agent's URL or is this
   *     agent's, or the host can migrate no domain (not enrolled: no certificate; a hypervisor that
   *     cannot migrate live and no hand-over); asked again, it is refused again
   * @throws IllegalStateException changing nothing, when libvirt cannot tell the domain's state or
   *     the agent stops; asked again later, it may pass (the coordinator tries again)
   */
  public String migrate(String domain, String destination, String ticket) {
    if (domain == null || domain.isEmpty()) {
      throw new IllegalArgumentException(host + ": cannot migrate: no domain given");
    }
    String refusal = host + ": cannot migrate domain '" + domain + "': ";
    URI url = destinationUrl(destination);
    if (url == null) {
      throw new IllegalArgumentException(
          refusal
              + "the destination '"
              + destination
              + "' is not an agent's Jolokia URL like http://10.0.0.6:8778/jolokia/");
    }
    if (ownUrls.contains(url.toString())) {
      throw new IllegalArgumentException(
          refusal + "the destination " + url + " is this host's own agent");
    }
    if (peers == null) {
      throw new IllegalArgumentException(
          refusal
              + "this agent is not enrolled: it reaches other agents only with the certificate"
              + " the coordinator issues it (xcm.agent.enrol.url)");
    }
    String id = UUID.randomUUID().toString();
    DomainLocks.Lease lease;
    try {
      lease = locks.acquire(domain, "being migrated to " + url + " (migration " + id + ")");
    } catch (DomainLocks.BusyException e) {
      throw new IllegalArgumentException(refusal + "it is " + e.holder());
    }
    OutgoingMigration handover;
    try {
      DomainState state = hypervisor.domainState(domain);
      if (!IncomingMigrations.runs(state)) {
        throw new IllegalArgumentException(
            refusal
                + "it is "
                + IncomingMigrations.describe(state)
                + "; only a running domain can be migrated");
      }
      OutgoingMigration.Context context =
          new OutgoingMigration.Context(
              id,
              host,
              domain,
              ticket == null ? "" : ticket,
              hypervisor,
              peers.apply(url),
              lease,
              this::phaseChanged,
              clock);
      handover =
          hypervisor.canMigrateLive()
              ? new LiveMigration(context, live)
              : handovers
                  .orElseThrow(() -> new IllegalArgumentException(refusal + noHandover()))
                  .handover(context, finishRetryFor);
      history.add(handover);
    } catch (DomainNotFoundException e) {
      lease.close();
      throw new IllegalArgumentException(refusal + "no such domain", e);
    } catch (HypervisorException e) {
      lease.close();
      throw new IllegalStateException(refusal + e.getMessage(), e);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    try {
      executor.execute(handover);
    } catch (RejectedExecutionException e) {
      history.remove(handover);
      lease.close();
      throw new IllegalStateException(refusal + "the agent is stopping", e);
    }
    log.info(
        "{}: migration {} of '{}' to {} started",
        host,
        id,
        LogText.escape(domain),
        LogText.escape(url));
    return id;
  }

  /**
   * One migration's status.
   *
   * @throws IllegalArgumentException naming the id when no such migration is kept
   */
  public MigrationStatus status(String id) {
    return history
        .status(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    host
                        + ": no migration with id '"
                        + id
                        + "' (unknown, or ended more than an hour ago)"));
  }

  /** Running migrations and those ended in the last hour, newest first, at most 100. */
  public List<MigrationStatus> recent() {
    return history.recent();
  }

  /**
   * Stops taking migrations and waits for those running to end: stopping one half-way would leave
   * its domain paused. Each ends within its peer calls' time-outs.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
        log.warn(
            "{}: stopping with migrations still running: {}",
            host,
            LogText.escape(history.running()));
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Why a host whose hypervisor cannot migrate live migrates nothing without a hand-over. */
  private String noHandover() {
    return "libvirt's driver of "
        + hypervisor.uri()
        + " cannot migrate live, and this agent has no hand-over between agents for such hosts"
        + " (test support: xcm-testkit is not on its class path)";
  }

  private void phaseChanged() {
    try {
      phaseChanged.run();
    } catch (RejectedExecutionException e) {
      // The sampler stopped: the agent is shutting down and nobody reads its samples any more.
    }
  }

  /** The URL in its one spelling ({@link AgentUrls}), or null when it is no agent's URL. */
  static URI destinationUrl(String text) {
    try {
      return AgentUrls.normalise(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Builds {@link OutgoingMigrations}; {@code host}, {@code hypervisor} and peers are required. */
  public static final class Builder {
    private String host;
    private Hypervisor hypervisor;
    private DomainLocks locks = new DomainLocks();
    private Function<URI, Peer> peers;
    private Supplier<SSLContext> peerTls;
    private Duration peerTimeout = Duration.ofSeconds(30);
    private Runnable phaseChanged = () -> {};
    private Clock clock = Clock.systemUTC();
    private Duration finishRetryFor = Duration.ofSeconds(30);
    private Optional<Handovers> handovers = Optional.empty();
    private Duration liveTimeout = Duration.ofMinutes(5);
    private long bandwidthMiBps;
    private Duration livePoll = Duration.ofSeconds(1);
    private int threads = 4;

    private Builder() {}

    /** Required: the host name, first word of every error and log line. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Required: the agent's one hypervisor, the one its sampler reads. */
    public Builder hypervisor(Hypervisor hypervisor) {
      this.hypervisor = hypervisor;
      return this;
    }

    /** Optional: shared with the agent's other operations. Default is a lock set of its own. */
    public Builder locks(DomainLocks locks) {
      this.locks = locks;
      return this;
    }

    /** Required (or, in tests, peers): credentials for the destination agents' Jolokia. */
    /**
     * Optional: destinations are reached over the cluster's TLS with this agent's certificate
     * (asked at the first migration). Without it (or {@link #peers}) the agent is not enrolled and
     * migrates nothing.
     */
    public Builder peerTls(Supplier<SSLContext> peerTls) {
      this.peerTls = peerTls;
      return this;
    }

    /** Optional: how long one call to a destination may take. Default is 30 s. */
    public Builder peerTimeout(Duration peerTimeout) {
      this.peerTimeout = peerTimeout;
      return this;
    }

    /** Optional, for tests: how the destinations are reached, instead of Jolokia over peerTls. */
    public Builder peers(Function<URI, Peer> peers) {
      this.peers = peers;
      return this;
    }

    /**
     * Optional: how domains move where the hypervisor cannot migrate live. Default is none: such a
     * host refuses every migration, naming the reason.
     */
    public Builder handovers(Handovers handovers) {
      this.handovers = Optional.of(handovers);
      return this;
    }

    /** Optional: called after every phase change, e.g. to sample at once. Default does nothing. */
    public Builder onPhaseChange(Runnable phaseChanged) {
      this.phaseChanged = phaseChanged;
      return this;
    }

    /** Optional: the clock of the statuses' times and of history expiry. Default is UTC. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Optional: how long the source keeps asking a destination whose answer to FINISH was lost,
     * with the domain paused, before it gives up and leaves it paused. Default is 30 s.
     */
    public Builder finishRetryFor(Duration finishRetryFor) {
      this.finishRetryFor = finishRetryFor;
      return this;
    }

    /**
     * Optional: how long libvirt's live migration of one domain may run before its job is aborted
     * (a migration that does not converge). Default is 5 minutes.
     */
    public Builder liveMigrationTimeout(Duration timeout) {
      this.liveTimeout = timeout;
      return this;
    }

    /** Optional: a cap on each live migration's bandwidth, MiB/s. Default is 0, no cap. */
    public Builder bandwidthMiBps(long bandwidthMiBps) {
      this.bandwidthMiBps = bandwidthMiBps;
      return this;
    }

    /** For tests: how often a running live migration's progress is read. Default is 1 s. */
    Builder liveMigrationPoll(Duration poll) {
      this.livePoll = poll;
      return this;
    }

    /** Optional: migrations run at once; more wait in line. Default is 4. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public OutgoingMigrations build() {
      if (host == null || hypervisor == null) {
        throw new IllegalStateException("OutgoingMigrations needs host and hypervisor");
      }
      if (peers != null && peerTls != null) {
        throw new IllegalStateException("give either peers or peerTls, not both");
      }
      if (peerTls != null) {
        peers = JolokiaPeers.overTls(peerTls, peerTimeout);
      }
      // Without either, the agent is not enrolled: nothing is migrated (see migrate).
      if (liveTimeout.isNegative() || liveTimeout.isZero() || bandwidthMiBps < 0) {
        throw new IllegalStateException(
            "live migration timeout must be positive and bandwidth not negative, found "
                + liveTimeout
                + " and "
                + bandwidthMiBps);
      }
      if (threads < 1) {
        throw new IllegalStateException("threads must be at least 1, found " + threads);
      }
      return new OutgoingMigrations(this);
    }
  }
}
