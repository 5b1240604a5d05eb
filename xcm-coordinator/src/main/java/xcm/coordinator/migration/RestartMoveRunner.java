package xcm.coordinator.migration;

import java.util.Optional;
import java.util.function.Function;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.leader.Mandate;
import xcm.mbeans.DomainState;

/**
 * Runs a {@link MoveRequest.Method#RESTART} move: the domain's kept definition is defined on the
 * destination (unless a copy is defined there already, from a restart cut short) and started, and
 * the move succeeds once the destination reports it running. The source was fenced and is never
 * asked anything. A restart that fails leaves at most a shut-off copy on the destination, which the
 * next attempt starts rather than defines again.
 *
 * <p>Thread-safe.
 */
public final class RestartMoveRunner implements MoveRunner {
  private final AgentCalls agents;
  private final Mandate mandate;
  private final Function<String, Optional<String>> definitions;
  private final MoveJournal journal;
  private final Function<MoveRequest, Optional<String>> refusal;

  /**
   * @param mandate the epoch the define and the start carry, which the destination agent checks
   * @param definitions a domain's kept libvirt XML, by UUID; it may throw {@link JournalException}
   * @param refusal the last look before the domain starts (it runs somewhere now, its host came
   *     back): why it must not, or empty
   */
  public RestartMoveRunner(
      JolokiaClient agents,
      Mandate mandate,
      Function<String, Optional<String>> definitions,
      MoveJournal journal,
      Function<MoveRequest, Optional<String>> refusal) {
    this.agents = new AgentCalls(agents);
    this.mandate = mandate;
    this.definitions = definitions;
    this.journal = journal;
    this.refusal = refusal;
  }

  @Override
  public MoveResult run(MoveRequest move) {
    long started = System.nanoTime();
    Optional<String> xml;
    try {
      xml = definitions.apply(move.uuid());
    } catch (JournalException e) {
      return failed(move, e.getMessage(), started);
    }
    if (xml.isEmpty()) {
      return failed(move, "the coordinator keeps no definition of it", started);
    }
    journal.dispatching(move);
    try {
      Optional<DomainData> there = on(move);
      if (there.isPresent() && there.get().state() == DomainState.RUNNING) {
        return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", millisSince(started), -1);
      }
      Optional<String> refused = refusal.apply(move);
      if (refused.isPresent()) {
        return failed(move, refused.get(), started);
      }
      if (there.isEmpty()) {
        agents.exec(move.toUrl(), "defineDomain", xml.get(), mandate.epoch());
      }
      agents.exec(move.toUrl(), "startDomain", move.domain(), mandate.epoch());
      agents.exec(move.toUrl(), "sampleNow");
      Optional<DomainData> after = on(move);
      if (after.isPresent() && after.get().active()) {
        return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", millisSince(started), -1);
      }
      return failed(
          move,
          "host "
              + move.to()
              + " reports it "
              + after.map(d -> d.state().name()).orElse("not defined")
              + " after it was started",
          started);
    } catch (JolokiaException e) {
      return failed(move, e.getMessage(), started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(move, "interrupted", started);
    }
  }

  /** The domain on the destination, by UUID, as its agent reports it now. */
  private Optional<DomainData> on(MoveRequest move) throws JolokiaException, InterruptedException {
    HostData host = agents.host(move.toUrl());
    return host.domains().stream().filter(d -> d.uuid().equals(move.uuid())).findFirst();
  }

  private static MoveResult failed(MoveRequest move, String why, long started) {
    return new MoveResult(
        MoveResult.Outcome.FAILED,
        1,
        "cannot restart " + move.domain() + " on " + move.to() + ": " + why,
        millisSince(started),
        -1);
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
