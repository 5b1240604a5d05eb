package xcm.agent.migration;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LiveMigrationTarget;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.MigrationStatus.Phase;
import xcm.mbeans.MigrationStatus.State;
import xcm.serve.LogText;

/**
 * One migration of one domain by libvirt's own live migration, run by the source agent:
 *
 * <pre>
 * BEGIN    source       the domain runs; the destination's agent tells its libvirt migration URI,
 *                       migration address and free memory, which must hold the domain
 * PERFORM  libvirt      peer to peer, live, persistent on the destination, undefined here; a job
 *                       that has not ended within the timeout is aborted
 * DONE                  libvirt's figures (time, downtime, data sent) read from the destination
 * </pre>
 *
 * <p>libvirt keeps the domain running on exactly one host: when the job fails or is aborted the
 * domain runs here, as before; the status says where it is found afterwards. The job runs inside
 * the source's libvirtd, so it also ends well when this agent dies half-way.
 */
final class LiveMigration extends OutgoingMigration {
  private static final Logger log = LoggerFactory.getLogger(LiveMigration.class);
  private static final long MIB = 1024 * 1024;

  private final Settings settings;

  // Set by the watcher, read by the running thread.
  private volatile boolean aborted;

  /**
   * How live migrations run.
   *
   * @param timeout a job still running after this long is aborted
   * @param bandwidthMiBps a cap on each migration's bandwidth; 0 for none
   * @param poll how often a running job's progress is read into the status
   */
  record Settings(Duration timeout, long bandwidthMiBps, Duration poll) {}

  LiveMigration(Context context, Settings settings) {
    super(context, MigrationStatus.Method.LIBVIRT);
    this.settings = settings;
  }

  @Override
  protected String figures(MigrationStatus done) {
    return "libvirt: "
        + done.migrationMillis()
        + " ms, downtime "
        + done.downtimeMillis()
        + " ms, "
        + done.dataTransferredBytes()
        + " bytes";
  }

  @Override
  protected void runPhases() {
    long memory;
    try {
      DomainState state = hypervisor.domainState(domain);
      if (!IncomingMigrations.runs(state)) {
        end(State.FAILED, "BEGIN: the domain is " + IncomingMigrations.describe(state) + " now");
        return;
      }
      memory = memoryOf(domain);
    } catch (HypervisorException e) {
      end(State.FAILED, "BEGIN: " + e.getMessage());
      return;
    }
    Peer.Destination to;
    try {
      to = peer.describe();
    } catch (JolokiaException e) {
      end(State.FAILED, "BEGIN: " + e.getMessage() + "; nothing changed, it runs on " + host);
      return;
    }
    destinationHost = to.host();
    String refusal = refusal(to, memory);
    if (refusal != null) {
      end(State.FAILED, "BEGIN: " + refusal + "; nothing changed, it runs on " + host);
      return;
    }

    enter(Phase.PERFORM);
    LiveMigrationTarget target =
        new LiveMigrationTarget(
            to.migrationUri(), to.migrationAddress(), settings.bandwidthMiBps());
    Thread watcher = watch();
    HypervisorException failure = null;
    try {
      hypervisor.migrateLive(domain, target);
    } catch (HypervisorException e) {
      failure = e;
    } finally {
      watcher.interrupt();
      join(watcher);
    }
    if (failure != null) {
      end(State.FAILED, "PERFORM: " + reason(failure) + "; " + whereNow());
      return;
    }
    phase = Phase.DONE;
    readFigures();
    end(State.SUCCEEDED, null);
  }

  /** Why the destination cannot take the domain, or null when it can. */
  private String refusal(Peer.Destination to, long memory) {
    String name = to.host();
    if (to.migrationUri().isEmpty()) {
      return name
          + " cannot take a libvirt live migration (its agent samples "
          + (to.libvirtUri().isEmpty() ? "an unknown hypervisor" : to.libvirtUri())
          + " and advertises no migration URI)";
    }
    if (!to.libvirtConnected()) {
      return "the agent of " + name + " cannot reach its libvirt (" + to.libvirtUri() + ")";
    }
    if (memory > 0 && to.memoryFreeBytes() >= 0 && memory > to.memoryFreeBytes()) {
      return name
          + " lacks memory for it: it needs "
          + mib(memory)
          + ", "
          + name
          + " has "
          + mib(to.memoryFreeBytes())
          + " free";
    }
    return null;
  }

  /** The domain's maximum memory, which the destination must hold; 0 when it cannot be read. */
  private long memoryOf(String name) throws HypervisorException {
    for (DomainReading reading : hypervisor.readDomains()) {
      if (reading.name().equals(name) && reading instanceof DomainStats stats) {
        return stats.maxMemoryBytes();
      }
    }
    return 0;
  }

  /**
   * Follows the job on its own thread: copies its progress into the status, and aborts it when it
   * has not ended within the timeout (a migration that does not converge), asking again each poll
   * while libvirt refuses (a job between phases) until the job ends.
   */
  private Thread watch() {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Thread watcher =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                  abort();
                }
                try {
                  Thread.sleep(
                      left <= 0
                          ? settings.poll().toMillis()
                          : Math.min(settings.poll().toMillis(), nanosToMillisCeil(left)));
                } catch (InterruptedException e) {
                  return;
                }
                progress();
              }
            },
            "xcm-migrate-watch-" + host + "-" + domain);
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  private void progress() {
    try {
      Optional<MigrationJob> job = hypervisor.runningJob(domain);
      if (job.isPresent() && !Thread.currentThread().isInterrupted()) {
        migrationMillis = job.get().timeElapsedMillis();
        dataBytes = job.get().dataTransferredBytes();
        publish(State.RUNNING, null, 0);
      }
    } catch (HypervisorException e) {
      // The job ended and took the domain with it, or libvirt is busy: the next read will tell.
    }
  }

  private void abort() {
    boolean first = !aborted;
    aborted = true;
    if (first) {
      log.warn(
          "{}: live migration {} of '{}' did not end within {}: aborting libvirt's job",
          host,
          id,
          LogText.escape(domain),
          describe(settings.timeout()));
    }
    try {
      hypervisor.abortJob(domain);
    } catch (HypervisorException e) {
      // The job ended on its own meanwhile, or is between phases: asked again at the next poll.
      if (first) {
        log.warn(
            "{}: cannot abort the migration of '{}' yet: {}",
            host,
            LogText.escape(domain),
            LogText.escape(e.getMessage()));
      }
    }
  }

  private String reason(HypervisorException failure) {
    if (aborted) {
      return "the migration did not end within "
          + describe(settings.timeout())
          + ", so libvirt's job was aborted ("
          + failure.getMessage()
          + ")";
    }
    return failure.getMessage();
  }

  /** Where the domain is after a failed job, read from libvirt here. */
  private String whereNow() {
    try {
      DomainState state = hypervisor.domainState(domain);
      if (IncomingMigrations.runs(state)) {
        return "libvirt rolled back, it runs on " + host + " as before";
      }
      return "it is " + IncomingMigrations.describe(state) + " on " + host;
    } catch (DomainNotFoundException e) {
      return "it is no longer on "
          + host
          + ", so libvirt may have finished the migration: check "
          + destination();
    } catch (HypervisorException e) {
      return "where it is now cannot be read: " + e.getMessage();
    }
  }

  /** libvirt's figures of the job, as the destination's libvirtd kept them. */
  private void readFigures() {
    try {
      MigrationJob job = peer.completedMigration(domain);
      if (job != null) {
        migrationMillis = job.timeElapsedMillis();
        downtimeMillis = job.downtimeMillis();
        dataBytes = job.dataTransferredBytes();
      }
    } catch (JolokiaException e) {
      log.warn(
          "{}: migration {} of '{}' succeeded, but its figures cannot be read from {}: {}",
          host,
          id,
          LogText.escape(domain),
          LogText.escape(destination()),
          LogText.escape(e.getMessage()));
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  private static long nanosToMillisCeil(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
