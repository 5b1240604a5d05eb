package xcm.bench.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import xcm.bench.CoordinatorJolokia.Host;
import xcm.bench.CoordinatorJolokia.OperationRow;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.HostState;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.OperationState;
import xcm.mbeans.OperationType;

/**
 * The checks of a failover trial that the fault trials do not make already ({@link
 * FaultHarness#violation}, {@link FaultHarness#journalViolation}): each returns what is wrong, one
 * line each, none when all is well. A trial asks for one operation; with the drains the new active
 * continues for it, that is one logical operation, in which no domain moves twice.
 *
 * <p>Thread-safe: stateless.
 */
final class FailoverChecks {
  /** What a drain cut off is continued as: {@code recovery:continuing <id>}. */
  static final String CONTINUING = "recovery:continuing ";

  private FailoverChecks() {}

  /**
   * The operations {@code interrupted} (running on the former active when it was hit) as the new
   * active shows them, each followed by the drains it continued for it (and for those); none of an
   * id the new active does not show (it had ended before the fault, and nothing was left to do).
   */
  static Map<String, List<OperationRow>> chains(
      Collection<String> interrupted, List<OperationRow> onNewActive) {
    Map<String, OperationRow> byId = new TreeMap<>();
    onNewActive.forEach(op -> byId.put(op.id(), op));
    Map<String, List<OperationRow>> chains = new TreeMap<>();
    for (String id : interrupted) {
      OperationRow op = byId.get(id);
      if (op == null) {
        continue;
      }
      List<OperationRow> chain = new ArrayList<>(List.of(op));
      for (int i = 0; i < chain.size(); i++) {
        String parent = chain.get(i).id();
        for (OperationRow next : onNewActive) {
          if (next.requestedBy().equals(CONTINUING + parent)) {
            chain.add(next);
          }
        }
      }
      chains.put(id, chain);
    }
    return chains;
  }

  /**
   * Every operation of the chains ended; each interrupted drain ended SUCCEEDED (through its
   * continuations) with its host in MAINTENANCE in the journal, as it would have without the fault.
   */
  static List<String> interruptedEnded(
      Map<String, List<OperationRow>> chains, Map<String, HostState> journalModes) {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, List<OperationRow>> chain : chains.entrySet()) {
      for (OperationRow op : chain.getValue()) {
        if (op.state() == OperationState.RUNNING) {
          wrong.add("operation " + op.id() + " (" + op.summary() + ") still RUNNING");
        }
      }
      OperationRow first = chain.getValue().get(0);
      OperationRow last = chain.getValue().get(chain.getValue().size() - 1);
      if (first.kind() == OperationType.DRAIN) {
        String host = first.summary().replaceFirst("^drain ", "");
        HostState mode = journalModes.getOrDefault(host, HostState.ACTIVE);
        if (last.state() != OperationState.SUCCEEDED || mode != HostState.MAINTENANCE) {
          wrong.add(
              "the drain of "
                  + host
                  + " cut off as "
                  + first.id()
                  + " ended "
                  + last.state()
                  + (last == first ? "" : " as " + last.id())
                  + ", "
                  + host
                  + " "
                  + mode
                  + " in the journal");
        }
      }
    }
    return wrong;
  }

  /**
   * The journal's host modes against the active coordinator's view and the agents: each host's mode
   * the same in both, none left DRAINING once no operation runs, none in MAINTENANCE running a
   * domain. {@code runningOn} maps a host to the domains its agent runs.
   */
  static List<String> hostModes(
      Map<String, HostState> journalModes, List<Host> view, Map<String, Integer> runningOn) {
    List<String> wrong = new ArrayList<>();
    for (Host host : view) {
      HostState journaled = journalModes.getOrDefault(host.name(), HostState.ACTIVE);
      boolean operatorMode =
          host.state() == HostState.ACTIVE
              || host.state() == HostState.DRAINING
              || host.state() == HostState.MAINTENANCE;
      if (operatorMode && host.state() != journaled) {
        wrong.add(
            host.name()
                + " is "
                + host.state()
                + " on the active, "
                + journaled
                + " in the journal");
      }
      if (journaled == HostState.DRAINING) {
        wrong.add(host.name() + " left DRAINING in the journal with no drain running");
      }
      int domains = runningOn.getOrDefault(host.name(), 0);
      if (journaled == HostState.MAINTENANCE && domains > 0) {
        wrong.add(host.name() + " in MAINTENANCE in the journal runs " + domains + " domains");
      }
    }
    return wrong;
  }

  /** Every move of the trial's operations in a final phase. */
  static List<String> movesEnded(List<JournaledMove> trialMoves) {
    List<String> wrong = new ArrayList<>();
    for (JournaledMove move : trialMoves) {
      if (!move.ended()) {
        wrong.add(describe(move.request()) + " left " + move.phase() + " in the journal");
      }
    }
    return wrong;
  }

  /**
   * No domain moved twice in the trial's logical operation, and the agents moved each domain as
   * often as the journal says: the agents' migrations that put a domain on its destination
   * (SUCCEEDED, INCOMPLETE) since the trial began against the journal's moves of the trial's
   * operations that ended so.
   */
  static List<String> movedOnce(
      List<FaultAgents.Migration> sinceTrial, List<JournaledMove> trialMoves) {
    Map<String, List<String>> byAgents = new TreeMap<>();
    for (FaultAgents.Migration m : sinceTrial) {
      if (placed(m.status())) {
        byAgents
            .computeIfAbsent(m.status().domain(), d -> new ArrayList<>())
            .add(m.host() + "->" + m.status().destinationHost() + " (" + m.status().id() + ")");
      }
    }
    Map<String, Integer> byJournal = new TreeMap<>();
    for (JournaledMove move : trialMoves) {
      if (move.ended() && move.phase().outcome().placed()) {
        byJournal.merge(move.request().domain(), 1, Integer::sum);
      }
    }
    List<String> wrong = new ArrayList<>();
    Set<String> domains = new java.util.TreeSet<>(byAgents.keySet());
    domains.addAll(byJournal.keySet());
    for (String domain : domains) {
      List<String> moved = byAgents.getOrDefault(domain, List.of());
      int journaled = byJournal.getOrDefault(domain, 0);
      if (moved.size() > 1) {
        wrong.add(domain + " moved " + moved.size() + " times in one operation: " + moved);
      } else if (moved.size() != journaled) {
        wrong.add(
            domain
                + " moved "
                + moved.size()
                + " times by the agents "
                + moved
                + ", "
                + journaled
                + " in the journal");
      }
    }
    return wrong;
  }

  /**
   * No agent migration that began after the takeover was seen ({@code takeoverMillis}, wall clock)
   * belongs to a move of an earlier epoch than {@code epoch}: the move it was handed as (by id), or
   * else a move of the same domain between the same hosts, of the trial's operations.
   */
  static List<String> actedAfterTakeover(
      List<FaultAgents.Migration> sinceTrial,
      List<JournaledMove> trialMoves,
      long takeoverMillis,
      long epoch) {
    List<String> wrong = new ArrayList<>();
    for (FaultAgents.Migration m : sinceTrial) {
      MigrationStatus s = m.status();
      if (s.startedEpochMillis() <= takeoverMillis) {
        continue;
      }
      MoveRequest handed = null;
      boolean ours = false;
      for (JournaledMove move : trialMoves) {
        MoveRequest r = move.request();
        if (s.id().equals(move.agentMigration()) && r.from().equals(m.host())) {
          handed = r;
        }
        if (r.domain().equals(s.domain())
            && r.from().equals(m.host())
            && r.to().equals(s.destinationHost())
            && EpochAudit.epochOf(r.operationId()) >= epoch) {
          ours = true;
        }
      }
      String what =
          "agent migration "
              + s.id()
              + " of "
              + s.domain()
              + " from "
              + m.host()
              + " to "
              + s.destinationHost()
              + ", begun "
              + (s.startedEpochMillis() - takeoverMillis)
              + " ms after epoch "
              + epoch
              + " was seen acting,";
      if (handed != null && EpochAudit.epochOf(handed.operationId()) < epoch) {
        wrong.add(what + " is " + describe(handed) + " of an earlier epoch");
      } else if (handed == null && !ours) {
        wrong.add(what + " is no move of epoch " + epoch + " or later in the journal");
      }
    }
    return wrong;
  }

  private static boolean placed(MigrationStatus m) {
    return m.state() == MigrationStatus.State.SUCCEEDED
        || m.state() == MigrationStatus.State.INCOMPLETE;
  }

  private static String describe(MoveRequest m) {
    return "the move of "
        + m.domain()
        + " from "
        + m.from()
        + " to "
        + m.to()
        + " ("
        + m.operationId()
        + " #"
        + m.index()
        + ")";
  }
}
