package xcm.coordinator.failure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.fence.FenceException;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.fence.PowerState;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostFailure;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.journal.FencedHost;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.HostState;
import xcm.serve.LogText;

/**
 * Takes a host that stopped answering down the failure path, after each collection round: SUSPECT
 * once it has been silent for the detection time; then its BMC is asked for its power and other
 * agents whether they still reach it; unless one does, FENCING through its fence device, and FAILED
 * only once the device says it is off (or an operator confirmed it, {@link #confirmDown}). Only a
 * FAILED host's domains are restarted elsewhere ({@link Restarts}); a host whose fencing failed
 * stays FENCE_FAILED, tried again with back-off, and nothing of it restarts.
 *
 * <p>What waits on a BMC or an agent runs on {@code executor}, one task per host at a time, never
 * under the inventory's lock: the inventory only takes each step's result, checking that the host
 * is still where the step began (a host that answered meanwhile is left alone).
 *
 * <p>Thread-safe.
 */
public final class FailureHandler {
  private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

  private final Inventory inventory;
  private final Fencer fencer;
  private final PeerProbe peers;
  private final Restarts restarts;
  private final AuditLog audit;
  private final FailureConfig config;
  private final Clock clock;
  private final Executor executor;
  private final Executor fencing;
  private final Journal journal;
  private final Set<String> working = ConcurrentHashMap.newKeySet();

  public FailureHandler(
      Inventory inventory,
      Fencer fencer,
      PeerProbe peers,
      Restarts restarts,
      AuditLog audit,
      FailureConfig config,
      Clock clock,
      Journal journal,
      Executor executor,
      Executor fencing) {
    this.inventory = inventory;
    this.fencer = fencer;
    this.peers = peers;
    this.restarts = restarts;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.journal = journal;
    this.executor = executor;
    this.fencing = fencing;
  }

  /** Decides each host's next step after a round and starts what waits on the network. */
  public void afterRound(ClusterSnapshot snapshot) {
    Instant now = clock.instant();
    for (HostRecord host : snapshot.hosts().values()) {
      String name = host.name();
      switch (FailureStep.of(host, now, config)) {
        case NONE -> {}
        case SUSPECT -> {
          suspect(name, now);
          submit(fencing, name, () -> probeAndFence(name, HostState.SUSPECT));
        }
        case PROBE -> submit(fencing, name, () -> probeAndFence(name, HostState.SUSPECT));
        case FENCE_AGAIN ->
            submit(fencing, name, () -> probeAndFence(name, HostState.FENCE_FAILED));
        case RESTART -> submit(executor, name, () -> restarts.restart(name));
        case RETURN -> submit(executor, name, () -> returnToService(name));
      }
    }
  }

  /**
   * An operator says the host is off (powered down, unplugged): it is FAILED from now on and its
   * domains restart elsewhere. The one way past a fence that cannot succeed, so it is audited with
   * who said it.
   *
   * @throws IllegalArgumentException naming the host when it is not a member, still answers, or is
   *     being fenced right now; nothing changes then (the caller audits either way)
   */
  public void confirmDown(String host, Requester who) {
    Instant now = clock.instant();
    String[] refusal = {null};
    HostRecord after =
        inventory.updateFailure(
            host,
            record -> {
              HostFailure failure = record.failure();
              if (failure == null && record.lastSeen().plus(config.detectAfter()).isAfter(now)) {
                refusal[0] =
                    "its agent answered "
                        + seconds(Duration.between(record.lastSeen(), now))
                        + " ago: XCM does not restart the domains of a host that may run";
                return record;
              }
              if (failure != null && failure.runs()) {
                refusal[0] =
                    "another agent still reaches its agent ("
                        + failure.reason()
                        + "): it runs, cut off from the coordinator only";
                return record;
              }
              if (failure != null && failure.phase() == HostState.FENCING) {
                refusal[0] = "it is being fenced right now: wait for the fence agent's answer";
                return record;
              }
              if (failure != null && failure.fenced()) {
                return record;
              }
              String why = "confirmed down by " + who + " at " + now;
              return record.fenced(
                  (failure == null ? HostFailure.suspect(now, why) : failure)
                      .then(HostState.FAILED, now, why, null));
            });
    if (after == null) {
      throw new IllegalArgumentException(
          "cannot confirm host \"" + host + "\" down: it is not a member");
    }
    if (refusal[0] != null) {
      throw new IllegalArgumentException(
          "cannot confirm host \"" + host + "\" down: " + refusal[0]);
    }
    journalFenced(after);
    submit(executor, host, () -> restarts.restart(host));
  }

  private void suspect(String name, Instant now) {
    inventory.updateFailure(
        name,
        record ->
            record.failure() != null
                ? record
                : record.withFailure(
                    HostFailure.suspect(
                        now,
                        "its agent has not answered for "
                            + seconds(Duration.between(record.lastSeen(), now))
                            + (record.lastError() == null ? "" : ": " + record.lastError()))));
  }

  /**
   * Asks the BMC and the other agents ({@link Witnesses}), then fences — unless another agent
   * reaches the host, the coordinator reaches too few hosts to judge, or no agent could say.
   */
  private void probeAndFence(String name, HostState from) {
    HostRecord host = inventory.snapshot().host(name);
    if (host == null || !isIn(host, from)) {
      return;
    }
    // All asked at once, and the BMC meanwhile: a frozen agent keeps each asker waiting for its
    // whole timeout, and those waits would otherwise add up before the fence.
    Map<String, CompletableFuture<PeerProbe.Reach>> asked = new LinkedHashMap<>();
    for (HostRecord other : askable(name)) {
      asked.put(other.name(), peers.reaches(other.url(), host.url()));
    }
    String power = power(name);
    Map<String, PeerProbe.Reach> answers = new LinkedHashMap<>();
    asked.forEach((other, reach) -> answers.put(other, reach.join()));
    ClusterSnapshot now = inventory.snapshot();
    int members = 0;
    int answering = 0;
    for (HostRecord h : now.hosts().values()) {
      // A fenced host is known to be off: it neither counts for the quorum nor against it.
      if (h.removedAt() == null && (h.failure() == null || !h.failure().fenced())) {
        members++;
        // An agent that just answered the probe is reached, whatever its last round says: the
        // probe holds it up to 4 s, long enough to miss a round.
        PeerProbe.Reach said = answers.get(h.name());
        boolean answered = said != null && said.answer() != PeerProbe.Answer.UNKNOWN;
        answering += h.answering() || answered ? 1 : 0;
      }
    }
    Witnesses.Decision decision = Witnesses.decide(answering, members, answers);
    if (decision.verdict() == Witnesses.Verdict.FENCE) {
      fence(name, from, "power " + power + ", " + decision.why());
      return;
    }
    Instant at = clock.instant();
    Instant again = at.plus(config.detectAfter());
    String why =
        decision.why() + "; power " + power + "; asked again in " + seconds(config.detectAfter());
    boolean runs = decision.verdict() == Witnesses.Verdict.CUT_OFF;
    inventory.updateFailure(
        name,
        record -> {
          if (!isIn(record, from)) {
            return record;
          }
          HostFailure failure = record.failure();
          return record.withFailure(
              runs ? failure.cutOff(why, again) : failure.then(from, at, why, again));
        });
  }

  /** Powers the host off through its fence device; FAILED only when the device says it is off. */
  private void fence(String name, HostState from, String found) {
    Instant start = clock.instant();
    if (!fencer.canFence(name)) {
      fenceFailed(
          name, start, "no fence device is configured for host " + name + " (" + found + ")");
      return;
    }
    HostRecord underWay =
        inventory.updateFailure(
            name,
            record ->
                isIn(record, from)
                    ? record.withFailure(
                        record
                            .failure()
                            .then(HostState.FENCING, start, "powering off; " + found, null))
                    : record);
    if (underWay == null || !isIn(underWay, HostState.FENCING)) {
      return;
    }
    try {
      fencer.off(name);
    } catch (FenceException e) {
      fenceFailed(name, start, e.getMessage());
      return;
    } catch (RuntimeException e) {
      // Never left FENCING: nothing would move it on, and confirm-down refuses a host being fenced.
      fenceFailed(name, start, "the fence agent could not be run: " + e);
      return;
    }
    Instant end = clock.instant();
    String why =
        "fenced: powered off by its fence device in " + seconds(Duration.between(start, end));
    inventory.updateFailure(
        name,
        record ->
            isIn(record, HostState.FENCING)
                ? record.fenced(record.failure().then(HostState.FAILED, end, why, null))
                : record);
    journalFenced(inventory.snapshot().host(name));
    audit.record(Requester.HA, "fence " + name, "powered off; its domains restart elsewhere");
    // At once, on this host's task, rather than at the next round: seconds of downtime saved.
    restarts.restart(name);
  }

  private void fenceFailed(String name, Instant now, String why) {
    HostRecord after =
        inventory.updateFailure(
            name,
            record -> {
              HostFailure failure = record.failure();
              if (failure == null || failure.fenced()) {
                return record;
              }
              Duration wait = config.retryAfter(failure.attempts() + 1);
              return record.withFailure(
                  failure.then(
                      HostState.FENCE_FAILED,
                      now,
                      why
                          + "; nothing restarts until fencing succeeds or an operator runs"
                          + " ./xcm confirm-down "
                          + name
                          + "; next attempt in "
                          + seconds(wait),
                      now.plus(wait)));
            });
    if (after != null && isIn(after, HostState.FENCE_FAILED)) {
      log.error("host {} FENCE_FAILED: {}", LogText.escape(name), LogText.escape(why));
      audit.record(Requester.HA, "fence " + name, why);
    }
  }

  /**
   * A fenced host answers again: its stale copies go first, then it returns — in its return mode,
   * set before the failure is cleared so that it is never ACTIVE in between.
   */
  private void returnToService(String name) {
    if (!restarts.removeStaleCopies(name)) {
      return;
    }
    HostRecord host = inventory.snapshot().host(name);
    if (host == null || host.failure() == null || !host.failure().fenced()) {
      return;
    }
    if (config.returnMode() != host.mode()) {
      inventory.setMode(name, config.returnMode());
    }
    HostRecord back =
        inventory.updateFailure(
            name,
            record ->
                record.failure() != null && record.failure().fenced()
                    ? record.withFailure(null)
                    : record);
    if (back == null || back.failure() != null) {
      return;
    }
    try {
      journal.hostReturned(name);
    } catch (JournalException e) {
      log.error(
          "host {} returned, but the journal still holds it fenced: {}",
          LogText.escape(name),
          LogText.escape(e.getMessage()));
    }
    audit.record(
        Requester.HA, "return " + name, "stale copies removed; host is " + config.returnMode());
  }

  /**
   * Keeps a fenced host FAILED across coordinator restarts. The fence happened whatever the journal
   * says: a journal that cannot take it is logged, and the host is fenced in memory.
   */
  private void journalFenced(HostRecord host) {
    if (host == null || host.failure() == null || !host.failure().fenced()) {
      return;
    }
    try {
      journal.hostFenced(
          new FencedHost(host.name(), host.url(), host.failure().reason(), host.failure().since()));
    } catch (JournalException e) {
      log.error(
          "host {} is fenced, but the journal could not record it: {}",
          LogText.escape(host.name()),
          LogText.escape(e.getMessage()));
    }
  }

  private String power(String name) {
    if (!fencer.canFence(name)) {
      return "unknown (no fence device)";
    }
    try {
      PowerState state = fencer.status(name);
      return state.name();
    } catch (FenceException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Up to {@code peersAsked} other hosts that answer and are not failing themselves. */
  private List<HostRecord> askable(String suspect) {
    List<HostRecord> others = new ArrayList<>();
    for (HostRecord h : inventory.snapshot().hosts().values()) {
      if (others.size() < config.peersAsked() && !h.name().equals(suspect) && h.answering()) {
        others.add(h);
      }
    }
    return others;
  }

  private void submit(Executor pool, String host, Runnable task) {
    if (!working.add(host)) {
      return;
    }
    try {
      pool.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("handling the failure of host {} failed", LogText.escape(host), e);
            } finally {
              working.remove(host);
            }
          });
    } catch (RejectedExecutionException e) {
      working.remove(host);
    }
  }

  private static boolean isIn(HostRecord record, HostState phase) {
    return record.failure() != null && record.failure().phase() == phase;
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
