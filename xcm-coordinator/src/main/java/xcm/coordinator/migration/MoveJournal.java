package xcm.coordinator.migration;

/**
 * Where a move's progress is recorded before the coordinator acts on it, so that a coordinator that
 * restarts knows which agent to ask about which migration. A record that cannot be written throws
 * (the journal's {@code JournalException}): before the agent is asked, nothing is asked.
 */
public interface MoveJournal {
  /** The source agent is about to be asked to migrate. */
  void dispatching(MoveRequest move);

  /** The source agent runs the move as its migration {@code agentMigration}. */
  void dispatched(MoveRequest move, String agentMigration);

  /** Records nothing: for runners whose moves need not survive a restart (tests). */
  MoveJournal NONE =
      new MoveJournal() {
        @Override
        public void dispatching(MoveRequest move) {}

        @Override
        public void dispatched(MoveRequest move, String agentMigration) {}
      };
}
