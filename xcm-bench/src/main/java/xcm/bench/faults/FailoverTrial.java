package xcm.bench.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import xcm.bench.Await;
import xcm.bench.CoordinatorJolokia;
import xcm.bench.CoordinatorJolokia.OperationRow;
import xcm.client.JolokiaException;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.OperationState;

/**
 * One failover trial, from a cluster with one coordinator acting and the other standing by to the
 * same again: it asks for an operation, hits the active coordinator with a {@link FailoverFault} at
 * a random moment, times the standby's takeover by polling its {@code xcm:type=Leadership} every
 * {@value #POLL_MILLIS} ms, brings the former active back (resumed or let in, when it must find
 * itself deposed and exit 3; or started again after a kill), waits until the new active is quiet,
 * then checks:
 *
 * <ul>
 *   <li>every domain on exactly one host, now and in every sample taken during the trial;
 *   <li>the journal against the agents: no operation left running, every move in a final phase,
 *       each domain where its last move put it, the host modes as the active shows them;
 *   <li>every operation that was running ended, a drain cut off in MAINTENANCE through the drains
 *       the new active continued;
 *   <li>no domain moved twice in the trial's operation, the agents' migration histories against the
 *       journal's moves;
 *   <li>the former active acted on nothing once the standby took over: no journal row of an earlier
 *       epoch written since ({@link EpochAudit}), no agent migration begun since for a move of an
 *       earlier epoch; never seen acting after it came back, and exited 3.
 * </ul>
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class FailoverTrial {
  static final long POLL_MILLIS = 100;

  /**
   * The fault falls this long at most after the request: most moves on the test driver take a few
   * hundred milliseconds, so that a later fault would mostly find the operation ended.
   */
  private static final int FAULT_WITHIN_MILLIS = 600;

  private static final Duration QUIET = Duration.ofSeconds(180);
  private static final Duration START = Duration.ofSeconds(120);

  private final FailoverCluster cluster;
  private final RunSampler sampler;
  private final Requests requests;
  private final Set<String> domains;
  private final Random random;
  private final PrintStream out;
  private final long leaseMillis;
  private boolean whole = true;

  /** The takeover as seen: how long after the fault, and when (wall clock); -1 if never. */
  private record Takeover(long millis, long seenAtMillis, boolean bothActing) {}

  FailoverTrial(
      FailoverCluster cluster,
      RunSampler sampler,
      Requests requests,
      Set<String> domains,
      Random random,
      PrintStream out) {
    this.cluster = cluster;
    this.sampler = sampler;
    this.requests = requests;
    this.domains = domains;
    this.random = random;
    this.out = out;
    this.leaseMillis = cluster.lease().toMillis();
  }

  /** False once a trial left the cluster short of a coordinator acting and one standing by. */
  boolean whole() {
    return whole;
  }

  FailoverTally.Trial run(int number, FailoverFault kind)
      throws IOException, JolokiaException, InterruptedException {
    List<String> problems = new ArrayList<>();
    String victim = acting();
    String standby = FailoverCluster.other(victim);
    CoordinatorJolokia former = cluster.view(victim);
    CoordinatorJolokia next = cluster.view(standby);
    FaultAgents agents = cluster.agents();
    Journal journal = cluster.journal();
    long epoch = former.leadership().epoch();
    Set<String> before = operationsWithMoves(journal.allMoves());
    long startMillis = System.currentTimeMillis();
    long stale = agents.staleRefusals();
    sampler.take();

    Action action = requests.act();
    Thread.sleep(random.nextInt(FAULT_WITHIN_MILLIS));
    List<String> running = new ArrayList<>();
    for (OperationRow op : former.operationRows()) {
      if (op.state() == OperationState.RUNNING) {
        running.add(op.id());
      }
    }
    long faultNanos = System.nanoTime();
    long faultMillis = System.currentTimeMillis();
    switch (kind) {
      case KILL -> cluster.kill(victim);
      case PAUSE -> cluster.signal(victim, "STOP");
      case CUT_OFF -> cluster.cutOff(victim);
    }
    Takeover takeover =
        awaitTakeover(next, kind == FailoverFault.CUT_OFF ? former : null, faultNanos);
    long newEpoch = next.leadership().epoch();
    EpochAudit atTakeover = null;
    if (takeover.millis() < 0) {
      problems.add(
          standby
              + " did not act within "
              + takeoverWait() / 1000
              + " s of the fault (its threads: "
              + cluster.threadDump(standby).getFileName()
              + ")");
    } else {
      atTakeover = audit(newEpoch);
    }
    if (takeover.bothActing()) {
      problems.add(victim + " and " + standby + " both acting at once");
    }
    String back = bringBack(kind, victim, former, faultNanos, problems);

    try {
      Await.until(
          "the operations ended on " + standby,
          QUIET,
          () -> !next.recovering() && !next.operationRunning());
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
    }
    if (!cluster.process(victim).isAlive()) {
      cluster.startCoordinator(victim);
    }
    try {
      Await.until(
          victim + " stands by again",
          START,
          () -> former.leadership().role() == CoordinatorRole.STANDBY);
      Await.until("the cluster is quiet", QUIET, () -> FaultCluster.quiet(next));
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
      whole = false;
    }
    // Read once the cluster is quiet, not when no operation ran at last: the new active starts the
    // drains it continues just after it stops recovering, with none running for a moment.
    Map<String, List<OperationRow>> chains = FailoverChecks.chains(running, next.operationRows());
    long interruptedMillis = -1;
    for (List<OperationRow> chain : chains.values()) {
      for (OperationRow op : chain) {
        interruptedMillis = Math.max(interruptedMillis, op.finishedEpochMillis() - faultMillis);
      }
    }

    check(problems, journal, before, startMillis, chains, next, takeover, atTakeover, newEpoch);
    long refusals = agents.staleRefusals() - stale;
    out.printf(
        "trial %d: %s of %s during %s; %s; %s; %s -> %s%n",
        number,
        kind.label,
        victim,
        action,
        takeover.millis() < 0
            ? "no takeover"
            : String.format(
                "%s acting after %.1f s (epoch %d -> %d)",
                standby, takeover.millis() / 1e3, epoch, newEpoch),
        chains.isEmpty()
            ? "no operation left running"
            : String.format("%s ended after %.1f s", chains.keySet(), interruptedMillis / 1e3),
        back + (refusals > 0 ? ", " + refusals + " stale requests refused" : ""),
        problems.isEmpty() ? "ok" : "VIOLATION " + String.join("; ", problems));
    requests.keepHostsInService();
    return new FailoverTally.Trial(
        number,
        kind,
        victim,
        takeover.millis(),
        chains.isEmpty() ? -1 : interruptedMillis,
        refusals,
        problems);
  }

  /** The coordinator that acts, once exactly one does. */
  private String acting() throws InterruptedException {
    String[] acting = {null};
    Await.until(
        "exactly one coordinator acts",
        START,
        () -> {
          List<String> names = new ArrayList<>();
          for (String name : FailoverCluster.COORDINATORS) {
            if (cluster.process(name).isAlive() && cluster.view(name).leadership().acting()) {
              names.add(name);
            }
          }
          acting[0] = names.size() == 1 ? names.get(0) : null;
          return acting[0] != null;
        });
    return acting[0];
  }

  private long takeoverWait() {
    return 3 * leaseMillis + 30_000;
  }

  /**
   * Polls {@code next} until it acts; with {@code former} (still answering: cut off, not stopped),
   * polls it too, for both acting at once.
   */
  private Takeover awaitTakeover(
      CoordinatorJolokia next, CoordinatorJolokia former, long faultNanos)
      throws InterruptedException {
    boolean both = false;
    long deadline = faultNanos + TimeUnit.MILLISECONDS.toNanos(takeoverWait());
    while (System.nanoTime() < deadline) {
      long polled = System.nanoTime();
      try {
        if (next.leadership().acting()) {
          long seen = System.currentTimeMillis();
          if (former != null && former.leadership().acting()) {
            both = true;
          }
          return new Takeover((polled - faultNanos) / 1_000_000, seen, both);
        }
        if (former != null && former.leadership().acting() && next.leadership().acting()) {
          both = true;
        }
      } catch (JolokiaException e) {
        // Not answering for a moment: ask again.
      }
      long rest = POLL_MILLIS - (System.nanoTime() - polled) / 1_000_000;
      if (rest > 0) {
        Thread.sleep(rest);
      }
    }
    return new Takeover(-1, -1, both);
  }

  /**
   * Brings the former active back as the fault's kind says: resumed after it was stopped for longer
   * than the lease, or let in again some time after the takeover; then it must find itself deposed
   * and exit 3, acting on nothing meanwhile. A killed one stays dead until the trial restarts it.
   * Returns what became of it.
   */
  private String bringBack(
      FailoverFault kind,
      String victim,
      CoordinatorJolokia former,
      long faultNanos,
      List<String> problems)
      throws IOException, InterruptedException {
    switch (kind) {
      case KILL -> {
        return victim + " killed";
      }
      case PAUSE -> {
        long stopped = (System.nanoTime() - faultNanos) / 1_000_000;
        Thread.sleep(
            Math.max(0, leaseMillis + 1000 - stopped) + random.nextInt((int) leaseMillis / 2 + 1));
        cluster.signal(victim, "CONT");
      }
      case CUT_OFF -> {
        Thread.sleep(random.nextInt((int) leaseMillis / 2 + 1));
        cluster.letIn(victim);
      }
    }
    long away = (System.nanoTime() - faultNanos) / 1_000_000;
    Process process = cluster.process(victim);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * leaseMillis + 30_000);
    boolean actedAgain = false;
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        actedAgain |= former.leadership().acting();
      } catch (JolokiaException e) {
        // Exiting.
      }
      process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
    String what = (kind == FailoverFault.PAUSE ? "resumed" : "let in") + " after " + away + " ms";
    if (actedAgain) {
      problems.add(victim + " acted again once " + what);
    }
    if (process.isAlive()) {
      String role;
      try {
        role = former.leadership().toString();
      } catch (JolokiaException e) {
        role = "not answering";
      }
      problems.add(
          victim
              + " still runs "
              + (2 * leaseMillis + 30_000) / 1000
              + " s after it was "
              + what
              + " ("
              + role
              + ")");
      cluster.kill(victim);
      return victim + " " + what + ", killed";
    }
    if (process.exitValue() != 3) {
      problems.add(victim + " exited " + process.exitValue() + ", not 3 (deposed), once " + what);
    }
    return victim + " " + what + ", exited " + process.exitValue();
  }

  private void check(
      List<String> problems,
      Journal journal,
      Set<String> before,
      long startMillis,
      Map<String, List<OperationRow>> chains,
      CoordinatorJolokia active,
      Takeover takeover,
      EpochAudit atTakeover,
      long epoch)
      throws IOException, JolokiaException, InterruptedException {
    FaultAgents agents = cluster.agents();
    Map<String, List<Copy>> copies = agents.copies();
    String wrong = FaultHarness.violation(domains, copies);
    if (wrong != null) {
      problems.add(wrong);
    }
    sampler.take().violations().forEach(v -> problems.add("sampled: " + v));
    Map<String, String> where = new TreeMap<>();
    Map<String, Integer> runningOn = new TreeMap<>();
    agents
        .running()
        .forEach(
            (uuid, r) -> {
              where.put(uuid, r.host());
              runningOn.merge(r.host(), 1, Integer::sum);
            });
    List<JournaledMove> moves = journal.allMoves();
    wrong = FaultHarness.journalViolation(journal.unfinished(), moves, where);
    if (wrong != null) {
      problems.add(wrong);
    }
    List<JournaledMove> trialMoves = new ArrayList<>();
    for (JournaledMove move : moves) {
      if (!before.contains(move.request().operationId())) {
        trialMoves.add(move);
      }
    }
    problems.addAll(FailoverChecks.movesEnded(trialMoves));
    problems.addAll(FailoverChecks.hostModes(journal.hostModes(), active.hosts(), runningOn));
    problems.addAll(FailoverChecks.interruptedEnded(chains, journal.hostModes()));
    List<FaultAgents.Migration> since = new ArrayList<>();
    for (FaultAgents.Migration m : agents.migrations()) {
      if (m.status().startedEpochMillis() >= startMillis) {
        since.add(m);
      }
    }
    problems.addAll(FailoverChecks.movedOnce(since, trialMoves));
    if (atTakeover != null) {
      problems.addAll(
          FailoverChecks.actedAfterTakeover(since, trialMoves, takeover.seenAtMillis(), epoch));
      problems.addAll(EpochAudit.since(atTakeover, audit(epoch)));
    }
  }

  private EpochAudit audit(long epoch) throws IOException {
    try (Connection c = cluster.connect()) {
      return EpochAudit.read(c, epoch);
    } catch (SQLException e) {
      throw new IOException("cannot read the journal: " + e.getMessage(), e);
    }
  }

  private static Set<String> operationsWithMoves(List<JournaledMove> moves) {
    Set<String> ids = new TreeSet<>();
    moves.forEach(m -> ids.add(m.request().operationId()));
    return ids;
  }
}
