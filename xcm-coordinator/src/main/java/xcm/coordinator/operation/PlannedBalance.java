package xcm.coordinator.operation;

import xcm.coordinator.plan.Plan;

/** What {@link OperationService#balanceWith} came to. */
public sealed interface PlannedBalance {
  /** The plan ran as a balance operation. */
  record Started(String operationId, Plan plan) implements PlannedBalance {}

  /** Planned and left: nothing to move, or only asked to plan. */
  record Planned(Plan plan) implements PlannedBalance {}

  /**
   * Not planned, or its plan not started: another balance or drain runs, recovery is settling, the
   * plan would take the cluster below its failover capacity, or the cluster changed under it.
   */
  record Refused(String reason) implements PlannedBalance {}
}
