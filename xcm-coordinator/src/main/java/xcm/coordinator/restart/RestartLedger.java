package xcm.coordinator.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.OperationKind;
import xcm.mbeans.MoveState;
import xcm.mbeans.MoveStatus;

/**
 * What the operations say about restarts, read once from the registry's running and recent
 * operations: which domains another operation holds, which restarts run or succeeded (a success
 * shows in the cluster only from the next round on), and when a domain whose restarts failed may be
 * tried again.
 */
record RestartLedger(
    Set<String> restartingHosts,
    Set<String> held,
    Map<String, Success> succeeded,
    Map<String, MoveRequest> underWay,
    Map<String, Instant> retryAt) {

  /** A restart that ended well: where to, and when its operation ended (null: still running). */
  record Success(String to, Instant ended) {}

  /**
   * @param operations every operation the registry keeps (running and recently ended)
   * @param firstRetry the wait after a domain's first failed restart; it doubles with each failure,
   *     up to {@code lastRetry}
   */
  static RestartLedger of(List<Operation> operations, Duration firstRetry, Duration lastRetry) {
    Set<String> restartingHosts = new HashSet<>();
    Set<String> held = new HashSet<>();
    Map<String, Success> succeeded = new HashMap<>();
    Map<String, MoveRequest> underWay = new HashMap<>();
    Map<String, Integer> failures = new HashMap<>();
    Map<String, Instant> lastFailure = new HashMap<>();
    for (Operation o : operations) {
      held.addAll(o.domainsHeld().keySet());
      if (!(o.kind() instanceof OperationKind.Restart restart)) {
        continue;
      }
      if (o.finished() == null) {
        restartingHosts.add(restart.host());
      }
      List<MoveStatus> states = o.moves();
      for (int i = 0; i < states.size(); i++) {
        MoveRequest move = o.requests().get(i);
        MoveState state = states.get(i).state();
        if (state == MoveState.SUCCEEDED) {
          succeeded.put(move.uuid(), new Success(move.to(), o.finished()));
        } else if (state == MoveState.PENDING || state == MoveState.RUNNING) {
          underWay.put(move.uuid(), move);
        } else if (state == MoveState.FAILED && o.finished() != null) {
          failures.merge(move.uuid(), 1, Integer::sum);
          lastFailure.merge(move.uuid(), o.finished(), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    Map<String, Instant> retryAt = new HashMap<>();
    failures.forEach(
        (uuid, n) -> {
          Duration wait = firstRetry;
          for (int i = 1; i < n && wait.compareTo(lastRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
          }
          retryAt.put(
              uuid, lastFailure.get(uuid).plus(wait.compareTo(lastRetry) > 0 ? lastRetry : wait));
        });
    return new RestartLedger(restartingHosts, held, succeeded, underWay, retryAt);
  }

  /** True while a restart of {@code host}'s domains runs. */
  boolean restarting(String host) {
    return restartingHosts.contains(host);
  }

  /**
   * The domains whose restart succeeded but may not show in {@code cluster} yet: their
   * destination's last sample is older than the end of the restart. (Once it shows, what the
   * cluster says counts: a domain restarted an hour ago and stopped since is not running.)
   */
  Set<String> notYetSeen(ClusterSnapshot cluster) {
    Set<String> running = new HashSet<>();
    succeeded.forEach(
        (uuid, s) -> {
          HostRecord to = cluster.host(s.to());
          if (s.ended() == null
              || to == null
              || to.data() == null
              || to.data().sampleEpochMillis() <= s.ended().toEpochMilli()) {
            running.add(uuid);
          }
        });
    return running;
  }

  /** True when the domain may be restarted now: not held, not under way, not backing off. */
  boolean mayRestart(String uuid, Instant now) {
    Instant at = retryAt.get(uuid);
    return !held.contains(uuid) && !underWay.containsKey(uuid) && (at == null || !at.isAfter(now));
  }
}
