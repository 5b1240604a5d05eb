package xcm.agent.migration;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which of the host's domains are busy, and with what: a migration out or in, or an operation in
 * progress. A domain has at most one holder; anyone else asking is refused at once rather than made
 * to wait, so that an operator's {@code destroyDomain} never lands in the middle of a migration and
 * a second migration of the same domain cannot start.
 *
 * <pre>{@code
 * try (DomainLocks.Lease lease = locks.acquire("web01", "being destroyed")) {
 *   hypervisor.destroyDomain("web01");
 * } catch (DomainLocks.BusyException e) {
 *   throw new IllegalStateException("cannot destroy web01: it is " + e.holder());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DomainLocks {
  private final ConcurrentMap<String, Lease> held = new ConcurrentHashMap<>();

  /**
   * Takes the domain for {@code purpose}, which completes "it is ..." in other callers' refusals,
   * e.g. "being migrated to http://10.0.0.6:8778/jolokia/ (migration 3f2a...)".
   *
   * @throws BusyException naming the current holder's purpose
   */
  public Lease acquire(String domain, String purpose) throws BusyException {
    Lease lease = new Lease(domain, purpose);
    Lease current = held.putIfAbsent(domain, lease);
    if (current != null) {
      throw new BusyException(domain, current.purpose);
    }
    return lease;
  }

  /** What holds the domain now, if anything. */
  public Optional<String> holder(String domain) {
    return Optional.ofNullable(held.get(domain)).map(lease -> lease.purpose);
  }

  /** One holder's claim on a domain; closing it (again) releases exactly that claim. */
  public final class Lease implements AutoCloseable {
    private final String domain;
    private final String purpose;

    private Lease(String domain, String purpose) {
      this.domain = domain;
      this.purpose = purpose;
    }

    public String domain() {
      return domain;
    }

    @Override
    public void close() {
      held.remove(domain, this);
    }
  }

  /** The domain is held by someone else. */
  public static final class BusyException extends Exception {
    private final String holder;

    BusyException(String domain, String holder) {
      super("domain '" + domain + "' is " + holder);
      this.holder = holder;
    }

    /** The holder's purpose, e.g. "being migrated in from another host". */
    public String holder() {
      return holder;
    }
  }
}
