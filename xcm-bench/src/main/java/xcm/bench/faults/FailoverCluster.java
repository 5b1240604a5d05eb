package xcm.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.LocalPostgres;
import xcm.mbeans.CoordinatorRole;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * The cluster of the failover trials: two coordinators, {@code c1} and {@code c2}, on one
 * PostgreSQL journal ({@link LocalPostgres}, on loopback), each reaching it as a database role of
 * its own so that a trial can cut one off as a partition would; and three agents ({@link
 * FaultAgents}) enrolled with {@code c1}, whose state directory {@code c2} shares as a copy, as
 * {@code docs/high-availability.md} says. Each coordinator is its own process, started as users
 * start it ({@code ./xcm coordinator}) on a Jolokia port that stays the same across its restarts.
 *
 * <pre>{@code
 * try (BenchProcesses processes = new BenchProcesses(root, "failover");
 *     FailoverCluster cluster = FailoverCluster.start(root, processes, Duration.ofSeconds(8))) {
 *   cluster.either().drain("dmz01", false); // to whichever acts
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class FailoverCluster implements AutoCloseable {
  static final List<String> COORDINATORS = List.of("c1", "c2");
  private static final Duration START = Duration.ofSeconds(120);

  private final BenchProcesses processes;
  private final Duration lease;
  private final LocalPostgres postgres;
  private final String journalUrl;
  private final FaultAgents agents;
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, Process> running = new TreeMap<>();
  private final Map<String, Integer> starts = new TreeMap<>();
  private final Map<String, CoordinatorJolokia> views = new TreeMap<>();
  private final CoordinatorJolokia either;
  private final Journal journal;
  private final Thread stopOnExit;
  private String enrolUrl;

  private FailoverCluster(
      Path root, BenchProcesses processes, Duration lease, LocalPostgres postgres, String url)
      throws IOException {
    this.processes = processes;
    this.lease = lease;
    this.postgres = postgres;
    this.journalUrl = url;
    this.agents = new FaultAgents(root, processes, stateDir("c1").resolve("ca/ca.crt"), null);
    List<String> urls = new ArrayList<>();
    for (String name : COORDINATORS) {
      int port = FaultAgents.freePort();
      ports.put(name, port);
      String jolokia = "http://127.0.0.1:" + port + "/jolokia/";
      urls.add(jolokia);
      views.put(name, new CoordinatorJolokia(BenchProcesses.jolokia().at(jolokia)));
    }
    // As the CLI sees the coordinators: a request that acts goes to the active one.
    this.either = new CoordinatorJolokia(BenchProcesses.jolokia().at(urls));
    this.journal = Journal.open(url, "xcm", "", Clock.systemUTC());
    // Ctrl-C: the processes stop by BenchProcesses' hook, the database by this one.
    this.stopOnExit = new Thread(this::stopDatabase, "xcm-bench-stop-postgres");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts PostgreSQL with a database role per coordinator, {@code c1}, the agents (enrolled with
   * it), and {@code c2} with a copy of {@code c1}'s authority; returns once {@code c1} acts, {@code
   * c2} stands by and both hear every agent. Each coordinator's lease is {@code lease}.
   */
  static FailoverCluster start(Path root, BenchProcesses processes, Duration lease)
      throws IOException, InterruptedException {
    LocalPostgres postgres = LocalPostgres.start();
    FailoverCluster cluster;
    try {
      String url = postgres.createDatabase("xcm");
      for (String name : COORDINATORS) {
        // A superuser: the journal's tables are whoever's made them first.
        postgres.execute(url, "CREATE ROLE " + name + " LOGIN SUPERUSER");
      }
      cluster = new FailoverCluster(root, processes, lease, postgres, url);
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("cannot prepare the journal's database: " + e.getMessage(), e);
    } catch (IOException | InterruptedException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    try {
      cluster.startAll();
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startAll() throws IOException, InterruptedException {
    startCoordinator("c1");
    Await.until("c1 acts", START, () -> view("c1").leadership().acting());
    BenchProcesses.Joining joining =
        new BenchProcesses.Joining(enrolUrl, stateDir("c1").resolve("ca/ca.crt"), view("c1"));
    for (String host : FaultAgents.HOSTS) {
      agents.start(host, joining);
    }
    Await.until(
        "all agents joined c1",
        START,
        () -> view("c1").activeHostCount() == FaultAgents.HOSTS.size());
    // The standby shares the cluster's authority; the journal tells it who the hosts are.
    Files.createDirectories(
        stateDir("c2"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    copy(stateDir("c1").resolve("ca"), stateDir("c2").resolve("ca"));
    startCoordinator("c2");
    Await.until(
        "c2 stands by and hears every agent",
        START,
        () ->
            view("c2").leadership().role() == CoordinatorRole.STANDBY
                && view("c2").activeHostCount() == FaultAgents.HOSTS.size());
  }

  /** The lease every coordinator holds the journal's leadership with. */
  Duration lease() {
    return lease;
  }

  FaultAgents agents() {
    return agents;
  }

  /** The coordinator {@code name}'s own Jolokia. */
  CoordinatorJolokia view(String name) {
    return views.get(name);
  }

  /** Both coordinators as the CLI sees them: a request that acts goes to the active one. */
  CoordinatorJolokia either() {
    return either;
  }

  /** The other coordinator. */
  static String other(String name) {
    return name.equals("c1") ? "c2" : "c1";
  }

  /** The coordinator's process, as last started. */
  Process process(String name) {
    return running.get(name);
  }

  /** The output of the coordinator {@code name} as last started. */
  Path log(String name) {
    return processes.dir().resolve(name + "-" + starts.get(name) + ".log");
  }

  /** SIGKILL, and waits until it is gone; not started again. */
  void kill(String name) throws InterruptedException {
    Process process = running.get(name);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Writes the threads of the coordinator {@code name} (jcmd Thread.print) beside its log, as
   * {@code <name>-threads-<n>.txt}: what a standby that does not take over is doing.
   */
  Path threadDump(String name) throws IOException, InterruptedException {
    Path dump = processes.dir().resolve(name + "-threads-" + starts.get(name) + ".txt");
    new ProcessBuilder("jcmd", Long.toString(running.get(name).pid()), "Thread.print")
        .redirectErrorStream(true)
        .redirectOutput(dump.toFile())
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    return dump;
  }

  /** Sends {@code signal} (STOP, CONT) to the coordinator's process. */
  void signal(String name, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(running.get(name).pid()))
        .start()
        .waitFor();
  }

  /**
   * Cuts the coordinator off from the database, as a partition would: its role may no longer log
   * in, and its sessions are ended.
   */
  void cutOff(String name) throws IOException {
    sql(
        "ALTER ROLE " + name + " NOLOGIN",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name + "'");
  }

  /** Lets a coordinator cut off reach the database again. */
  void letIn(String name) throws IOException {
    sql("ALTER ROLE " + name + " LOGIN");
  }

  private void sql(String... statements) throws IOException {
    try {
      postgres.execute(journalUrl, statements);
    } catch (SQLException e) {
      throw new IOException(String.join("; ", statements) + " failed: " + e.getMessage(), e);
    }
  }

  /** The journal both coordinators share, read as the database's owner. */
  Journal journal() {
    return journal;
  }

  /** A new connection to the journal's database as its owner; the caller closes it. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(journalUrl, "xcm", "");
  }

  /**
   * Starts the coordinator {@code name} on its own state directory, database role and Jolokia port;
   * returns once it printed its Jolokia URL (it has then tried for the lease once).
   */
  void startCoordinator(String name) throws IOException, InterruptedException {
    // A log per start: the line the wait reads must be this start's.
    String log = name + "-" + starts.merge(name, 1, Integer::sum);
    Process process =
        processes.script(
            log,
            Program.COORDINATOR,
            processes.coordinatorOptions(
                ports.get(name),
                "500ms",
                stateDir(name),
                Stream.concat(
                        FaultCluster.trialSettings().stream(),
                        Stream.of(
                            "-D",
                            "xcm.coordinator.name=" + name,
                            "-D",
                            "xcm.coordinator.journal.url=" + journalUrl,
                            "-D",
                            "xcm.coordinator.journal.user=" + name,
                            "-D",
                            "xcm.coordinator.leader.lease=" + lease.toMillis() + "ms"))
                    .toArray(String[]::new)));
    running.put(name, process);
    processes.endpoint(log, process, "Jolokia");
    String enrol = processes.endpoint(log, process, "enrol");
    if (name.equals("c1")) {
      enrolUrl = enrol;
    }
  }

  private Path stateDir(String name) {
    return processes.dir().resolve(name);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(
            f,
            to.resolve(from.relativize(f).toString()),
            StandardCopyOption.COPY_ATTRIBUTES,
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Stops both coordinators (resumed first, if stopped) and the database. */
  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook stops the database.
    }
    try {
      for (String name : running.keySet()) {
        Process process = running.get(name);
        if (process.isAlive()) {
          signal(name, "CONT");
          process.destroy();
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      journal.close();
      postgres.close();
    }
  }

  private void stopDatabase() {
    try {
      postgres.close();
    } catch (IOException e) {
      System.err.println("xcm bench: " + e.getMessage());
    }
  }
}
