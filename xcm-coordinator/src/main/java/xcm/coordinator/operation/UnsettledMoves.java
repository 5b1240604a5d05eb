package xcm.coordinator.operation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.MoveState;
import xcm.serve.LogText;

/**
 * Settles the moves the journal holds as UNSETTLED: moves whose agents did not tell, within the
 * move timeout, where the domain runs. Each time it runs it asks the resolver again about every
 * such move whose two hosts answer, and records the real end: SUCCEEDED if the domain runs on the
 * destination, FAILED if on the source; a domain found on both hosts or on neither is left for an
 * operator, FAILED with the reason. A move still unknown stays UNSETTLED until the next time. Each
 * settled move gets an audit entry ({@code recovery:coordinator}), and its operation's view follows
 * while the registry still shows it.
 *
 * <pre>{@code
 * UnsettledMoves unsettled = new UnsettledMoves(journal, resolver, inventory, operations);
 * unsettled.settle(); // from the housekeeping job
 * }</pre>
 *
 * <p>Not thread-safe: one call at a time (the housekeeping job does not run concurrently).
 */
public final class UnsettledMoves {
  private static final Logger log = LoggerFactory.getLogger(UnsettledMoves.class);

  private final Journal journal;
  private final MoveResolver resolver;
  private final Inventory inventory;
  private final OperationService operations;

  /**
   * @param resolver best with no wait for a running migration: a migration still running leaves the
   *     move UNSETTLED until the next time rather than holding the caller's thread
   */
  public UnsettledMoves(
      Journal journal, MoveResolver resolver, Inventory inventory, OperationService operations) {
    this.journal = journal;
    this.resolver = resolver;
    this.inventory = inventory;
    this.operations = operations;
  }

  /** Asks again about every UNSETTLED move whose hosts answer; returns how many it settled. */
  public int settle() throws InterruptedException {
    if (operations.recovering()) {
      // Recovery settles the operations it restores itself; their moves are looked at next time.
      return 0;
    }
    int settled = 0;
    for (JournaledMove move : journal.unsettled()) {
      if (settle(move)) {
        settled++;
      }
    }
    return settled;
  }

  private boolean settle(JournaledMove move) throws InterruptedException {
    MoveRequest request = move.request();
    if (fenced(request.from()) && answers(request.to()) && !stillReported(request)) {
      return settleFromDestination(move);
    }
    if (!answers(request.from()) || !answers(request.to()) || stillReported(request)) {
      return false;
    }
    MoveResolver.Resolution resolution = resolver.resolve(request, move.agentMigration());
    MoveResult result =
        switch (resolution.verdict()) {
          case UNRESOLVED -> null;
          case ON_DESTINATION ->
              result(MoveResult.Outcome.SUCCEEDED, move, "settled later: " + resolution.detail());
          case ON_SOURCE ->
              result(MoveResult.Outcome.FAILED, move, "settled later: " + resolution.detail());
          case BROKEN ->
              result(
                  MoveResult.Outcome.FAILED, move, "could not settle it: " + resolution.detail());
        };
    if (result == null) {
      log.info(
          "move {} ({}) is still unsettled: {}",
          LogText.escape(request),
          request.operationId(),
          LogText.escape(resolution));
      return false;
    }
    operations.outcomes().settled(move, result);
    log.info(
        "move {} ({}) settled {}: {}",
        LogText.escape(request),
        request.operationId(),
        result.outcome(),
        LogText.escape(resolution.detail()));
    audit(request, result, resolution.detail());
    return true;
  }

  /**
   * The source was fenced in the middle of the move: it will never tell. The destination alone says
   * how it ended — running there, it moved; anything else, it runs nowhere, and the restart of the
   * fenced host's domains takes it once this move no longer holds it.
   */
  private boolean settleFromDestination(JournaledMove move) {
    MoveRequest request = move.request();
    HostRecord to = inventory.snapshot().host(request.to());
    boolean runs =
        to.data().domains().stream()
            .anyMatch(d -> d.uuid().equals(request.uuid()) && d.state() == DomainState.RUNNING);
    String detail =
        "host "
            + request.from()
            + " was fenced during the move; "
            + (runs
                ? "the domain runs on " + request.to()
                : "it does not run on " + request.to() + ": the restart takes it");
    MoveResult result =
        result(runs ? MoveResult.Outcome.SUCCEEDED : MoveResult.Outcome.FAILED, move, detail);
    operations.outcomes().settled(move, result);
    audit(request, result, detail);
    return true;
  }

  private void audit(MoveRequest request, MoveResult result, String detail) {
    operations
        .audit()
        .record(
            Requester.RECOVERY,
            "settle the unsettled move of "
                + request.domain()
                + " from "
                + request.from()
                + " to "
                + request.to()
                + " (operation "
                + request.operationId()
                + ")",
            result.outcome() + ": " + detail);
  }

  private boolean fenced(String host) {
    HostRecord record = inventory.snapshot().host(host);
    return record != null && record.failure() != null && record.failure().fenced();
  }

  private static MoveResult result(MoveResult.Outcome outcome, JournaledMove move, String detail) {
    String before = move.error() == null || move.error().isEmpty() ? "" : move.error() + "; ";
    return new MoveResult(outcome, Math.max(1, move.attempts()), before + detail, -1, -1);
  }

  /** True if the host's agent answered the last collection round. */
  private boolean answers(String host) {
    HostRecord record = inventory.snapshot().host(host);
    return record != null
        && record.state() != HostState.REMOVED
        && record.data() != null
        && record.reachable()
        && record.missedRounds() == 0;
  }

  /** True while the move's operation has not yet taken in the UNSETTLED end the journal holds. */
  private boolean stillReported(MoveRequest request) {
    Operation operation = operations.registry().get(request.operationId());
    return operation != null
        && request.index() < operation.moves().size()
        && operation.moves().get(request.index()).state() == MoveState.RUNNING;
  }
}
