package xcm.coordinator.migration;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.leader.Mandate;
import xcm.mbeans.MigrationStatus;
import xcm.serve.LogText;
import xcm.trust.ticket.Handover;
import xcm.trust.ticket.TicketIssuer;

/**
 * Runs a move through the agents: asks the source agent to migrate the domain to the destination
 * agent, follows the migration until it ends or the move timeout passes, then verifies on fresh
 * samples of both hosts that the domain runs on the destination and is gone from the source. A
 * migration that fails leaves the domain running on its source (the agent rolls back) and is tried
 * again, up to {@code retries} times, unless the agent refused the first request for good: the
 * request is wrong or not allowed ({@link JolokiaException.Refusal#BAD_REQUEST}, {@code FORBIDDEN},
 * {@code NOT_FOUND}). A first request refused for the agent's present state ({@code NOT_NOW}:
 * libvirt cannot tell the domain's state, the agent is stopping) is settled and tried again like a
 * failed migration.
 *
 * <p>Each attempt carries a hand-over ticket the coordinator signed for the domain, its source and
 * its destination ({@link #tickets}): an enrolled destination takes the domain only with it, and a
 * ticket allows one hand-over, so every attempt gets a new one. A live (QEMU) migration ignores it.
 *
 * <p>Thread-safe; one call per move, on a queue worker.
 */
public final class AgentMoveRunner implements MoveRunner {
  private static final Logger log = LoggerFactory.getLogger(AgentMoveRunner.class);

  /** Begins what an UNSETTLED move's error says about it. */
  public static final String UNSETTLED = "unsettled, asked again until its agents tell: ";

  /** No tickets: a coordinator without a cluster authority, whose agents check none. */
  public static final Function<Handover, String> NO_TICKETS = handover -> "";

  /**
   * How long after a migration's timeout its ticket stays valid: the source's last FINISH or abort
   * (it retries FINISH for 30 s) and clocks a little apart.
   */
  static final Duration TICKET_MARGIN = Duration.ofMinutes(5);

  /** The longest validity a destination accepts ({@code TicketVerifier}'s default). */
  static final Duration TICKET_MAX = Duration.ofHours(24);

  private final AgentCalls agents;
  private final Mandate mandate;
  private final MoveResolver resolver;
  private final MoveJournal journal;
  private final Duration moveTimeout;
  private final int retries;
  private final Duration poll;
  private final Function<Handover, String> tickets;

  /**
   * @param mandate the epoch each {@code migrate} carries, which the source agent checks
   * @param resolver finds out how a migration ended when the source agent stops answering
   * @param journal records each dispatch before it happens
   * @param moveTimeout how long one migration may take, and how long the runner asks again for an
   *     agent that does not answer, before the move is reported UNSETTLED
   * @param retries further attempts after a failed migration
   * @param poll how often the migration's state is read while it runs
   * @param tickets the text of a signed ticket for a hand-over ({@link #tickets(TicketIssuer,
   *     Duration)}), or {@link #NO_TICKETS}
   */
  public AgentMoveRunner(
      JolokiaClient agents,
      Mandate mandate,
      MoveResolver resolver,
      MoveJournal journal,
      Duration moveTimeout,
      int retries,
      Duration poll,
      Function<Handover, String> tickets) {
    this.agents = new AgentCalls(agents);
    this.mandate = mandate;
    this.resolver = resolver;
    this.journal = journal;
    this.moveTimeout = moveTimeout;
    this.retries = retries;
    this.poll = poll;
    this.tickets = tickets;
  }

  /**
   * Tickets signed by the cluster authority's {@code issuer}, valid for the move timeout and {@link
   * #TICKET_MARGIN} (at most a day, the longest a destination accepts).
   */
  public static Function<Handover, String> tickets(TicketIssuer issuer, Duration moveTimeout) {
    Duration validity = moveTimeout.plus(TICKET_MARGIN);
    Duration capped = validity.compareTo(TICKET_MAX) > 0 ? TICKET_MAX : validity;
    return handover -> issuer.issue(handover, capped).text();
  }

  @Override
  public MoveResult run(MoveRequest move) {
    long started = System.nanoTime();
    String error = null;
    int attempt = 0;
    while (attempt <= retries) {
      attempt++;
      try {
        Attempt result = attempt(move, attempt);
        if (result.outcome != null) {
          return new MoveResult(
              result.outcome,
              attempt,
              result.error,
              millisSince(started),
              result.status == null ? -1 : result.status.downtimeMillis(),
              result.status == null ? -1 : result.status.migrationMillis(),
              result.status == null ? -1 : result.status.dataTransferredBytes());
        }
        error = result.error;
      } catch (JolokiaException e) {
        // The first request, refused for good: nothing was migrated, and nothing to settle.
        error = e.getMessage();
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
      if (attempt <= retries) {
        log.warn(
            "move {} failed (attempt {} of {}), trying again: {}",
            LogText.escape(move),
            attempt,
            retries + 1,
            LogText.escape(error));
      }
    }
    return new MoveResult(MoveResult.Outcome.FAILED, attempt, error, millisSince(started), -1);
  }

  /**
   * How one attempt ended: an outcome to report, or (outcome null) an error worth a retry; with the
   * source agent's last status of its migration when it has one.
   */
  private record Attempt(MoveResult.Outcome outcome, String error, MigrationStatus status) {
    static Attempt retry(String error) {
      return new Attempt(null, error, null);
    }
  }

  /**
   * @throws JolokiaException when the first attempt's request is refused for good
   */
  private Attempt attempt(MoveRequest move, int attempt)
      throws JolokiaException, InterruptedException {
    // Asked first: a coordinator that is not the active one journals no dispatch.
    long epoch = mandate.epoch();
    journal.dispatching(move);
    String id;
    try {
      id =
          agents
              .exec(move.fromUrl(), "migrate", move.domain(), move.toUrl(), ticket(move), epoch)
              .asText();
    } catch (JolokiaException e) {
      // A refusal after an earlier attempt may mean that attempt moved the domain after all.
      if (attempt == 1 && refusedForGood(e)) {
        throw e;
      }
      // The request may or may not have reached the agent: find out before trying again.
      return resolved(move, null, e.getMessage());
    }
    try {
      journal.dispatched(move, id);
    } catch (RuntimeException e) {
      // The agent runs it whatever the journal holds. Left DISPATCHING, it is what recovery settles
      // by asking the agents; giving up here would report FAILED a move that goes on.
      log.warn(
          "move {} runs as the agent's migration {}, which the journal could not record: {}",
          LogText.escape(move),
          LogText.escape(id),
          LogText.escape(e.getMessage()));
    }
    MigrationStatus status;
    try {
      status = await(move, id);
    } catch (JolokiaException e) {
      // Also a refusal: an agent that restarted no longer knows the migration.
      return resolved(move, id, e.getMessage());
    }
    String error = status.error() == null || status.error().isEmpty() ? null : status.error();
    return switch (status.state()) {
      case RUNNING ->
          resolved(
              move,
              id,
              "migration "
                  + id
                  + " of "
                  + move.domain()
                  + " did not end within "
                  + moveTimeout.toSeconds()
                  + " s (last phase "
                  + status.phase()
                  + ")");
      case SUCCEEDED -> verified(move, id, status);
      case INCOMPLETE ->
          new Attempt(MoveResult.Outcome.INCOMPLETE, error == null ? "" : error, status);
      // The agent rolled back, or could not and says so: make sure the domain runs somewhere
      // before trying again.
      case FAILED -> resolved(move, id, error != null ? error : status.state().name());
    };
  }

  /**
   * A new ticket for this attempt, or "" when none can be made (the inventory has no UUID of the
   * domain, or a name no ticket carries): an enrolled destination then refuses the hand-over and
   * says why, and a live migration or an agent that is not enrolled needs none.
   */
  private String ticket(MoveRequest move) {
    UUID uuid = uuidOf(move.uuid());
    if (uuid == null) {
      log.warn(
          "move {}: no ticket, the domain's UUID is not known ({})",
          LogText.escape(move),
          LogText.escape(move.uuid()));
      return "";
    }
    try {
      return tickets.apply(new Handover(uuid, move.domain(), move.from(), move.to()));
    } catch (IllegalArgumentException e) {
      log.warn("move {}: no ticket: {}", LogText.escape(move), LogText.escape(e.getMessage()));
      return "";
    }
  }

  /** The UUID as the inventory has it (libvirt's spelling), or null when it has none. */
  private static UUID uuidOf(String text) {
    if (text == null || !text.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
      return null;
    }
    return UUID.fromString(text);
  }

  /** A migration the agent says succeeded, verified on fresh samples of both hosts. */
  private Attempt verified(MoveRequest move, String id, MigrationStatus status)
      throws InterruptedException {
    String wrong;
    try {
      wrong = verify(move);
    } catch (JolokiaException e) {
      wrong = "cannot verify the move: " + e.getMessage();
    }
    return wrong == null
        ? new Attempt(MoveResult.Outcome.SUCCEEDED, "", status)
        : resolved(move, id, wrong);
  }

  /**
   * A migration that failed, or whose end the coordinator could not see: the resolver decides where
   * the domain is (and leaves it running on one host), asking again while an agent does not answer,
   * up to the move timeout; still unknown then, the move ends UNSETTLED.
   */
  private Attempt resolved(MoveRequest move, String id, String lost) throws InterruptedException {
    long deadline = System.nanoTime() + moveTimeout.toNanos();
    MoveResolver.Resolution resolution = resolver.resolve(move, id);
    while (resolution.verdict() == MoveResolver.Verdict.UNRESOLVED
        && System.nanoTime() < deadline) {
      Thread.sleep(Math.max(poll.toMillis(), 500));
      resolution = resolver.resolve(move, id);
    }
    log.warn(
        "move {}: {}; resolved: {}",
        LogText.escape(move),
        LogText.escape(lost),
        LogText.escape(resolution.detail()));
    return switch (resolution.verdict()) {
      case ON_DESTINATION -> new Attempt(MoveResult.Outcome.SUCCEEDED, "", null);
      case ON_SOURCE -> Attempt.retry(lost + "; " + resolution.detail());
      // Nobody can tell yet where the domain runs: not a failure, and nothing to retry; the
      // coordinator asks again later and records where the move really ended.
      case UNRESOLVED ->
          new Attempt(
              MoveResult.Outcome.UNSETTLED, lost + "; " + UNSETTLED + resolution.detail(), null);
      case BROKEN ->
          new Attempt(
              MoveResult.Outcome.FAILED,
              lost + "; could not settle it: " + resolution.detail(),
              null);
    };
  }

  /**
   * Follows the source agent's migration until it ends or the move timeout passes; returns its last
   * status, still RUNNING in the latter case.
   */
  private MigrationStatus await(MoveRequest move, String id)
      throws JolokiaException, InterruptedException {
    long deadline = System.nanoTime() + moveTimeout.toNanos();
    while (true) {
      MigrationStatus status = agents.migration(move.fromUrl(), id);
      if (status.finished() || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * True when asking again cannot help: the agent refused the request as asked, or Jolokia would
   * not let it through; false for a refusal for its present state (it may pass later) and for every
   * failure that is not a refusal.
   */
  private static boolean refusedForGood(JolokiaException e) {
    return e.outcome() == JolokiaException.Outcome.REFUSED
        && e.refusal() != JolokiaException.Refusal.NOT_NOW;
  }

  /**
   * Null when fresh samples show the domain on the destination and not on the source; else what
   * they show.
   */
  private String verify(MoveRequest move) throws JolokiaException, InterruptedException {
    agents.exec(move.toUrl(), "sampleNow");
    agents.exec(move.fromUrl(), "sampleNow");
    HostData to = agents.host(move.toUrl());
    HostData from = agents.host(move.fromUrl());
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

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
