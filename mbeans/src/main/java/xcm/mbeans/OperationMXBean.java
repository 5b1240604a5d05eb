package xcm.mbeans;

import java.util.List;

/** {@code xcm:type=Operation,id="<id>"} on the coordinator: one running or recent operation. */
@Description("One operation (migrate, balance or drain): its state, progress and moves")
public interface OperationMXBean {
  @Description("Operation id, as migrate/balance/drain returned it")
  String getId();

  @Description("MIGRATE, BALANCE or DRAIN")
  OperationType getKind();

  @Description("What was asked, e.g. 'drain dmz01' or 'balance weighted'")
  String getSummary();

  @Description(
      "How it was asked: jmx, jolokia, cli, schedule or webhook; with the user where the door tells"
          + " it")
  String getRequestedBy();

  @Description("True for a dry run: the plan is made and shown, nothing moves")
  boolean isDryRun();

  @Description(
      "RUNNING, SUCCEEDED, FAILED (some moves failed or are unsettled) or CANCELLED; an unsettled"
          + " move settled later changes it")
  OperationState getState();

  @Description("Moves in the operation")
  int getMovesTotal();

  @Description("Moves that succeeded and were verified on fresh samples")
  int getMovesDone();

  @Description("Moves that failed after their retries (the domain stays on its source)")
  int getMovesFailed();

  @Description(
      "Moves that left the domain running on the destination while its source kept a paused copy"
          + " it could not remove (INCOMPLETE): the copy is for an operator to remove")
  int getMovesIncomplete();

  @Description(
      "Moves whose end the agents did not tell within the move timeout (UNSETTLED): neither done"
          + " nor failed; the coordinator asks again until it knows where the domain runs")
  int getMovesUnsettled();

  @Description("Moves running now")
  int getMovesInFlight();

  @Description("The most moves of this operation that ran at once")
  int getMovesInFlightPeak();

  @Description("When it was asked for, milliseconds since the epoch")
  long getStartedEpochMillis();

  @Description("When it ended, milliseconds since the epoch; 0 while it runs")
  long getFinishedEpochMillis();

  @Description("Seconds from start to end, or to now while it runs")
  double getDurationSeconds();

  @Description("Why moves failed, or why the operation stopped")
  List<String> getErrors();

  @Description("Every move with its state, attempts, duration and downtime")
  List<MoveStatus> getMoves();

  @Description("The plan the operation runs")
  PlanView getPlan();
}
