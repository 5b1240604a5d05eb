package xcm.coordinator.journal;

import java.time.Instant;
import java.util.List;

/** An operation the journal holds as running: the coordinator stopped before it ended. */
public record JournaledOperation(
    String id,
    String kind,
    String summary,
    String requestedBy,
    boolean dryRun,
    Instant started,
    List<JournaledMove> moves) {

  public JournaledOperation {
    moves = List.copyOf(moves);
  }
}
