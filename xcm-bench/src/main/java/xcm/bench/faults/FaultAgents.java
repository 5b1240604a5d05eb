package xcm.bench.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationStatus;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * The agents of the fault trials' clusters: one per host of {@link #HOSTS}, each its own process on
 * a Jolokia port that stays the same across restarts, started with the test kit beside it as the
 * demo starts them (their test-driver hosts keep their domains across restarts), enrolled with a
 * coordinator; started, killed and read here through the benches' Jolokia views.
 *
 * <p>Not thread-safe: one trial loop drives it ({@link #views} hands out views for other threads).
 */
final class FaultAgents {
  static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  private static final Duration START = Duration.ofSeconds(120);
  private static final Pattern RUNSTATE =
      Pattern.compile("<([A-Za-z0-9_]+):runstate>\\s*\\d+\\s*</\\1:runstate>");
  private static final String STALE = "xcm_agent_stale_requests_total";

  /** A domain running on a host. */
  record Running(String name, String host) {}

  /** A migration a host's agent started, as the source. */
  record Migration(String host, MigrationStatus status) {}

  private final Path root;
  private final BenchProcesses processes;
  private final Path authority;
  private final FenceDevices fence;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new TreeMap<>();
  private final Map<String, AgentJolokia> views = new LinkedHashMap<>();
  private final Map<String, String> metricsUrls = new TreeMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * @param authority the certificate file of the cluster's authority, which issues the agents'
   *     certificates when they enrol (read once the first agent starts)
   * @param fence when not null, each agent writes its pid where its fence device reads it
   */
  FaultAgents(Path root, BenchProcesses processes, Path authority, FenceDevices fence)
      throws IOException {
    this.root = root;
    this.processes = processes;
    this.authority = authority;
    this.fence = fence;
    for (String host : HOSTS) {
      ports.put(host, freePort());
    }
  }

  /**
   * Starts the agent of {@code host}, enrolling with {@code joining} (a fresh token each start);
   * returns once it answers.
   */
  void start(String host, BenchProcesses.Joining joining) throws IOException, InterruptedException {
    if (views.isEmpty()) {
      // Enrolled agents speak TLS with certificates the coordinator's authority issues.
      JolokiaClient client = BenchProcesses.agentJolokia(authority);
      for (String h : HOSTS) {
        views.put(h, new AgentJolokia(client.at(url(h))));
      }
    }
    // The test kit beside it: its domains outlive it (--libvirt-state) and it hands them over.
    Process process =
        processes.xcm(
            host,
            Program.AGENT,
            processes.agentOptions(
                ports.get(host),
                host,
                joining,
                "--libvirt-uri",
                "test://" + root.resolve("nodes/" + host + ".xml"),
                "--libvirt-state",
                stateFile(host).toString(),
                "--sample-interval",
                "500ms"));
    boolean first = !running.containsKey(host);
    running.put(host, process);
    if (fence != null) {
      // Written before the agent answers: its device must be able to power it off at once.
      Files.writeString(fence.pidFile(host), process.pid() + "\n");
    }
    if (first) {
      // Its log is appended to at each start: the first start's line is the one read.
      metricsUrls.put(host, processes.endpoint(host, process, "metrics"));
    }
    AgentJolokia agent = views.get(host);
    Await.until(host + " answers", START, agent::answers);
  }

  /**
   * Starts the agent of a host that was powered off: the VMs of a host that lost power do not run
   * when it boots (none is set to autostart), so its test driver opens its state file with every
   * domain shut off.
   */
  void powerOn(String host, BenchProcesses.Joining joining)
      throws IOException, InterruptedException {
    Path state = stateFile(host);
    if (Files.exists(state)) {
      Files.writeString(state, shutOff(Files.readString(state)));
    }
    start(host, joining);
  }

  /** The test driver's state XML with every domain's run state SHUTOFF (libvirt's code 5). */
  static String shutOff(String stateXml) {
    return RUNSTATE.matcher(stateXml).replaceAll("<$1:runstate>5</$1:runstate>");
  }

  private Path stateFile(String host) {
    return processes.dir().resolve(host + ".state.xml");
  }

  /** The process of a host's agent, as last started. */
  Process process(String host) {
    return running.get(host);
  }

  /** SIGKILL, and waits until it is gone; not started again. */
  void kill(String host) throws InterruptedException {
    Process process = running.get(host);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** A client of the agents that gives up on a request after {@code timeout}. */
  Map<String, AgentJolokia> views(Duration timeout) throws IOException {
    JolokiaClient client = BenchProcesses.agentJolokia(authority, timeout);
    Map<String, AgentJolokia> view = new LinkedHashMap<>();
    for (String host : HOSTS) {
      view.put(host, new AgentJolokia(client.at(url(host))));
    }
    return view;
  }

  /** Domain UUID → every copy the agents define, each agent sampled first. */
  Map<String, List<Copy>> copies() throws JolokiaException, InterruptedException {
    Map<String, List<Copy>> copies = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : views.entrySet()) {
      agent.getValue().sampleNow();
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        copies
            .computeIfAbsent(d.uuid(), u -> new ArrayList<>())
            .add(new Copy(agent.getKey(), d.state()));
      }
    }
    return copies;
  }

  /** Domain UUID → where it runs, as the agents last sampled it. */
  Map<String, Running> running() throws JolokiaException, InterruptedException {
    Map<String, Running> where = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : views.entrySet()) {
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        if (d.state() == DomainState.RUNNING) {
          where.put(d.uuid(), new Running(d.name(), agent.getKey()));
        }
      }
    }
    return where;
  }

  /** Every migration the agents started (the last hour's, at most 100 each), oldest first. */
  List<Migration> migrations() throws JolokiaException, InterruptedException {
    List<Migration> all = new ArrayList<>();
    for (Map.Entry<String, AgentJolokia> agent : views.entrySet()) {
      for (MigrationStatus m : agent.getValue().migrations()) {
        all.add(new Migration(agent.getKey(), m));
      }
    }
    all.sort(
        (a, b) -> Long.compare(a.status().startedEpochMillis(), b.status().startedEpochMillis()));
    return all;
  }

  /**
   * Requests the agents refused for a superseded coordinator epoch, all agents together: the sum of
   * their {@code xcm_agent_stale_requests_total}, read from each agent's /metrics as first started.
   */
  long staleRefusals() throws IOException, InterruptedException {
    long sum = 0;
    for (Map.Entry<String, String> metrics : metricsUrls.entrySet()) {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(metrics.getValue()))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200) {
        throw new IOException(
            metrics.getKey() + "'s /metrics answered " + page.statusCode() + ": " + page.body());
      }
      sum += staleRefusals(page.body());
    }
    return sum;
  }

  /** The value of {@code xcm_agent_stale_requests_total} in one agent's /metrics page. */
  static long staleRefusals(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(STALE + " ") || line.startsWith(STALE + "{")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalArgumentException("no " + STALE + " in the agent's /metrics");
  }

  /** An enrolled agent's Jolokia (HTTPS). */
  private String url(String host) {
    return "https://127.0.0.1:" + ports.get(host) + "/jolokia/";
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
