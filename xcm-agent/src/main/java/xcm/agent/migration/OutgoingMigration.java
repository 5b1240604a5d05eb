package xcm.agent.migration;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.libvirt.Hypervisor;
import xcm.mbeans.MigrationStatus;
import xcm.serve.LogText;

/**
 * One migration this agent runs as the source: {@link LiveMigration} where the hypervisor can
 * migrate (QEMU), else a hand-over that a {@link Handovers} makes (libvirt's test driver). All
 * publish their phases the same way and release the domain's lease before their end shows. A
 * subclass runs its phases in {@link #runPhases()}, entering each with {@link #enter} and leaving
 * them all through {@link #end}.
 *
 * <p>Thread-safe: {@link #run()} runs once, on one thread; {@link #status()} may be read from any.
 */
public abstract class OutgoingMigration implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(OutgoingMigration.class);

  /**
   * What every migration is given.
   *
   * @param ticket the coordinator's ticket for a hand-over, passed to each of the destination's
   *     phases ("" where the agents are not enrolled; a live migration needs none)
   * @param phaseChanged called after every phase change, e.g. to sample at once
   */
  public record Context(
      String id,
      String host,
      String domain,
      String ticket,
      Hypervisor hypervisor,
      Peer peer,
      DomainLocks.Lease lease,
      Runnable phaseChanged,
      Clock clock) {}

  protected final String id;
  protected final String host;
  protected final String domain;
  protected final String ticket;
  protected final Hypervisor hypervisor;
  protected final Peer peer;
  private final DomainLocks.Lease lease;
  private final Runnable phaseChanged;
  private final Clock clock;
  private final MigrationStatus.Method method;
  private final long startedNanos = System.nanoTime();
  private final long startedEpochMillis;

  private volatile MigrationStatus status;

  // Written by the running thread (and by a live migration's watcher); published through status.
  protected volatile MigrationStatus.Phase phase = MigrationStatus.Phase.BEGIN;
  protected volatile String destinationHost;
  protected volatile long downtimeMillis = -1;
  protected volatile long migrationMillis = -1;
  protected volatile long dataBytes = -1;

  /**
   * @param method how the domain moves
   */
  protected OutgoingMigration(Context context, MigrationStatus.Method method) {
    this.id = context.id();
    this.host = context.host();
    this.domain = context.domain();
    this.ticket = context.ticket();
    this.hypervisor = context.hypervisor();
    this.peer = context.peer();
    this.lease = context.lease();
    this.phaseChanged = context.phaseChanged();
    this.clock = context.clock();
    this.method = method;
    this.startedEpochMillis = clock.millis();
    this.status = status(MigrationStatus.State.RUNNING, null, 0);
  }

  final String id() {
    return id;
  }

  final MigrationStatus status() {
    return status;
  }

  @Override
  public final void run() {
    try {
      runPhases();
    } catch (RuntimeException e) {
      // A bug, or libvirt-java failing outside its exceptions: where the domain stands is not
      // known, so nothing more is touched; the status and the log say where it stopped.
      end(
          MigrationStatus.State.FAILED,
          phase + ": unexpected error, nothing more was changed: " + e);
      log.error(
          "{}: migration {} of '{}' stopped by an unexpected error",
          host,
          id,
          LogText.escape(domain),
          e);
    } finally {
      lease.close();
    }
    MigrationStatus done = status;
    String line = "{}: migration {} of '{}' to {} {} in {} ms ({}){}";
    Object[] args = {
      host,
      id,
      LogText.escape(domain),
      LogText.escape(destination()),
      done.state(),
      millisSince(startedNanos),
      figures(done),
      done.error() != null ? ": " + LogText.escape(done.error()) : ""
    };
    if (done.state() == MigrationStatus.State.SUCCEEDED) {
      log.info(line, args);
    } else {
      log.warn(line, args);
    }
  }

  /** The phases, from BEGIN; every way out of them calls {@link #end}. */
  protected abstract void runPhases();

  /** The figures of a finished migration, for its log line. */
  protected abstract String figures(MigrationStatus done);

  protected final String destination() {
    return destinationHost != null ? destinationHost : peer.url();
  }

  protected final void enter(MigrationStatus.Phase next) {
    phase = next;
    publish(MigrationStatus.State.RUNNING, null, 0);
    phaseChanged.run();
  }

  protected final void end(MigrationStatus.State state, String error) {
    // Released before the end shows: whoever reads it may ask to migrate the domain again at once.
    lease.close();
    publish(state, error, Math.max(clock.millis(), startedEpochMillis));
    phaseChanged.run();
  }

  /** Shows the current phase and figures; nothing changes once the migration has ended. */
  protected final synchronized void publish(
      MigrationStatus.State state, String error, long finishedEpochMillis) {
    if (!status.finished()) {
      status = status(state, error, finishedEpochMillis);
    }
  }

  private MigrationStatus status(
      MigrationStatus.State state, String error, long finishedEpochMillis) {
    return new MigrationStatus(
        id,
        domain,
        host,
        peer.url(),
        destinationHost,
        phase,
        state,
        error,
        startedEpochMillis,
        finishedEpochMillis,
        downtimeMillis,
        method,
        migrationMillis,
        dataBytes);
  }

  protected static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
