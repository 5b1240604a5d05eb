package xcm.coordinator.migration;

/**
 * Runs one move to its end and says how it ended; blocks until then. {@link AgentMoveRunner} asks
 * the agents; tests of the queue's limits use their own.
 */
public interface MoveRunner {
  MoveResult run(MoveRequest move);

  /** Live moves to {@code live}, restarts of a fenced host's domains to {@code restart}. */
  static MoveRunner byMethod(MoveRunner live, MoveRunner restart) {
    return move -> move.method() == MoveRequest.Method.RESTART ? restart.run(move) : live.run(move);
  }
}
