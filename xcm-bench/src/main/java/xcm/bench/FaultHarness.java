package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.JournaledOperation;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.MoveRequest;
import xcm.testkit.launch.XcmCommands.Program;

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
 */
public final class FaultHarness {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  private static final int JOURNAL_EVERY = 10;

  private final Path root;
  private final Random random;
  private final PrintStream out;
  private final JolokiaClient jolokia = new JolokiaClient();

  /**
   * What the trials found.
   *
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

  private BenchProcesses processes;
  private final Map<String, Integer> jolokiaPorts = new LinkedHashMap<>();
  private final Map<String, Process> running = new HashMap<>();
  // Each round of faults hits every process once, in random order: every kind of fault is tried
  // however few the trials.
  private final Deque<String> victims = new ArrayDeque<>();
  private final Map<String, Integer> faultKinds = new TreeMap<>();
  private Set<String> domains;

  private String url(String name) {
    return "http://127.0.0.1:" + jolokiaPorts.get(name) + "/jolokia/";
  }

  /** Runs {@code trials} trials on one cluster; stops every process it started. */
  public Result run(int trials) throws IOException, InterruptedException {
    int faults = 0;
    int duringOperations = 0;
    int refused = 0;
    List<String> violations = new ArrayList<>();
    try (BenchProcesses p = new BenchProcesses(root, "faults")) {
      processes = p;
      start();
      domains = placement().keySet();
      out.printf("cluster up: %d domains on %s%n", domains.size(), HOSTS);
      for (int trial = 1; trial <= trials; trial++) {
        String action = act();
        if (action.startsWith("refused")) {
          refused++;
        }
        Thread.sleep(random.nextInt(400));
        if (operationRunning()) {
          duringOperations++;
        }
        String fault = inject();
        faults++;
        String problem = awaitQuietAndCheck();
        if (problem == null && (trial % JOURNAL_EVERY == 0 || trial == trials)) {
          problem = checkJournal();
        }
        if (problem != null) {
          violations.add("trial " + trial + " (" + action + "; " + fault + "): " + problem);
        }
        if (trial % 10 == 0 || problem != null) {
          out.printf(
              "trial %d: %s; %s -> %s%n", trial, action, fault, problem == null ? "ok" : problem);
        }
        keepHostsInService();
      }
      if (!violations.isEmpty()) {
        Path logs = root.resolve(".xcm/bench-faults-logs");
        p.keepLogs(logs);
        out.printf("logs of every process kept in %s%n", logs);
      }
    } finally {
      processes = null;
    }
    return new Result(
        trials, faults, duringOperations, refused, Map.copyOf(faultKinds), violations);
  }

  private void start() throws IOException, InterruptedException {
    for (String name : List.of("coordinator", "dmz01", "dmz02", "dmz03")) {
      jolokiaPorts.put(name, freePort());
    }
    startCoordinator();
    for (String host : HOSTS) {
      startAgent(host);
    }
    await(
        "all agents joined", 120, () -> cluster().path("ActiveHostCount").asInt() == HOSTS.size());
  }

  private void startCoordinator() throws IOException, InterruptedException {
    String password = processes.passwordFile().toString();
    running.put(
        "coordinator",
        processes.start(
            "coordinator",
            List.of(
                "coordinator",
                "--jolokia-port",
                jolokiaPorts.get("coordinator").toString(),
                "--metrics-port",
                "0",
                "--collect-interval",
                "500ms",
                "--state-dir",
                processes.dir().resolve("coordinator").toString(),
                "--agent-password-file",
                password,
                "--jolokia-registration-password-file",
                password,
                "--jolokia-password-file",
                password,
                "-D",
                "xcm.coordinator.unreachable-after-rounds=2",
                "-D",
                "xcm.coordinator.migration.timeout=30s",
                "-D",
                "xcm.coordinator.cooldown=0s",
                // The housekeeping job settles UNSETTLED moves: every second, not every 30.
                "-D",
                "xcm.coordinator.dead-host-check-interval=1s",
                "-D",
                "xcm.coordinator.nightly-balance.cron=")));
    await("the coordinator answers", 120, () -> ready("coordinator", "xcm:type=Cluster"));
  }

  private void startAgent(String host) throws IOException, InterruptedException {
    String password = processes.passwordFile().toString();
    // The test kit beside it: its domains outlive it (--libvirt-state) and it hands them over.
    running.put(
        host,
        processes.xcm(
            host,
            Program.AGENT,
            List.of(
                "--libvirt-uri",
                "test://" + root.resolve("nodes/" + host + ".xml"),
                "--libvirt-state",
                processes.dir().resolve(host + ".state.xml").toString(),
                "--sample-interval",
                "500ms",
                "--jolokia-port",
                jolokiaPorts.get(host).toString(),
                "--metrics-port",
                "0",
                "--jolokia-password-file",
                password,
                "--jolokia-peer-password-file",
                processes.peerPasswordFile().toString(),
                "--coordinator",
                url("coordinator"),
                "--coordinator-password-file",
                password)));
    await(host + " answers", 120, () -> ready(host, "xcm:type=Host"));
  }

  /** Asks the coordinator for a random action; returns what was asked and its answer. */
  private String act() throws IOException, InterruptedException {
    Map<String, String> where = placement();
    List<String> active = activeHosts();
    JsonNode reply;
    String what;
    int kind = random.nextInt(3);
    if (kind == 0 || active.size() < 2) {
      List<String> names = new ArrayList<>(where.keySet());
      String uuid = names.get(random.nextInt(names.size()));
      String domain = domainName(uuid);
      List<String> others = new ArrayList<>(active);
      others.remove(where.get(uuid));
      if (others.isEmpty()) {
        return "refused: nowhere to migrate";
      }
      String to = others.get(random.nextInt(others.size()));
      what = "migrate " + domain + " to " + to;
      reply = call(() -> jolokia.tryExec(url("coordinator"), OPERATIONS, "migrate", domain, to));
    } else if (kind == 1) {
      String host = active.get(random.nextInt(active.size()));
      what = "drain " + host;
      reply = call(() -> jolokia.tryExec(url("coordinator"), OPERATIONS, "drain", host, false));
    } else {
      String policy = random.nextBoolean() ? "weighted" : "domain-count,target=strict";
      what = "balance " + policy;
      reply = call(() -> jolokia.tryExec(url("coordinator"), OPERATIONS, "balance", policy, false));
    }
    return reply == null || reply.path("status").asInt() != 200
        ? "refused " + what
        : what + " (" + reply.path("value").asText() + ")";
  }

  /** Kills or stops a random process; restarts or resumes it. Returns what it did. */
  private String inject() throws IOException, InterruptedException {
    if (victims.isEmpty()) {
      List<String> names = new ArrayList<>(running.keySet());
      names.sort(null);
      Collections.shuffle(names, random);
      victims.addAll(names);
    }
    String victim = victims.remove();
    Process process = running.get(victim);
    boolean coordinator = victim.equals("coordinator");
    if (!coordinator && random.nextInt(4) == 0) {
      int millis = 500 + random.nextInt(2500);
      signal(process.pid(), "STOP");
      Thread.sleep(millis);
      signal(process.pid(), "CONT");
      faultKinds.merge("cut agent off", 1, Integer::sum);
      return "cut " + victim + " off for " + millis + " ms";
    }
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    if (coordinator) {
      startCoordinator();
    } else {
      startAgent(victim);
    }
    faultKinds.merge(coordinator ? "killed coordinator" : "killed agent", 1, Integer::sum);
    return "killed and restarted " + victim;
  }

  /**
   * Waits until no operation runs and every agent answers, then checks the invariant on the agents.
   * Returns null when it holds, else what is wrong.
   */
  private String awaitQuietAndCheck() throws InterruptedException {
    try {
      await("the cluster is quiet", 180, this::quiet);
    } catch (IllegalStateException e) {
      return "never quiet: " + e.getMessage();
    }
    Map<String, List<String>> copies;
    try {
      copies = copies();
    } catch (IOException e) {
      return "cannot read the agents: " + e.getMessage();
    }
    return violation(domains, copies);
  }

  /**
   * Null when each of {@code domains} is defined on exactly one host and runs there and no other
   * domain exists; else what is wrong. {@code copies} maps a UUID to its hosts as host=STATE.
   */
  static String violation(Set<String> domains, Map<String, List<String>> copies) {
    List<String> wrong = new ArrayList<>();
    for (String uuid : domains) {
      List<String> hosts = copies.getOrDefault(uuid, List.of());
      long runningCopies = hosts.stream().filter(h -> h.endsWith("=RUNNING")).count();
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
   * No operation runs (the journal holds none as running), every agent is ACTIVE-reachable, and no
   * move is UNSETTLED (the coordinator settles those once their agents answer).
   */
  private boolean quiet() throws IOException, InterruptedException {
    JsonNode cluster = cluster();
    for (JsonNode host : cluster.path("Hosts")) {
      if (host.path("state").asText().equals("UNREACHABLE")) {
        return false;
      }
    }
    if (cluster.path("HostCount").asInt() != HOSTS.size()) {
      return false;
    }
    if (operationRunning()) {
      return false;
    }
    JsonNode unsettled =
        jolokia.read(url("coordinator"), OPERATIONS, "UnsettledMoves").path("UnsettledMoves");
    if (unsettled.isArray() && !unsettled.isEmpty()) {
      return false;
    }
    // Requests are refused while recovery runs.
    return !jolokia
        .read(url("coordinator"), OPERATIONS, "Recovering")
        .path("Recovering")
        .asBoolean();
  }

  /**
   * Stops the coordinator (as an operator would), compares its journal with where the agents run
   * each domain, and starts it again. Returns null when they agree, else what differs.
   */
  private String checkJournal() throws IOException, InterruptedException {
    Map<String, String> where = placement();
    Process coordinator = running.get("coordinator");
    coordinator.destroy();
    if (!coordinator.waitFor(60, TimeUnit.SECONDS)) {
      return "the coordinator did not stop within 60 s of SIGTERM";
    }
    String problem;
    try (Journal journal =
        Journal.open(
            "jdbc:h2:file:" + processes.dir().resolve("coordinator/journal"),
            "",
            "",
            Clock.systemUTC())) {
      problem = journalViolation(journal.unfinished(), journal.allMoves(), where);
    }
    startCoordinator();
    await("the coordinator is quiet after a restart", 180, this::quiet);
    return problem;
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
                + expected);
      }
    }
    return wrong.isEmpty() ? null : String.join("; ", wrong);
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

  private boolean operationRunning() throws IOException, InterruptedException {
    JsonNode ops =
        jolokia.reply(
            url("coordinator"),
            "{\"type\":\"read\",\"mbean\":\"xcm:type=Operation,*\",\"attribute\":\"State\"}");
    for (JsonNode op : ops.path("value")) {
      if (op.path("State").asText().equals("RUNNING")) {
        return true;
      }
    }
    return false;
  }

  /** Domain UUID → the hosts that define it, each as host=STATE, read from the agents. */
  private Map<String, List<String>> copies() throws IOException, InterruptedException {
    Map<String, List<String>> copies = new TreeMap<>();
    for (String host : HOSTS) {
      jolokia.exec(url(host), "xcm:type=HostOperations", "sampleNow");
      JsonNode reply =
          jolokia.reply(url(host), "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\"}");
      for (JsonNode d : reply.path("value")) {
        copies
            .computeIfAbsent(d.path("Uuid").asText(), u -> new ArrayList<>())
            .add(host + "=" + d.path("State").asText());
      }
    }
    return copies;
  }

  /** UUID → host of every running domain. */
  private Map<String, String> placement() throws IOException, InterruptedException {
    Map<String, String> where = new TreeMap<>();
    names.clear();
    for (String host : HOSTS) {
      JsonNode reply =
          jolokia.reply(url(host), "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\"}");
      for (JsonNode d : reply.path("value")) {
        if (d.path("State").asText().equals("RUNNING")) {
          where.put(d.path("Uuid").asText(), host);
          names.put(d.path("Uuid").asText(), d.path("Name").asText());
        }
      }
    }
    return where;
  }

  private final Map<String, String> names = new HashMap<>();

  private String domainName(String uuid) {
    return names.get(uuid);
  }

  private List<String> activeHosts() throws IOException, InterruptedException {
    List<String> active = new ArrayList<>();
    for (JsonNode host : cluster().path("Hosts")) {
      if (host.path("state").asText().equals("ACTIVE")) {
        active.add(host.path("name").asText());
      }
    }
    return active;
  }

  /** Drains leave hosts in maintenance; put them back so that the next trials have room. */
  private void keepHostsInService() throws IOException, InterruptedException {
    if (activeHosts().size() < 2 || random.nextInt(3) == 0) {
      for (JsonNode host : cluster().path("Hosts")) {
        String state = host.path("state").asText();
        if (state.equals("MAINTENANCE") || state.equals("DRAINING")) {
          jolokia.tryExec(url("coordinator"), OPERATIONS, "activate", host.path("name").asText());
        }
      }
    }
  }

  private JsonNode cluster() throws IOException, InterruptedException {
    return jolokia.read(url("coordinator"), "xcm:type=Cluster");
  }

  private boolean ready(String name, String mbean) {
    try {
      jolokia.read(url(name), mbean);
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private interface Call {
    JsonNode run() throws IOException, InterruptedException;
  }

  /** A request the coordinator may not answer (it may be the one just killed). */
  private static JsonNode call(Call call) throws InterruptedException {
    try {
      return call.run();
    } catch (IOException e) {
      return null;
    }
  }

  private interface Condition {
    boolean holds() throws IOException, InterruptedException;
  }

  private static void await(String what, int seconds, Condition condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (IOException e) {
        // Not answering yet: keep waiting.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }

  private static void signal(long pid, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
