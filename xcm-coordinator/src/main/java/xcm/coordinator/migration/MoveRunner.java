package xcm.coordinator.migration;

/**
 * Runs one move to its end and says how it ended; blocks until then. {@link AgentMoveRunner} asks
 * the agents; tests of the queue's limits use their own.
 */
public interface MoveRunner {
  MoveResult run(MoveRequest move);
}
