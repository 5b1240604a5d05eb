package xcm.bench.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import xcm.bench.BenchMain;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.testkit.launch.Secrets;

/**
 * {@code xcm bench console --hosts N}: the web console's summary view in a real browser on a
 * cluster of {@code N} hosts. The state is seeded with the hosts ({@link FleetSeed}), the simulated
 * fleet serves them ({@link FleetLaunch}), one coordinator collects them as users start it, with a
 * read-only monitor user; once every host is ACTIVE, {@code node e2e/console-fleet.mjs} in {@code
 * xcm-console} signs in as the monitor in Debian's Chromium and measures the first view, sorting,
 * scrolling and poll updates. Its lines are printed as they come; it fails (and so does the bench)
 * when the view is not responsive.
 *
 * <pre>{@code
 * try (BenchProcesses processes = new BenchProcesses(root, "console")) {
 *   ConsoleBench.Result result = ConsoleBench.run(processes, ConsoleBench.Settings.of(1000), out);
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #run} keeps no state.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description =
        "The web console's summary view in Chromium on a simulated cluster of --hosts N: first"
            + " view, sorting, scrolling and poll updates, timed in the browser.")
public final class ConsoleBench implements Callable<Integer> {
  /** The read-only user the browser signs in as: all the summary view needs. */
  static final String MONITOR = "watcher";

  /** The prefix of the script's one line of figures (JSON). */
  public static final String FIGURES = "console-fleet: ";

  @ParentCommand BenchMain bench;

  @Spec CommandSpec spec;

  @Option(
      names = "--hosts",
      defaultValue = "1000",
      description = "Hosts in the cluster (${DEFAULT-VALUE})")
  int hosts;

  @Option(
      names = "--domains",
      defaultValue = "20",
      description = "Domains per host (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--fleet-port",
      defaultValue = "0",
      description =
          "Port every simulated host listens on, each on its own 127.x.y.z address; 0: a free"
              + " one (${DEFAULT-VALUE})")
  int fleetPort;

  @Option(
      names = "--chromium",
      defaultValue = "/usr/bin/chromium",
      description = "The browser (${DEFAULT-VALUE})")
  Path chromium;

  /**
   * What to run: {@code hosts} hosts of {@code domains} domains each, served on {@code fleetPort}
   * (0: a free port) by a fleet process with {@code -Xmx fleetHeap}, measured in {@code chromium}.
   */
  public record Settings(int hosts, int domains, int fleetPort, String fleetHeap, Path chromium) {
    /** {@code hosts} hosts of 20 domains, on a free port, in Debian's Chromium. */
    public static Settings of(int hosts) {
      return new Settings(hosts, 20, 0, heapFor(hosts), Path.of("/usr/bin/chromium"));
    }

    /** These settings with {@code domains} domains per host. */
    public Settings withDomains(int domains) {
      return new Settings(hosts, domains, fleetPort, fleetHeap, chromium);
    }
  }

  /**
   * How the browser script ended: its exit code (0: responsive), its line of figures (JSON, null
   * when it printed none), and how long the cluster took to settle and the browser to measure.
   */
  public record Result(int exitCode, String figures, Duration settled, Duration measured) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (hosts < 1 || domains < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--hosts must be 1 or more and --domains 0 or more, found: " + hosts + ", " + domains);
    }
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "console")) {
      Result result;
      try {
        result =
            run(
                processes,
                new Settings(hosts, domains, fleetPort, heapFor(hosts), chromium),
                System.out);
      } catch (IllegalStateException e) {
        Path logs = bench.root().resolve("xcm-bench/target/console-bench-logs");
        processes.keepLogs(logs);
        System.out.printf("%s%nthe processes' logs: %s%n", e.getMessage(), logs);
        return 1;
      }
      System.out.printf(
          "%nXCM console bench: %,d hosts x %d domains; cluster settled in %d s, the browser"
              + " measured for %d s; %s%n",
          hosts,
          domains,
          result.settled().toSeconds(),
          result.measured().toSeconds(),
          result.exitCode() == 0
              ? "responsive"
              : "NOT responsive (exit " + result.exitCode() + ")");
      return result.exitCode() == 0 ? 0 : 1;
    }
  }

  /**
   * Starts the cluster in {@code processes}' directory (which stops it), waits until it has
   * settled, then runs the browser script, printing its lines to {@code out}.
   *
   * @throws IllegalStateException when the console's packages are not installed, the browser is
   *     missing, or the hosts do not all become ACTIVE in time
   */
  public static Result run(BenchProcesses processes, Settings s, PrintStream out)
      throws IOException, InterruptedException {
    Path console = processes.root().resolve("xcm-console");
    if (!Files.isDirectory(console.resolve("node_modules/playwright-core"))) {
      throw new IllegalStateException(
          console.resolve("node_modules") + " has no playwright-core: build first (./xcm build)");
    }
    if (!Files.isExecutable(s.chromium())) {
      throw new IllegalStateException(s.chromium() + " is missing: apt-get install chromium");
    }
    long t0 = System.nanoTime();
    int port = s.fleetPort() == 0 ? freePort() : s.fleetPort();
    FleetLaunch launch = new FleetLaunch(processes, s.hosts(), 1);
    Path state = processes.dir().resolve("state");
    Path key = processes.dir().resolve("fleet.key");
    FleetSeed.seed(state, key, s.hosts(), port);
    launch.fleet(state, key, fleet(s, port));
    out.printf("  %,d hosts seeded and served (%.0f s)%n", s.hosts(), since(t0));

    String password = "look-only";
    Path passwordFile = Secrets.write(processes.dir().resolve("monitor-password"), password);
    Process coordinator =
        launch.coordinator(
            "coordinator",
            processes.coordinatorOptions(
                0,
                "5s",
                state,
                "-D",
                "xcm.coordinator.jolokia.monitor.user=" + MONITOR,
                "-D",
                "xcm.coordinator.jolokia.monitor.password-file=" + passwordFile,
                // No balancing at 2 a.m. in the middle of a measurement.
                "-D",
                "xcm.coordinator.nightly-balance.cron=",
                // A round's first TLS handshakes with 250 newcomers may take more than the default
                // 2 s on a loaded machine: the hosts that time out wait for a later round.
                "-D",
                "xcm.coordinator.agent-timeout=5s"),
            null);
    String url = processes.endpoint("coordinator", coordinator, "Jolokia");
    CoordinatorJolokia jolokia = new CoordinatorJolokia(BenchProcesses.jolokia().at(url));
    // As FleetBench waits: a coordinator admits 250 newcomers a round, slower on a loaded machine.
    Duration patience = Duration.ofSeconds(300 + s.hosts() / 10);
    awaitCount("hosts ACTIVE", s.hosts(), patience, out, () -> jolokia.collection().activeHosts());
    out.printf("  %,d hosts ACTIVE (%.0f s)%n", s.hosts(), since(t0));
    Duration settled = Duration.ofNanos(System.nanoTime() - t0);

    long t1 = System.nanoTime();
    Browser browser =
        browse(console, url.replace("/jolokia/", "/ui/"), password, s, out, Duration.ofMinutes(5));
    return new Result(
        browser.exitCode, browser.figures, settled, Duration.ofNanos(System.nanoTime() - t1));
  }

  /**
   * Polls {@code count} every second until it reaches {@code target}, printing where it stands
   * every 30 s.
   *
   * @throws IllegalStateException when {@code patience} passes first: the most it reached
   */
  private static void awaitCount(
      String what, int target, Duration patience, PrintStream out, Count count)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + patience.toNanos();
    long report = started + TimeUnit.SECONDS.toNanos(30);
    int most = 0;
    while (true) {
      try {
        int now = count.now();
        most = Math.max(most, now);
        if (now >= target) {
          return;
        }
        if (System.nanoTime() > report) {
          out.printf("  %.0f s: %,d of %,d %s%n", since(started), now, target, what);
          report += TimeUnit.SECONDS.toNanos(30);
        }
      } catch (JolokiaException e) {
        // Starting, or too busy to answer within the client's timeout: asked again.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "%s: at most %,d of %,d within %d s", what, most, target, patience.toSeconds()));
      }
      Thread.sleep(1000);
    }
  }

  private interface Count {
    int now() throws JolokiaException, InterruptedException;
  }

  private record Browser(int exitCode, String figures) {}

  /**
   * Runs the script, its output printed line by line as it comes; it and its browser are killed by
   * PID if it has not ended after {@code timeout} (exit code -1 then).
   */
  private static Browser browse(
      Path console, String url, String password, Settings s, PrintStream out, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("node", "e2e/console-fleet.mjs")
            .directory(console.toFile())
            .redirectErrorStream(true);
    builder.environment().put("XCM_CONSOLE_URL", url);
    builder.environment().put("XCM_MONITOR", MONITOR + ":" + password);
    builder.environment().put("XCM_HOSTS", Integer.toString(s.hosts()));
    builder.environment().put("CHROMIUM", s.chromium().toString());
    Process node = builder.start();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                  out.printf("  the browser script did not end within %s: killed%n", timeout);
                  stop(node);
                }
              } catch (InterruptedException e) {
                stop(node);
              }
            },
            "xcm-bench-console-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    String figures = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.println("  " + line);
        if (line.startsWith(FIGURES + "{")) {
          figures = line.substring(FIGURES.length());
        }
      }
      boolean ended = node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Browser(ended ? node.exitValue() : -1, figures);
    } finally {
      // Normally gone already; an interrupted bench must not leave a Chromium behind.
      stop(node);
      watchdog.interrupt();
    }
  }

  /** Kills the script's browser processes, then the script, each by its PID. */
  private static void stop(Process node) {
    List<ProcessHandle> children = node.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    node.destroyForcibly();
  }

  /** The fleet: hosts that sample every 5 s, so that every poll of the view changes every row. */
  private static FleetBench.Settings fleet(Settings s, int port) {
    return new FleetBench.Settings(
        s.hosts(),
        s.domains(),
        0,
        0,
        Duration.ofSeconds(5),
        port,
        2,
        Duration.ofSeconds(5),
        0,
        s.fleetHeap(),
        null,
        List.of(),
        false);
  }

  /** The fleet's -Xmx: about what {@code collect --hosts} gives it, in proportion. */
  private static String heapFor(int hosts) {
    return Math.max(1, (hosts + 2499) / 2500) + "g";
  }

  /** A port free on loopback now: the fleet's hosts listen on it, each on its own address. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
