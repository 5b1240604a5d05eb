package xcm.bench.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.client.JolokiaException;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.DomainState;

/**
 * Fault injection on a real cluster: a coordinator and three agents, each its own process started
 * as the demo starts them (the coordinator by {@code ./xcm}, the agents with the test kit beside
 * them), the agents' test-driver hosts keeping their domains across restarts. Each trial asks for a
 * migration, a drain or a balance, then at a random moment kills (SIGKILL) an agent or the
 * coordinator, or cuts an agent off (SIGSTOP for a while), restarts what it killed, waits until the
 * cluster is quiet again, and checks the invariant on the agents themselves: every domain that
 * existed runs on exactly one host, none lost, none duplicated. Every tenth trial it also stops the
 * coordinator and reads its journal: no operation or move left as running, and each domain where
 * its last ended move put it.
 *
 * <pre>{@code
 * FaultHarness.Result result = new FaultHarness(root, 42, System.out).run(1000);
 * }</pre>
 *
 * <p>Not thread-safe: one {@link #run} at a time.
 */
public final class FaultHarness {
  private static final int JOURNAL_EVERY = 10;
  private static final Duration QUIET = Duration.ofSeconds(180);

  private final Path root;
  private final Random random;
  private final PrintStream out;

  /**
   * What the trials found.
   *
   * @param refused requests the coordinator refused (or that had nowhere to go)
   * @param faultKinds how many of each fault: "killed coordinator", "killed agent", "cut agent off"
   */
  public record Result(
      int trials,
      int faults,
      int duringOperations,
      int refused,
      Map<String, Integer> faultKinds,
      List<String> violations) {}

  public FaultHarness(Path root, long seed, PrintStream out) {
    this.root = root;
    this.random = new Random(seed);
    this.out = out;
  }

  /** Runs {@code trials} trials on one cluster; stops every process it started. */
  public Result run(int trials) throws IOException, JolokiaException, InterruptedException {
    int faults = 0;
    int duringOperations = 0;
    int refused = 0;
    List<String> violations = new ArrayList<>();
    try (BenchProcesses processes = new BenchProcesses(root, "faults")) {
      FaultCluster cluster = new FaultCluster(root, processes);
      cluster.start();
      Set<String> domains = new TreeSet<>(cluster.running().keySet());
      out.printf("cluster up: %d domains on %s%n", domains.size(), FaultAgents.HOSTS);
      Requests requests = new Requests(cluster.coordinator(), cluster.agents(), random);
      FaultInjector injector = new FaultInjector(cluster, random);
      for (int trial = 1; trial <= trials; trial++) {
        Action action = requests.act();
        if (action.refused()) {
          refused++;
        }
        Thread.sleep(random.nextInt(400));
        if (cluster.coordinator().operationRunning()) {
          duringOperations++;
        }
        String fault = injector.inject();
        faults++;
        String problem = awaitQuietAndCheck(cluster, domains);
        if (problem == null && (trial % JOURNAL_EVERY == 0 || trial == trials)) {
          problem = checkJournal(cluster);
        }
        if (problem != null) {
          violations.add("trial " + trial + " (" + action + "; " + fault + "): " + problem);
        }
        if (trial % 10 == 0 || problem != null) {
          out.printf(
              "trial %d: %s; %s -> %s%n", trial, action, fault, problem == null ? "ok" : problem);
        }
        requests.keepHostsInService();
      }
      if (!violations.isEmpty()) {
        Path logs = root.resolve(".xcm/bench-faults-logs");
        processes.keepLogs(logs);
        // And the journal, as the last coordinator left it: what the check read.
        Path journal = processes.dir().resolve("coordinator/journal.mv.db");
        if (Files.exists(journal)) {
          Files.copy(journal, logs.resolve("journal.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        }
        out.printf("logs of every process kept in %s%n", logs);
      }
      return new Result(trials, faults, duringOperations, refused, injector.kinds(), violations);
    }
  }

  /**
   * Waits until no operation runs and every agent answers, then checks the invariant on the agents.
   * Returns null when it holds, else what is wrong.
   */
  private static String awaitQuietAndCheck(FaultCluster cluster, Set<String> domains)
      throws InterruptedException {
    try {
      Await.until("the cluster is quiet", QUIET, cluster::quiet);
    } catch (IllegalStateException e) {
      return "never quiet: " + e.getMessage();
    }
    Map<String, List<Copy>> copies;
    try {
      copies = cluster.copies();
    } catch (JolokiaException e) {
      return "cannot read the agents: " + e.getMessage();
    }
    return violation(domains, copies);
  }

  /**
   * Stops the coordinator (as an operator would), compares its journal with where the agents run
   * each domain, and starts it again. Returns null when they agree, else what differs.
   */
  private static String checkJournal(FaultCluster cluster)
      throws IOException, JolokiaException, InterruptedException {
    Map<String, String> where = new TreeMap<>();
    cluster.running().forEach((uuid, running) -> where.put(uuid, running.host()));
    if (!cluster.stopCoordinator()) {
      return "the coordinator did not stop within 60 s of SIGTERM";
    }
    String problem;
    try (Journal journal = cluster.openJournal()) {
      problem = journalViolation(journal.unfinished(), journal.allMoves(), where);
    }
    cluster.startCoordinator();
    Await.until("the coordinator is quiet after a restart", QUIET, cluster::quiet);
    return problem;
  }

  /**
   * Null when each of {@code domains} is defined on exactly one host and runs there and no other
   * domain exists; else what is wrong. {@code copies} maps a UUID to the copies the agents define.
   */
  static String violation(Set<String> domains, Map<String, List<Copy>> copies) {
    List<String> wrong = new ArrayList<>();
    for (String uuid : domains) {
      List<Copy> hosts = copies.getOrDefault(uuid, List.of());
      long runningCopies = hosts.stream().filter(c -> c.state() == DomainState.RUNNING).count();
      if (hosts.size() != 1 || runningCopies != 1) {
        wrong.add(uuid + " " + (hosts.isEmpty() ? "lost" : hosts));
      }
    }
    Set<String> extra = new TreeSet<>(copies.keySet());
    extra.removeAll(domains);
    if (!extra.isEmpty()) {
      wrong.add("unknown domains " + extra);
    }
    return wrong.isEmpty() ? null : String.join("; ", wrong);
  }

  /**
   * Null when the journal agrees with {@code where} (UUID → host running it): no operation left
   * running, no move left dispatched, and each domain on the host its last ended move says; else
   * what differs. A move left UNSETTLED is a difference too: the check runs once the cluster is
   * quiet, and a quiet coordinator has settled every move whose agents answer.
   */
  static String journalViolation(
      List<JournaledOperation> unfinished, List<JournaledMove> moves, Map<String, String> where) {
    List<String> wrong = new ArrayList<>();
    for (JournaledOperation op : unfinished) {
      wrong.add("operation " + op.id() + " (" + op.summary() + ") still running in the journal");
    }
    Map<String, JournaledMove> last = new HashMap<>();
    for (JournaledMove move : moves) {
      if (move.ended()) {
        last.put(move.request().uuid(), move);
      } else if (move.phase() != MovePhase.PENDING) {
        wrong.add(describe(move) + " still " + move.phase() + " in the journal");
      }
    }
    for (JournaledMove move : last.values()) {
      MoveRequest m = move.request();
      if (move.unsettled()) {
        wrong.add(
            describe(move)
                + " still UNSETTLED in the journal ("
                + move.error()
                + "); the domain runs on "
                + where.get(m.uuid()));
        continue;
      }
      // A failed or cancelled move leaves the domain where it was.
      String expected = move.phase().outcome().placed() ? m.to() : m.from();
      String actual = where.get(m.uuid());
      if (!expected.equals(actual)) {
        wrong.add(
            describe(move)
                + " ended "
                + move.phase()
                + (move.error() == null || move.error().isEmpty() ? "" : " (" + move.error() + ")")
                + " but the domain runs on "
                + actual
                + ", not "
                + expected
                + " (its moves in the journal's order: "
                + movesOf(m, moves)
                + ")");
      }
    }
    return wrong.isEmpty() ? null : String.join("; ", wrong);
  }

  /**
   * Each journaled move of the domain of {@code move}, in the journal's order: what a disagreement
   * came from. A move of a domain of that name under another UUID is listed with it.
   */
  private static String movesOf(MoveRequest move, List<JournaledMove> moves) {
    List<String> of = new ArrayList<>();
    for (JournaledMove journaled : moves) {
      MoveRequest m = journaled.request();
      if (m.uuid().equals(move.uuid()) || m.domain().equals(move.domain())) {
        of.add(
            m.operationId()
                + " "
                + m.from()
                + " -> "
                + m.to()
                + " "
                + journaled.phase()
                + (m.uuid().equals(move.uuid()) ? "" : " (UUID " + m.uuid() + ")"));
      }
    }
    return String.join(", ", of);
  }

  private static String describe(JournaledMove move) {
    MoveRequest m = move.request();
    return "move of "
        + m.domain()
        + " from "
        + m.from()
        + " to "
        + m.to()
        + " ("
        + m.operationId()
        + ")";
  }
}
