package xcm.testkit.migration;

import java.time.Duration;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.migration.IncomingMigrations;
import xcm.agent.migration.OutgoingMigration;
import xcm.agent.migration.Peer;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.MigrationStatus.Phase;
import xcm.mbeans.MigrationStatus.State;

/**
 * One migration of one domain, run by the source agent: the phases of libvirt's own migration
 * protocol, with the destination's half carried out by its agent ({@link Peer}).
 *
 * <pre>
 * BEGIN    source       read the domain's XML; it must run
 * PREPARE  destination  define it (paused where the driver can start it paused, else shut off)
 * PERFORM  source       pause it                      downtime starts
 * FINISH   destination  run it                        downtime ends
 * CONFIRM  source       destroy and undefine the paused copy
 * DONE
 * </pre>
 *
 * <p>Each of the destination's phases carries the coordinator's ticket for this hand-over, which an
 * enrolled destination checks: the same ticket from PREPARE to FINISH or abort.
 *
 * <p>The domain runs on at most one host at any instant: the source pauses its copy before the
 * destination runs its own, and resumes it only when the destination certainly does not run it. It
 * is never lost: until FINISH succeeds every failure rolls back (the destination removes its copy,
 * the source resumes); after FINISH the source's copy is only removed, never resumed, so a failing
 * CONFIRM leaves it paused there (INCOMPLETE).
 */
final class Handover extends OutgoingMigration {
  private static final Duration FIRST_RETRY = Duration.ofMillis(250);
  private static final Duration MAX_RETRY = Duration.ofSeconds(4);

  private final Duration finishRetryFor;

  // Written by the running thread only.
  private long pausedNanos = -1;

  Handover(Context context, Duration finishRetryFor) {
    super(context, MigrationStatus.Method.HANDOVER);
    this.finishRetryFor = finishRetryFor;
  }

  @Override
  protected String figures(MigrationStatus done) {
    return "downtime " + done.downtimeMillis() + " ms";
  }

  @Override
  protected void runPhases() {
    String xml;
    try {
      DomainState state = hypervisor.domainState(domain);
      if (!IncomingMigrations.runs(state)) {
        end(State.FAILED, "BEGIN: the domain is " + IncomingMigrations.describe(state) + " now");
        return;
      }
      xml = hypervisor.domainXml(domain);
    } catch (HypervisorException e) {
      end(State.FAILED, "BEGIN: " + e.getMessage());
      return;
    }

    enter(Phase.PREPARE);
    try {
      destinationHost = peer.prepareIncoming(xml, ticket);
    } catch (JolokiaException e) {
      // The source's copy never stopped. Only a request whose answer was lost may have left a copy
      // there. After a refusal the name there may be another migration's incoming domain, which
      // an abort (it takes only a name) would remove.
      end(
          State.FAILED,
          "PREPARE: " + e.getMessage() + (e.outcome().changedNothing() ? "" : abortDestination()));
      return;
    }

    enter(Phase.PERFORM);
    pausedNanos = System.nanoTime();
    try {
      hypervisor.suspendDomain(domain);
    } catch (HypervisorException e) {
      rollBack("PERFORM: " + e.getMessage());
      return;
    }

    enter(Phase.FINISH);
    JolokiaException failed = finish();
    if (failed != null) {
      if (failed.outcome().changedNothing()) {
        rollBack("FINISH: " + failed.getMessage());
      } else {
        end(
            State.FAILED,
            "FINISH: "
                + failed.getMessage()
                + "; whether "
                + destination()
                + " runs the domain is unknown, so it stays paused on "
                + host
                + " (resuming it could run it twice): check "
                + destination()
                + ", then resume or remove the copy on "
                + host);
      }
      return;
    }
    downtimeMillis = millisSince(pausedNanos);

    enter(Phase.CONFIRM);
    try {
      hypervisor.destroyDomain(domain);
    } catch (HypervisorException e) {
      end(State.INCOMPLETE, confirmFailed("its paused copy stays on " + host, e));
      return;
    }
    try {
      hypervisor.undefineDomain(domain);
    } catch (HypervisorException e) {
      end(State.INCOMPLETE, confirmFailed("its shut-off definition stays on " + host, e));
      return;
    }
    phase = Phase.DONE;
    end(State.SUCCEEDED, null);
  }

  /**
   * FINISH, asked again while the answer is unknown: finishIncoming returns normally exactly when
   * the domain runs on the destination, so only a definite answer decides between going on and
   * rolling back. Returns null on success; else the failure, whose outcome {@link
   * JolokiaException.Outcome#changedNothing() changed nothing} when the destination certainly does
   * not run the domain.
   */
  private JolokiaException finish() {
    JolokiaException first = null;
    long deadline = System.nanoTime() + finishRetryFor.toNanos();
    Duration pause = FIRST_RETRY;
    while (true) {
      try {
        peer.finishIncoming(domain, ticket);
        return null;
      } catch (JolokiaException e) {
        // finishIncoming itself refused: the domain does not run there, whatever came before. A
        // refusal by Jolokia (credentials, policy, no such MBean yet) says nothing of the domain.
        if (e.refusal() != null && e.refusal().byOperation()) {
          return e;
        }
        // The first request never reached it: nothing can have started the domain there.
        if (first == null) {
          if (e.outcome().changedNothing()) {
            return e;
          }
          first = e;
        }
        if (System.nanoTime() + pause.toNanos() > deadline || !sleep(pause)) {
          return new JolokiaException(
              JolokiaException.Outcome.UNKNOWN,
              null,
              first.getMessage()
                  + (e == first
                      ? ""
                      : "; asked again for "
                          + finishRetryFor.toSeconds()
                          + " s: "
                          + e.getMessage()),
              e);
        }
        pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
      }
    }
  }

  /**
   * Undoes PREPARE and PERFORM. Called only when the destination certainly does not run the domain,
   * so resuming the source's copy cannot make it run twice.
   */
  private void rollBack(String reason) {
    String aborted = abortDestination();
    try {
      if (hypervisor.domainState(domain) == DomainState.PAUSED) {
        hypervisor.resumeDomain(domain);
      }
    } catch (HypervisorException e) {
      end(
          State.FAILED,
          reason
              + aborted
              + "; cannot resume it on "
              + host
              + ", where it stays paused: "
              + e.getMessage());
      return;
    }
    downtimeMillis = millisSince(pausedNanos);
    end(State.FAILED, reason + aborted + "; rolled back, it runs on " + host + " again");
  }

  /** Asks the destination to remove its copy; returns "" or why it is left there. */
  private String abortDestination() {
    try {
      peer.abortIncoming(domain, ticket);
      return "";
    } catch (JolokiaException e) {
      return "; its copy on " + destination() + " could not be removed: " + e.getMessage();
    }
  }

  private String confirmFailed(String left, HypervisorException e) {
    return "CONFIRM: the domain runs on " + destination() + " but " + left + ": " + e.getMessage();
  }

  /** False when interrupted (the agent is stopping): stop asking, keep what is safe. */
  private static boolean sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
