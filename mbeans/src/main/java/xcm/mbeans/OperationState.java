package xcm.mbeans;

/** Where an operation stands, as {@code xcm:type=Operation} shows it. */
public enum OperationState {
  /** Moves are waiting or running. */
  RUNNING,
  /** Every move succeeded (a dry run or a plan without moves too). */
  SUCCEEDED,
  /** Some moves failed, were left incomplete or are unsettled; the errors say which and why. */
  FAILED,
  /** Cancelled by an operator (or cut off by a restart) before every move started. */
  CANCELLED
}
