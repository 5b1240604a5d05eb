package xcm.coordinator.migration;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.leader.Mandate;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationStatus;
import xcm.serve.LogText;

/**
 * Finds out how a move ended when the coordinator lost sight of it (the coordinator restarted, or
 * the source agent stopped answering mid-migration), and leaves the domain running on exactly one
 * host.
 *
 * <p>First it asks the source agent about the migration; an agent that restarted does not know it
 * any more. Then it looks at both hosts: a copy that runs is authoritative and any other copy of
 * the domain (paused, or defined but shut off) is removed; a domain paused on its source with no
 * running copy anywhere is resumed there (the migration is rolled back). A domain that runs on both
 * hosts, or on neither, is reported, never guessed at.
 *
 * <p>Thread-safe.
 */
public final class MoveResolver {
  private static final Logger log = LoggerFactory.getLogger(MoveResolver.class);

  /**
   * The coordinator finishes or undoes a hand-over without a ticket: agents take its certificate as
   * their operator, which may start or remove any domain anyway (xcm-agent's IncomingTickets).
   */
  private final AgentCalls agents;

  private final Mandate mandate;
  private final Duration wait;
  private final Duration poll;

  /**
   * @param mandate the epoch each change of a copy carries, which its agent checks
   * @param wait how long to follow a migration the source agent still runs
   */
  public MoveResolver(JolokiaClient agents, Mandate mandate, Duration wait, Duration poll) {
    this.agents = new AgentCalls(agents);
    this.mandate = mandate;
    this.wait = wait;
    this.poll = poll;
  }

  /** What resolving found. UNRESOLVED: an agent does not answer yet; try again later. */
  public enum Verdict {
    ON_DESTINATION,
    ON_SOURCE,
    UNRESOLVED,
    BROKEN
  }

  /** The verdict and what was found or done, for the operation's errors and the audit log. */
  public record Resolution(Verdict verdict, String detail) {}

  /**
   * Resolves a move.
   *
   * @param agentMigration the source agent's migration id, if the journal recorded one
   */
  public Resolution resolve(MoveRequest move, String agentMigration) throws InterruptedException {
    try {
      String id = agentMigration != null ? agentMigration : runningMigration(move);
      if (id != null) {
        MigrationStatus.State state = follow(move, id);
        if (state == MigrationStatus.State.RUNNING) {
          // Settling now could resume or remove a copy the migration is still working on.
          return new Resolution(
              Verdict.UNRESOLVED,
              "migration " + id + " of " + move.domain() + " still runs on " + move.from());
        }
        if (state != null) {
          log.info(
              "move {}: the source agent says its migration {} ended {}",
              LogText.escape(move),
              LogText.escape(id),
              state);
        }
      }
      return settle(move);
    } catch (JolokiaException e) {
      return new Resolution(Verdict.UNRESOLVED, e.getMessage());
    }
  }

  /** The id of a migration of this domain the source agent runs now, or null. */
  private String runningMigration(MoveRequest move) throws JolokiaException, InterruptedException {
    for (MigrationStatus m : agents.migrations(move.fromUrl())) {
      if (m.domain().equals(move.domain()) && !m.finished()) {
        return m.id();
      }
    }
    return null;
  }

  /**
   * Follows a migration the source agent knows until it ends; returns its state, or null when the
   * agent does not know it (it restarted).
   */
  private MigrationStatus.State follow(MoveRequest move, String id)
      throws JolokiaException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      MigrationStatus status;
      try {
        status = agents.migration(move.fromUrl(), id);
      } catch (JolokiaException e) {
        // The agent's refusal of the id: it keeps no such migration.
        if (e.refusal() == JolokiaException.Refusal.BAD_REQUEST) {
          return null;
        }
        throw e;
      }
      if (status.finished() || System.nanoTime() > deadline) {
        return status.state();
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** Looks at both hosts and leaves exactly one running copy where that is certain. */
  private Resolution settle(MoveRequest move) throws JolokiaException, InterruptedException {
    agents.exec(move.fromUrl(), "sampleNow");
    agents.exec(move.toUrl(), "sampleNow");
    DomainData source = find(agents.host(move.fromUrl()), move.uuid());
    DomainData target = find(agents.host(move.toUrl()), move.uuid());
    String domain = move.domain();
    if (runs(source) && runs(target)) {
      return new Resolution(
          Verdict.BROKEN,
          domain
              + " runs on both "
              + move.from()
              + " and "
              + move.to()
              + "; left as it is for an operator");
    }
    if (runs(target)) {
      if (source != null) {
        remove(move.fromUrl(), source);
        return new Resolution(
            Verdict.ON_DESTINATION,
            domain
                + " runs on "
                + move.to()
                + "; removed the "
                + source.state()
                + " copy left on "
                + move.from());
      }
      return new Resolution(Verdict.ON_DESTINATION, domain + " runs on " + move.to());
    }
    if (runs(source)) {
      if (target != null) {
        remove(move.toUrl(), target);
        return new Resolution(
            Verdict.ON_SOURCE,
            domain + " runs on " + move.from() + "; removed the unfinished copy on " + move.to());
      }
      return new Resolution(Verdict.ON_SOURCE, domain + " runs on " + move.from());
    }
    // Nothing runs: the source copy, if any, holds the domain's memory; it is the one to keep.
    if (source != null) {
      if (target != null) {
        remove(move.toUrl(), target);
      }
      wake(move.fromUrl(), source);
      return new Resolution(
          Verdict.ON_SOURCE,
          domain + " ran nowhere; runs again on " + move.from() + " (rolled back)");
    }
    if (target != null) {
      try {
        agents.exec(move.toUrl(), "finishIncomingCopy", domain, mandate.epoch());
      } catch (JolokiaException e) {
        // An agent that restarted no longer knows the copy came in and refuses to finish it; the
        // copy is the only one left, so it is woken below like any other.
        log.info(
            "move {}: {} did not finish the copy: {}",
            LogText.escape(move),
            LogText.escape(move.to()),
            LogText.escape(e.getMessage()));
      }
      if (!runs(find(agents.host(move.toUrl()), move.uuid()))) {
        wake(move.toUrl(), target);
      }
      return new Resolution(
          Verdict.ON_DESTINATION, domain + " ran nowhere; runs now on " + move.to());
    }
    return new Resolution(
        Verdict.BROKEN, domain + " is defined on neither " + move.from() + " nor " + move.to());
  }

  /** Destroys and undefines a copy that does not run; an incoming one through its own abort. */
  private void remove(String url, DomainData copy) throws JolokiaException, InterruptedException {
    agents.exec(url, "abortIncomingCopy", copy.name(), mandate.epoch());
    agents.exec(url, "sampleNow");
    if (find(agents.host(url), copy.uuid()) == null) {
      return;
    }
    if (copy.state().isActive()) {
      agents.exec(url, "destroyDomain", copy.name(), mandate.epoch());
    }
    agents.exec(url, "undefineDomain", copy.name(), mandate.epoch());
  }

  private void wake(String url, DomainData copy) throws JolokiaException, InterruptedException {
    if (copy.state() == DomainState.PAUSED) {
      agents.exec(url, "resumeDomain", copy.name(), mandate.epoch());
    } else {
      agents.exec(url, "startDomain", copy.name(), mandate.epoch());
    }
  }

  private static boolean runs(DomainData d) {
    return d != null && (d.state() == DomainState.RUNNING || d.state() == DomainState.BLOCKED);
  }

  private static DomainData find(HostData host, String uuid) {
    return host.domains().stream().filter(d -> d.uuid().equals(uuid)).findFirst().orElse(null);
  }
}
