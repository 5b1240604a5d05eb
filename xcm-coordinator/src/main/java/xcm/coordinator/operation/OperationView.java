package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import xcm.mbeans.MoveState;
import xcm.mbeans.MoveStatus;
import xcm.mbeans.OperationMXBean;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;
import xcm.mbeans.PlanView;

/** {@code xcm:type=Operation,id=...}: one operation as JConsole, Jolokia and the CLI see it. */
final class OperationView implements OperationMXBean {
  private final Operation operation;
  private final Clock clock;

  OperationView(Operation operation, Clock clock) {
    this.operation = operation;
    this.clock = clock;
  }

  @Override
  public String getId() {
    return operation.id();
  }

  @Override
  public OperationType getKind() {
    return operation.kind().type();
  }

  @Override
  public String getSummary() {
    return operation.summary();
  }

  @Override
  public String getRequestedBy() {
    return operation.requester().toString();
  }

  @Override
  public boolean isDryRun() {
    return operation.dryRun();
  }

  @Override
  public OperationState getState() {
    return operation.state();
  }

  @Override
  public int getMovesTotal() {
    return operation.requests().size();
  }

  @Override
  public int getMovesDone() {
    return operation.done();
  }

  @Override
  public int getMovesFailed() {
    return operation.failed();
  }

  @Override
  public int getMovesIncomplete() {
    return operation.count(MoveState.INCOMPLETE);
  }

  @Override
  public int getMovesUnsettled() {
    return operation.unsettled();
  }

  @Override
  public int getMovesInFlight() {
    return operation.running();
  }

  @Override
  public int getMovesInFlightPeak() {
    return operation.peakRunning();
  }

  @Override
  public long getStartedEpochMillis() {
    return operation.started().toEpochMilli();
  }

  @Override
  public long getFinishedEpochMillis() {
    Instant finished = operation.finished();
    return finished == null ? 0 : finished.toEpochMilli();
  }

  @Override
  public double getDurationSeconds() {
    Instant finished = operation.finished();
    return Duration.between(operation.started(), finished == null ? clock.instant() : finished)
            .toMillis()
        / 1000.0;
  }

  @Override
  public List<String> getErrors() {
    return operation.errors();
  }

  @Override
  public List<MoveStatus> getMoves() {
    return operation.moves();
  }

  @Override
  public PlanView getPlan() {
    return operation.plan();
  }
}
