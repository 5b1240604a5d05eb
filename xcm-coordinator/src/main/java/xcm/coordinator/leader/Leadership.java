package xcm.coordinator.leader;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.LeaseRows;
import xcm.coordinator.journal.LeaseRows.Lease;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.StandbyException;

/**
 * This coordinator's part in the lease: a standby tries to take it every {@link #tick}, the active
 * renews it as often. The lease's end is the database's business (its clock); this side keeps, on
 * its own monotonic clock, how long the last renewal surely holds, and stops handing out its epoch
 * when that time is up without a renewal (a pause, a slow database) — before the database would let
 * a standby take over. A renewal that finds another coordinator holding the lease deposes this one
 * for good: it is to be started again, as a standby.
 *
 * <p>Thread-safe. One daemon thread.
 */
public final class Leadership implements Mandate, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private static final Duration FAILURE_RELOGGED = Duration.ofMinutes(1);

  private final Journal journal;
  private final LeaseRows leases;
  private final String name;
  private final Duration lease;
  private final Duration tick;
  private final String holder = UUID.randomUUID().toString();
  private final List<LongConsumer> takingOver = new CopyOnWriteArrayList<>();
  private final List<LongConsumer> onActive = new CopyOnWriteArrayList<>();
  private final List<Runnable> onDeposed = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "xcm-leader");
            t.setDaemon(true);
            return t;
          });

  private volatile CoordinatorRole role = CoordinatorRole.STANDBY;
  private volatile long epoch;
  private volatile long validUntilNanos;
  private volatile Lease seen;
  private volatile String url = "";

  /** When lease rounds began to fail (System.nanoTime), and when that was last logged; 0: none. */
  private long failingSince;

  private long failureLogged;

  /**
   * @param name this coordinator's name, shown to the others and in their refusals
   * @param lease how long a lease holds without renewal: a standby takes over at most this long
   *     (and a quarter more) after the active stopped renewing
   */
  public Leadership(Journal journal, String name, Duration lease) {
    this.journal = journal;
    this.leases = journal.leases();
    this.name = name;
    this.lease = lease;
    this.tick = lease.dividedBy(4);
    this.seen = leases.current();
    journal.standingBy();
  }

  /**
   * Called with the epoch when this coordinator has taken the lease, on the leader thread, before
   * it acts: {@link #epoch} refuses until these have returned. One that throws makes this
   * coordinator give the lease up and stay a standby.
   */
  public void onTakingOver(LongConsumer listener) {
    takingOver.add(listener);
  }

  /** Called with the epoch once this coordinator acts as the active one, on the leader thread. */
  public void onActive(LongConsumer listener) {
    onActive.add(listener);
  }

  /** Called once when another coordinator is found holding the lease this one held. */
  public void onDeposed(Runnable listener) {
    onDeposed.add(listener);
  }

  /**
   * Tries for the lease at once (a lone coordinator is active when this returns), then every tick.
   *
   * @param url where this coordinator's Jolokia is reached, for the others to name
   */
  public void start(String url) {
    this.url = url;
    round();
    timer.scheduleWithFixedDelay(
        this::round, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public long epoch() {
    if (active()) {
      return epoch;
    }
    throw new StandbyException(standbyReason());
  }

  /**
   * True while this coordinator holds the lease and its last renewal surely holds. On a journal
   * only this process can open (H2) nobody else can take over, so the lease never lapses there.
   */
  public boolean active() {
    return role == CoordinatorRole.ACTIVE
        && (!journal.shared() || System.nanoTime() - validUntilNanos < 0);
  }

  public CoordinatorRole role() {
    return role;
  }

  /** The lease as this coordinator last read it (a standby's view of who is active). */
  public Lease seen() {
    return seen;
  }

  /** This coordinator's name. */
  public String name() {
    return name;
  }

  /** Why this coordinator does not act, naming the one that does when it is known. */
  public String standbyReason() {
    Lease now = seen;
    String who =
        now.held() && !now.holder().get().equals(holder)
            ? "the active coordinator is "
                + now.name()
                + " at "
                + now.url()
                + " (epoch "
                + now.epoch()
                + ")"
            : "no coordinator holds the lease at the moment";
    return switch (role) {
      case STANDBY -> "coordinator " + name + " is a standby: " + who;
      case DEPOSED -> "coordinator " + name + " is no longer the active one: " + who;
      case ACTIVE ->
          "coordinator "
              + name
              + " has not renewed its lease within "
              + lease.toMillis()
              + " ms (a pause or a slow database) and acts on nothing until it has";
    };
  }

  /** One try for the lease (a standby) or one renewal (the active); package-private for tests. */
  void round() {
    try {
      switch (role) {
        case STANDBY -> take();
        case ACTIVE -> renew();
        case DEPOSED -> {}
      }
      if (failingSince != 0) {
        failingSince = 0;
        log.info("the coordinators' lease is reachable again");
      }
    } catch (JournalException e) {
      long now = System.nanoTime();
      if (failingSince == 0) {
        failingSince = now;
        failureLogged = now;
        log.warn("cannot read or renew the coordinators' lease: {}", e.getMessage());
      } else if (now - failureLogged >= FAILURE_RELOGGED.toNanos()) {
        // Once a minute, not every round: a standby that stays out of the lease is visible.
        failureLogged = now;
        log.warn(
            "still cannot read or renew the coordinators' lease after {} s: {}",
            TimeUnit.NANOSECONDS.toSeconds(now - failingSince),
            e.getMessage());
      }
    } catch (RuntimeException | Error e) {
      // Thrown out of a scheduled task it would end the schedule, silently: a standby that never
      // tries again.
      log.error("the lease round failed", e);
    }
  }

  private void take() {
    Lease now = leases.current();
    seen = now;
    // An H2 file is this process's alone, and a coordinator's name is its own: whoever holds the
    // lease under it is gone (a former run of this coordinator; paused, it would find itself
    // deposed when it woke).
    boolean holderGone = !journal.shared() || now.name().equals(name);
    if (now.held() && !holderGone) {
      return;
    }
    long start = System.nanoTime();
    OptionalLong taken = leases.take(holder, name, url, lease, holderGone);
    if (taken.isEmpty()) {
      log.warn(
          "coordinator {} found the lease of {} (epoch {}) run out {} ms ago but could not take it",
          name,
          now.name(),
          now.epoch(),
          now.remaining().negated().toMillis());
      return;
    }
    long taking = taken.getAsLong();
    journal.actingAs(holder, taking);
    seen = leases.current();
    // Acting only once what takes over is in place: until then, epoch() refuses.
    try {
      for (LongConsumer listener : takingOver) {
        listener.accept(taking);
      }
    } catch (RuntimeException e) {
      log.error(
          "coordinator {} could not take over (epoch {}); giving the lease up", name, taking, e);
      journal.standingBy();
      leases.release(holder, taking);
      return;
    }
    epoch = taking;
    validUntilNanos = start + lease.minus(tick).toNanos();
    role = CoordinatorRole.ACTIVE;
    log.info("coordinator {} is the active one (epoch {})", name, taking);
    for (LongConsumer listener : onActive) {
      listener.accept(taking);
    }
  }

  private void renew() {
    long start = System.nanoTime();
    if (leases.renew(holder, epoch, lease)) {
      validUntilNanos = start + lease.minus(tick).toNanos();
      seen = leases.current();
      return;
    }
    role = CoordinatorRole.DEPOSED;
    journal.standingBy();
    seen = leases.current();
    log.warn("coordinator {} lost the lease (epoch {}): {}", name, epoch, standbyReason());
    onDeposed.forEach(Runnable::run);
  }

  /** Stops trying; an active coordinator gives the lease up, so that a standby takes it at once. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (role == CoordinatorRole.ACTIVE) {
      role = CoordinatorRole.STANDBY;
      journal.standingBy();
      try {
        leases.release(holder, epoch);
      } catch (JournalException e) {
        log.warn(
            "cannot give up the coordinators' lease (a standby takes it when it runs out): {}",
            e.getMessage());
      }
    }
  }
}
