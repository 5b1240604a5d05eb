package xcm.coordinator.operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.AgentMoveRunner;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.migration.MoveResult;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;
import xcm.mbeans.PlanView;
import xcm.mbeans.PlannedMove;
import xcm.serve.LogText;

/**
 * After a restart, settles every operation the journal holds as running: each move the coordinator
 * had handed to an agent is resolved with the agents (it ended on its destination or on its source,
 * never on both; or, while an agent does not answer within the patience, UNSETTLED, for {@link
 * UnsettledMoves} to settle later), moves not started are cancelled, and the operation ends with
 * the reason. A drain whose moves all succeeded puts its host in maintenance; otherwise the drain
 * goes on: once requests are admitted again, {@link #continueDrains} drains the host anew, from
 * where its domains are now, so that no domain moves twice. Until recovery ends, the coordinator
 * refuses new requests.
 *
 * <p>Runs once, on its own thread, after the first collection round.
 */
public final class OperationRecovery {
  private static final Logger log = LoggerFactory.getLogger(OperationRecovery.class);

  private final Journal journal;
  private final MoveResolver resolver;
  private final OperationService operations;
  private final Duration patience;
  private final List<JournaledOperation> cutOffDrains = new ArrayList<>();

  /**
   * @param patience how long to wait for an agent that does not answer before leaving a move
   *     UNSETTLED
   */
  public OperationRecovery(
      Journal journal, MoveResolver resolver, OperationService operations, Duration patience) {
    this.journal = journal;
    this.resolver = resolver;
    this.operations = operations;
    this.patience = patience;
  }

  /**
   * Settles every unfinished operation but those this coordinator started since it began acting;
   * returns how many it settled. With nothing left running when it began, requests were admitted at
   * once, so by now the journal may hold its own live operations: settling one would cancel it
   * under its requester. What any coordinator journaled under an earlier term is settled, even if
   * it was written after this one took over (a former active that had not yet noticed).
   */
  public int recover() throws InterruptedException {
    List<JournaledOperation> leftOver = new ArrayList<>();
    for (JournaledOperation op : journal.unfinished()) {
      if (!operations.registry().createdThisTerm(op.id())) {
        leftOver.add(op);
      }
    }
    for (JournaledOperation op : leftOver) {
      recover(op);
    }
    return leftOver.size();
  }

  /**
   * Drains again each host whose drain recovery ended short of maintenance (moves it had not
   * started, a move that failed when the coordinator stopped); call once {@link
   * OperationService#recovered} admits requests. A host an operator has since activated, or whose
   * new drain is refused (a move still UNSETTLED), stays as it is, with the reason in the audit
   * log.
   *
   * @return the ids of the drains started
   */
  public synchronized List<String> continueDrains() {
    List<String> started = new ArrayList<>();
    for (JournaledOperation op : cutOffDrains) {
      String host = op.kind().host();
      try {
        started.add(
            operations.drain(host, false, new Requester("recovery", "continuing " + op.id())));
      } catch (IllegalArgumentException | IllegalStateException e) {
        log.warn(
            "the drain of {} cut off as operation {} is not continued: {}",
            LogText.escape(host),
            op.id(),
            LogText.escape(e.getMessage()));
      }
    }
    cutOffDrains.clear();
    return started;
  }

  private void recover(JournaledOperation op) throws InterruptedException {
    List<MoveResult> results = new ArrayList<>();
    List<Boolean> settledNow = new ArrayList<>();
    boolean restart = op.kind().type() == OperationType.RESTART;
    for (JournaledMove move : op.moves()) {
      MoveResult result = restart ? settleRestart(move) : settle(move);
      results.add(result);
      settledNow.add(!move.ended());
      if (!move.ended()) {
        journal.moveEnded(move.request(), result.outcome(), result.attempts(), result.error());
      }
    }
    Operation recovered =
        operations
            .launcher()
            .restore(
                op,
                plan(op),
                op.moves().stream()
                    .map(m -> restart ? asRestart(m.request()) : m.request())
                    .toList(),
                results,
                settledNow);
    if (op.kind().type() == OperationType.DRAIN
        && !op.kind().dryRun()
        && !op.cancelled()
        && recovered.state() != OperationState.SUCCEEDED) {
      synchronized (this) {
        cutOffDrains.add(op);
      }
    }
    log.info(
        "recovered operation {} ({}): {}, {} of {} moves done",
        op.id(),
        LogText.escape(op.summary()),
        recovered.state(),
        recovered.done(),
        op.moves().size());
    operations
        .audit()
        .record(
            Requester.RECOVERY,
            "recover operation "
                + op.id()
                + " ("
                + op.summary()
                + ", asked by "
                + op.requestedBy()
                + ")",
            recovered.state()
                + ", "
                + recovered.done()
                + " of "
                + op.moves().size()
                + " moves done"
                + (recovered.errors().isEmpty() ? "" : "; " + recovered.errors()));
  }

  /** The journal keeps moves without their method: a RESTART operation's are restarts. */
  private static MoveRequest asRestart(MoveRequest m) {
    return new MoveRequest(
        m.operationId(),
        m.index(),
        m.domain(),
        m.uuid(),
        m.from(),
        m.fromUrl(),
        m.to(),
        m.toUrl(),
        MoveRequest.Method.RESTART);
  }

  /**
   * A restart cut off by the coordinator's own restart ends FAILED: the failure handler starts the
   * domain again, where it runs nowhere, in its next round — and starts rather than defines a copy
   * the cut-off restart left defined.
   */
  private static MoveResult settleRestart(JournaledMove move) {
    if (move.ended() || move.phase() == MovePhase.PENDING) {
      return ended(move);
    }
    return new MoveResult(
        MoveResult.Outcome.FAILED,
        Math.max(1, move.attempts()),
        "the coordinator restarted during the restart; the failure handler starts it again where"
            + " it runs nowhere",
        -1,
        -1);
  }

  private static MoveResult ended(JournaledMove move) {
    if (move.ended()) {
      return new MoveResult(
          move.phase().outcome(),
          move.attempts(),
          move.error() == null ? "" : move.error(),
          -1,
          -1);
    }
    return new MoveResult(
        MoveResult.Outcome.CANCELLED, 0, "not started before the coordinator stopped", -1, -1);
  }

  private MoveResult settle(JournaledMove move) throws InterruptedException {
    if (move.ended() || move.phase() == MovePhase.PENDING) {
      return ended(move);
    }
    long deadline = System.nanoTime() + patience.toNanos();
    MoveRequest request = move.request();
    MoveResolver.Resolution resolution = resolver.resolve(request, move.agentMigration());
    while (resolution.verdict() == MoveResolver.Verdict.UNRESOLVED
        && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      resolution = resolver.resolve(request, move.agentMigration());
    }
    String why = "the coordinator restarted during the move; " + resolution.detail();
    return switch (resolution.verdict()) {
      case ON_DESTINATION ->
          new MoveResult(MoveResult.Outcome.SUCCEEDED, Math.max(1, move.attempts()), "", -1, -1);
      case ON_SOURCE ->
          new MoveResult(MoveResult.Outcome.FAILED, Math.max(1, move.attempts()), why, -1, -1);
      // Still unknown: the housekeeping job asks again until the agents tell where it runs.
      case UNRESOLVED ->
          new MoveResult(
              MoveResult.Outcome.UNSETTLED,
              Math.max(1, move.attempts()),
              AgentMoveRunner.UNSETTLED + why,
              -1,
              -1);
      case BROKEN ->
          new MoveResult(
              MoveResult.Outcome.FAILED,
              Math.max(1, move.attempts()),
              "could not settle it: " + why,
              -1,
              -1);
    };
  }

  private static PlanView plan(JournaledOperation op) {
    return new PlanView(
        "recovered",
        "none",
        0,
        0,
        op.moves().size(),
        true,
        op.moves().stream()
            .map(
                m ->
                    new PlannedMove(
                        m.request().domain(),
                        m.request().from(),
                        m.request().to(),
                        0,
                        0,
                        "journaled"))
            .toList(),
        List.of("recovered from the journal after a restart"));
  }
}
