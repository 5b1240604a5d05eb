package xcm.coordinator.journal;

import java.time.Instant;
import java.util.List;
import xcm.mbeans.OperationType;

/**
 * An operation the journal holds as running: the coordinator stopped before it ended.
 *
 * @param kind what it does, with its parameters
 * @param cancelled an operator cancelled it: moves not started are not to be made
 */
public record JournaledOperation(
    String id,
    Kind kind,
    String summary,
    String requestedBy,
    Instant started,
    boolean cancelled,
    List<JournaledMove> moves) {

  public JournaledOperation {
    moves = List.copyOf(moves);
  }

  /**
   * What an operation does as the journal keeps it: its type and that type's parameters, each in a
   * column of its own (null where the type has none).
   *
   * @param domain the migrated domain
   * @param host the drained host, or a migration's destination
   * @param policy a balance's policy as asked
   */
  public record Kind(
      OperationType type, String domain, String host, String policy, boolean dryRun) {}
}
