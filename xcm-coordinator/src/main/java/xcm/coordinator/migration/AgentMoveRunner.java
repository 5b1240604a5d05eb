package xcm.coordinator.migration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.collect.AgentClient;
import xcm.coordinator.collect.AgentException;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;

/**
 * Runs a move through the agents: asks the source agent to migrate the domain to the destination
 * agent, follows the migration until it ends or the move timeout passes, then verifies on fresh
 * samples of both hosts that the domain runs on the destination and is gone from the source. A
 * migration that fails leaves the domain running on its source (the agent rolls back) and is tried
 * again, up to {@code retries} times, unless the agent refused it outright.
 *
 * <p>Thread-safe; one call per move, on a queue worker.
 */
public final class AgentMoveRunner implements MoveRunner {
  private static final Logger log = LoggerFactory.getLogger(AgentMoveRunner.class);
  static final String HOST_OPERATIONS = "xcm:type=HostOperations";

  private final AgentClient agents;
  private final Duration moveTimeout;
  private final int retries;
  private final Duration poll;

  /**
   * @param moveTimeout how long one migration may take before the move is reported failed
   * @param retries further attempts after a failed migration
   * @param poll how often the migration's state is read while it runs
   */
  public AgentMoveRunner(AgentClient agents, Duration moveTimeout, int retries, Duration poll) {
    this.agents = agents;
    this.moveTimeout = moveTimeout;
    this.retries = retries;
    this.poll = poll;
  }

  @Override
  public MoveResult run(MoveRequest move) {
    long started = System.nanoTime();
    String error = null;
    int attempt = 0;
    while (attempt <= retries) {
      attempt++;
      try {
        JsonNode status = migrate(move);
        String state = status.path("state").asText();
        long downtime = status.path("downtimeMillis").asLong(-1);
        if (state.equals("SUCCEEDED")) {
          String wrong = verify(move);
          if (wrong == null) {
            return new MoveResult(
                MoveResult.Outcome.SUCCEEDED, attempt, "", millisSince(started), downtime);
          }
          return new MoveResult(
              MoveResult.Outcome.FAILED, attempt, wrong, millisSince(started), downtime);
        }
        if (state.equals("INCOMPLETE")) {
          return new MoveResult(
              MoveResult.Outcome.INCOMPLETE,
              attempt,
              status.path("error").asText(),
              millisSince(started),
              downtime);
        }
        error = status.path("error").asText(state);
      } catch (AgentException e) {
        error = e.getMessage();
        if (e.refused()) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
      if (attempt <= retries) {
        log.warn(
            "move {} failed (attempt {} of {}), trying again: {}",
            move,
            attempt,
            retries + 1,
            error);
      }
    }
    return new MoveResult(MoveResult.Outcome.FAILED, attempt, error, millisSince(started), -1);
  }

  /** Starts the migration on the source agent and waits for its end; returns its last status. */
  private JsonNode migrate(MoveRequest move) throws AgentException, InterruptedException {
    String id = call(move.fromUrl(), "migrate", move.domain(), move.toUrl()).asText();
    long deadline = System.nanoTime() + moveTimeout.toNanos();
    while (true) {
      JsonNode status = call(move.fromUrl(), "migration", id);
      if (!status.path("state").asText().equals("RUNNING")) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        throw new AgentException(
            "migration "
                + id
                + " of "
                + move.domain()
                + " did not end within "
                + moveTimeout.toSeconds()
                + " s (last phase "
                + status.path("phase").asText()
                + ")",
            true);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * Null when fresh samples show the domain on the destination and not on the source; else what
   * they show.
   */
  private String verify(MoveRequest move) throws AgentException, InterruptedException {
    call(move.toUrl(), "sampleNow");
    call(move.fromUrl(), "sampleNow");
    HostData to = read(move.toUrl());
    HostData from = read(move.fromUrl());
    DomainData arrived = find(to, move.uuid());
    if (arrived == null || !arrived.active()) {
      return "verification failed: "
          + move.domain()
          + " is not running on "
          + move.to()
          + (arrived == null ? " (not defined there)" : " (" + arrived.state() + ")");
    }
    if (find(from, move.uuid()) != null) {
      return "verification failed: " + move.domain() + " is still defined on " + move.from();
    }
    return null;
  }

  private static DomainData find(HostData host, String uuid) {
    return host.domains().stream().filter(d -> d.uuid().equals(uuid)).findFirst().orElse(null);
  }

  private JsonNode call(String url, String operation, Object... args)
      throws AgentException, InterruptedException {
    try {
      return agents.exec(url, HOST_OPERATIONS, operation, args).get();
    } catch (ExecutionException e) {
      throw AgentClient.cause(e);
    }
  }

  private HostData read(String url) throws AgentException, InterruptedException {
    try {
      return agents.read(url).get();
    } catch (ExecutionException e) {
      throw AgentClient.cause(e);
    }
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
