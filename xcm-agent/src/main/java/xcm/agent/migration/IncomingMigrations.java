package xcm.agent.migration;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import xcm.agent.libvirt.DomainIdentity;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.InvalidDomainException;
import xcm.agent.libvirt.OperationErrors;
import xcm.mbeans.DomainState;
import xcm.trust.ticket.HandoverTicket;

/**
 * The destination's half of a migration: PREPARE ({@link #prepare}), FINISH ({@link #finish}) and
 * the undo of PREPARE ({@link #abort}), called by the source host's agent.
 *
 * <p>A domain taken in is held in {@link DomainLocks} from PREPARE until FINISH or abort, so that
 * nobody starts the destination's copy while the source's may still run. Only domains this agent
 * took in are ever aborted: a refused PREPARE (the name is taken here) must not let the source's
 * clean-up remove the domain that was here first. That bookkeeping lives in memory; after a restart
 * of this agent, abort removes nothing and an operator removes a left-over definition by hand.
 *
 * <p>On an enrolled agent each call needs the coordinator's ticket ({@link IncomingTickets}); a
 * hand-over's ticket is spent when it finishes or is undone.
 *
 * <p>Errors are JDK exceptions whose message starts with the host name, by the rule of {@link
 * OperationErrors}: {@link IllegalArgumentException} for a request that names nothing here or
 * carries bad XML, {@link IllegalStateException} for one the host refuses or libvirt fails, both
 * when nothing changed; another exception when something may have (libvirt's connection lost during
 * a change, a definition left behind by a PREPARE that failed half-way).
 *
 * <p>Thread-safe: the three calls are serialised; they are short and rare.
 */
public final class IncomingMigrations {
  static final String HOLDER = "being migrated in (finishIncoming or abortIncoming ends that)";

  private final String host;
  private final Hypervisor hypervisor;
  private final DomainLocks locks;
  private final IncomingTickets tickets;
  private final Map<String, Incoming> incoming = new HashMap<>(); // guarded by this

  /** A domain being taken in: its lease, and its ticket (null where tickets are not checked). */
  private record Incoming(DomainLocks.Lease lease, HandoverTicket ticket) {}

  /** Taking domains in without tickets: an agent that is not enrolled. */
  public IncomingMigrations(String host, Hypervisor hypervisor, DomainLocks locks) {
    this(host, hypervisor, locks, IncomingTickets.unchecked(host));
  }

  public IncomingMigrations(
      String host, Hypervisor hypervisor, DomainLocks locks, IncomingTickets tickets) {
    this.host = host;
    this.hypervisor = hypervisor;
    this.locks = locks;
    this.tickets = tickets;
  }

  /**
   * Defines the domain and starts it paused where the driver can, else leaves it shut off; never
   * runs it. Refused when a domain of the same name or UUID is defined here at all: defining over
   * it would replace its definition, and aborting would then remove it. Refused on a host whose
   * driver migrates live (QEMU): domains come there only through libvirt's own migration, never
   * from XML a peer sends, which could name any disk or device of the host.
   *
   * @param ticket the coordinator's ticket for this hand-over ("" where none is checked)
   * @param caller the Jolokia user who asks (the source agent), or null
   */
  public synchronized void prepare(String xml, String ticket, String caller) {
    DomainIdentity identity;
    try {
      identity = DomainIdentity.parse(xml);
    } catch (InvalidDomainException e) {
      throw new IllegalArgumentException(host + ": cannot take in a domain: " + e.getMessage(), e);
    }
    String name = identity.name();
    HandoverTicket admitted = tickets.admit(identity, ticket, caller);
    if (hypervisor.canMigrateLive()) {
      throw new IllegalStateException(
          host
              + ": cannot take in domain '"
              + name
              + "' by hand-over: this host takes domains only through libvirt's live migration");
    }
    DomainLocks.Lease lease;
    try {
      lease = locks.acquire(name, HOLDER);
    } catch (DomainLocks.BusyException e) {
      throw new IllegalStateException(
          host + ": cannot take in domain '" + name + "': it is " + e.holder());
    }
    boolean taken = false;
    String refusal = host + ": cannot take in domain '" + name + "': ";
    try {
      try {
        refuseIfDefined(identity);
      } catch (HypervisorException e) {
        throw new IllegalStateException(refusal + e.getMessage(), e);
      }
      try {
        hypervisor.defineDomain(xml);
      } catch (HypervisorException e) {
        throw OperationErrors.ofChange(refusal + e.getMessage(), e);
      }
      try {
        hypervisor.startDomainPaused(name);
      } catch (HypervisorException e) {
        throw undefineAfterFailedStart(refusal, name, e);
      }
      incoming.put(name, new Incoming(lease, admitted));
      taken = true;
    } finally {
      if (!taken) {
        lease.close();
      }
    }
  }

  /**
   * Runs the domain: resumes it if paused, starts it if shut off. Returns normally exactly when the
   * domain runs here afterwards, so the source may ask again when an answer was lost.
   *
   * @param ticket the ticket PREPARE came with ("" where none is checked)
   * @param caller the Jolokia user who asks, or null
   */
  public synchronized void finish(String domain, String ticket, String caller) {
    Incoming taken = incoming.get(domain);
    requireTicket(domain, taken, ticket, caller);
    try {
      DomainState state = hypervisor.domainState(domain);
      if (runs(state)) {
        release(domain);
        return;
      }
      if (taken == null) {
        throw new IllegalStateException(
            host
                + ": cannot finish domain '"
                + domain
                + "': no migration of it is coming in here (it is "
                + describe(state)
                + ")");
      }
      if (state == DomainState.PAUSED || state == DomainState.SHUTOFF) {
        run(domain, state);
      } else {
        throw new IllegalStateException(
            host + ": cannot finish domain '" + domain + "': it is " + describe(state));
      }
      release(domain);
    } catch (DomainNotFoundException e) {
      release(domain);
      throw new IllegalArgumentException(
          host + ": cannot finish domain '" + domain + "': it is not defined here", e);
    } catch (HypervisorException e) {
      throw new IllegalStateException(host + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes a domain this agent took in and has not run: destroys it if paused, undefines it. Does
   * nothing for a domain it did not take in (PREPARE refused or never came, or abort already done).
   *
   * @param ticket the ticket PREPARE came with ("" where none is checked)
   * @param caller the Jolokia user who asks, or null
   */
  public synchronized void abort(String domain, String ticket, String caller) {
    requireTicket(domain, incoming.get(domain), ticket, caller);
    if (!incoming.containsKey(domain)) {
      return;
    }
    try {
      DomainState state = hypervisor.domainState(domain);
      if (runs(state)) {
        // Only reachable if something outside XCM started it; it is the copy that runs now.
        throw new IllegalStateException(
            host + ": cannot abort the incoming domain '" + domain + "': it runs here");
      }
      remove(domain, state.isActive());
    } catch (DomainNotFoundException e) {
      // Already gone: what abort wants.
    } catch (HypervisorException e) {
      throw new IllegalStateException(host + ": " + e.getMessage(), e);
    }
    release(domain);
  }

  /** Destroys (if active) and undefines a copy; a failure after the destroy is no refusal. */
  private void remove(String domain, boolean active) throws DomainNotFoundException {
    try {
      if (active) {
        hypervisor.destroyDomain(domain);
      }
    } catch (DomainNotFoundException e) {
      throw e;
    } catch (HypervisorException e) {
      throw OperationErrors.ofChange(host + ": " + e.getMessage(), e);
    }
    try {
      hypervisor.undefineDomain(domain);
    } catch (DomainNotFoundException e) {
      throw e;
    } catch (HypervisorException e) {
      throw active
          ? OperationErrors.afterChange(
              host + ": destroyed the incoming domain '" + domain + "' but " + e.getMessage())
          : OperationErrors.ofChange(host + ": " + e.getMessage(), e);
    }
  }

  /** FINISH's change: resumes a paused copy, starts a shut-off one. */
  private void run(String domain, DomainState state) throws DomainNotFoundException {
    try {
      if (state == DomainState.PAUSED) {
        hypervisor.resumeDomain(domain);
      } else {
        hypervisor.startDomain(domain);
      }
    } catch (DomainNotFoundException e) {
      throw e;
    } catch (HypervisorException e) {
      throw OperationErrors.ofChange(host + ": " + e.getMessage(), e);
    }
  }

  /** True while the domain is held by a migration coming in. */
  public synchronized boolean isIncoming(String domain) {
    return incoming.containsKey(domain);
  }

  /** The hand-over of the domain is over (finished, undone, or the domain gone): its ticket too. */
  private void release(String domain) {
    Incoming taken = incoming.remove(domain);
    if (taken != null) {
      tickets.spend(taken.ticket());
      taken.lease().close();
    }
  }

  private void requireTicket(String domain, Incoming taken, String ticket, String caller) {
    if (taken != null) {
      tickets.requireSame(domain, taken.ticket(), ticket, caller);
    } else {
      tickets.requireFor(domain, ticket, caller);
    }
  }

  private void refuseIfDefined(DomainIdentity identity) throws HypervisorException {
    String uuid = identity.uuid() == null ? null : normalise(identity.uuid());
    for (DomainReading reading : hypervisor.readDomains()) {
      boolean sameName = reading.name().equals(identity.name());
      if (sameName || normalise(reading.uuid()).equals(uuid)) {
        String already;
        if (!(reading instanceof DomainStats stats)) {
          already = "defined (unreadable)";
        } else if (runs(stats.state())) {
          already = "running";
        } else {
          already = "defined (" + describe(stats.state()) + ")";
        }
        throw new InvalidDomainException(
            (sameName ? "a domain of that name" : "domain '" + reading.name() + "'")
                + " (uuid "
                + reading.uuid()
                + ") is already "
                + already
                + " here",
            null);
      }
    }
  }

  /**
   * A failed start-paused leaves a definition nobody asked for: removed, PREPARE changed nothing (a
   * refusal); left, it changed something.
   */
  private RuntimeException undefineAfterFailedStart(
      String refusal, String name, HypervisorException cause) {
    try {
      hypervisor.undefineDomain(name);
      return OperationErrors.ofChange(refusal + cause.getMessage(), cause);
    } catch (HypervisorException e) {
      return OperationErrors.afterChange(
          refusal + cause.getMessage() + "; its definition is left here: " + e.getMessage());
    }
  }

  /** True for the states in which a domain runs: RUNNING, and BLOCKED (running, waiting on I/O). */
  public static boolean runs(DomainState state) {
    return state == DomainState.RUNNING || state == DomainState.BLOCKED;
  }

  /** "shut off", "paused", ... as virsh writes them. */
  public static String describe(DomainState state) {
    return state == DomainState.SHUTOFF ? "shut off" : state.name().toLowerCase(Locale.ROOT);
  }

  private static String normalise(String uuid) {
    return uuid.replace("-", "").toLowerCase(Locale.ROOT);
  }
}
