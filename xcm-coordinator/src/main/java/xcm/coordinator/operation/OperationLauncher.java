package xcm.coordinator.operation;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.HostState;
import xcm.mbeans.PlanView;
import xcm.serve.LogText;

/**
 * Starts an admitted operation: journals it (and a drain's host mode) before anything acts on it,
 * wires what follows its end — the journal, the drained host's mode, the audit log — and hands its
 * moves to the {@link MoveScheduler}. Operations restored from the journal after a restart are
 * wired the same way.
 *
 * <p>Thread-safe.
 */
final class OperationLauncher {
  private static final Logger log = LoggerFactory.getLogger(OperationLauncher.class);

  private final Admission admission;
  private final OperationRegistry registry;
  private final Journal journal;
  private final HostModes hosts;
  private final MoveScheduler scheduler;
  private final MoveOutcomes outcomes;
  private final AuditLog audit;

  OperationLauncher(
      Admission admission,
      OperationRegistry registry,
      Journal journal,
      HostModes hosts,
      MoveScheduler scheduler,
      MoveOutcomes outcomes,
      AuditLog audit) {
    this.admission = admission;
    this.registry = registry;
    this.journal = journal;
    this.hosts = hosts;
    this.scheduler = scheduler;
    this.outcomes = outcomes;
    this.audit = audit;
  }

  /**
   * Admits a request ({@code check} runs under the admission lock and throws to refuse) and starts
   * its operation; returns the operation id.
   *
   * @throws IllegalStateException when the journal cannot record it; nothing was done then
   */
  String launch(OperationKind kind, Requester who, Supplier<Admission.Admitted> check) {
    // A drain of a host a drain left DRAINING (one cut short) finds it DRAINING, and leaves it so
    // if it cannot start.
    HostState before =
        kind instanceof OperationKind.Drain drain ? hosts.mode(drain.host()) : HostState.ACTIVE;
    Operation operation = admission.admit(kind, who, check);
    if (!kind.dryRun()) {
      journalStart(operation, before);
    }
    operation.onEveryEnd(this::ended);
    operation.onEnd(
        o ->
            audit.record(
                o.requester(),
                "operation " + o.id() + " (" + o.summary() + ") ended",
                o.state()
                    + ", "
                    + o.done()
                    + " of "
                    + o.requests().size()
                    + " moves done"
                    + (o.errors().isEmpty() ? "" : "; " + o.errors())));
    if (kind.dryRun() || operation.requests().isEmpty()) {
      operation.endIfComplete();
    } else {
      scheduler.schedule(operation);
    }
    return operation.id();
  }

  /** Journals what admission did in memory; undoes it if the journal cannot record it. */
  private void journalStart(Operation operation, HostState before) {
    OperationKind kind = operation.kind();
    String drained = kind instanceof OperationKind.Drain drain ? drain.host() : null;
    try {
      if (drained != null) {
        hosts.journal(drained, HostState.DRAINING);
      }
      journal.operationStarted(
          operation.id(),
          kind.journaled(),
          kind.summary(),
          operation.requester().toString(),
          operation.requests());
    } catch (JournalException e) {
      registry.forget(operation.id());
      if (drained != null) {
        hosts.setInMemory(drained, before);
        try {
          hosts.journal(drained, before);
        } catch (JournalException again) {
          log.error(
              "host {} stays DRAINING in the journal: {}",
              LogText.escape(drained),
              LogText.escape(again.getMessage()));
        }
      }
      throw new IllegalStateException(
          "cannot start " + kind.summary() + ": " + e.getMessage() + " (nothing was done)");
    }
  }

  /**
   * An operation the journal held as running when the coordinator restarted, ended now with the
   * moves' settled results: shown like any other operation, and a drain that moved everything puts
   * its host in maintenance.
   *
   * @param settledNow per move, true when recovery found its end just now (and journaled it)
   */
  Operation restore(
      JournaledOperation kept,
      PlanView plan,
      List<MoveRequest> moves,
      List<MoveResult> results,
      List<Boolean> settledNow) {
    Operation operation =
        registry.restore(
            kept.id(),
            OperationKind.of(kept.kind()),
            new Requester("recovered", kept.requestedBy()),
            plan,
            moves);
    operation.onEveryEnd(this::ended);
    if (kept.cancelled()
        || results.stream().anyMatch(r -> r.outcome() == MoveResult.Outcome.CANCELLED)) {
      // An operator cancelled it, or moves the restart cut off were never done: the operation
      // ends CANCELLED (or FAILED), as an operator's cancel ends it, never SUCCEEDED.
      operation.cancel();
    }
    for (int i = 0; i < results.size(); i++) {
      outcomes.recovered(operation, i, results.get(i), settledNow.get(i));
    }
    operation.endIfComplete();
    return operation;
  }

  /**
   * What follows an operation's end, each time it changes: the drained host's mode, then the end in
   * the journal. In that order, so that the journal never holds a drain as ended whose host it
   * holds as DRAINING because the coordinator stopped (or lost the lease) in between: a drain the
   * journal holds as running is settled again after a restart or a takeover, MAINTENANCE included.
   */
  private void ended(Operation operation) {
    try {
      hosts.drainEnded(operation);
    } catch (JournalException e) {
      log.error(
          "the end of operation {} is not in the journal, nor its host's mode: {}",
          operation.id(),
          LogText.escape(e.getMessage()));
      return;
    }
    if (!operation.dryRun()) {
      try {
        journal.operationEnded(operation.id(), operation.state(), operation.errors());
      } catch (JournalException e) {
        log.error(
            "the end of operation {} is not in the journal: {}",
            operation.id(),
            LogText.escape(e.getMessage()));
      }
    }
  }
}
