package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code xcm bench collect}: a coordinator and as many real agent processes as the machine holds
 * (each its own JVM, as {@code ./xcm agent} runs it, on one test-driver host XML), every agent
 * registered with the coordinator; then the wall time of collection rounds and the coordinator's
 * CPU per round and host.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description =
        "Collection round wall time (p50, p99) and coordinator CPU per round and host, with"
            + " hundreds of real agent processes.")
final class CollectBench implements Callable<Integer> {
  private static final String PASSWORD = "bench";

  @ParentCommand BenchMain bench;

  @Option(
      names = "--agents",
      defaultValue = "200",
      description = "Agent processes (${DEFAULT-VALUE})")
  int agents;

  @Option(
      names = "--domains",
      defaultValue = "50",
      description = "Domains per agent (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--rounds",
      defaultValue = "30",
      description = "Measured rounds (${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--settle-rounds",
      defaultValue = "30",
      description = "Rounds before measuring (${DEFAULT-VALUE})")
  int settleRounds;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      description = "Collection interval (${DEFAULT-VALUE})")
  String interval;

  @Option(
      names = "--sample-interval",
      defaultValue = "5s",
      description = "Agents' libvirt sample interval (${DEFAULT-VALUE})")
  String sampleInterval;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("xcm-bench-collect");
    List<Process> processes = new ArrayList<>();
    try {
      Path node = AgentBench.writeNode(dir.resolve("host.xml"), domains);
      Path password = Files.writeString(dir.resolve("password"), PASSWORD);
      Process coordinator =
          start(
              dir,
              "coordinator",
              List.of(
                  "coordinator",
                  "--jolokia-port",
                  "0",
                  "--metrics-port",
                  "0",
                  "--collect-interval",
                  interval,
                  "--agent-password-file",
                  password.toString(),
                  "--jolokia-password-file",
                  password.toString()));
      processes.add(coordinator);
      String coordinatorUrl = endpoint(dir.resolve("coordinator.log"), "Jolokia", coordinator);

      long started = System.nanoTime();
      long rssKb = 0;
      int running = 0;
      for (int i = 1; i <= agents; i++) {
        String name = String.format("h%04d", i);
        Process agent =
            start(
                dir,
                name,
                List.of(
                    "agent",
                    "--name",
                    name,
                    "--libvirt-uri",
                    "test://" + node,
                    "--sample-interval",
                    sampleInterval,
                    "--jolokia-port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--jolokia-password-file",
                    password.toString(),
                    "--coordinator",
                    coordinatorUrl,
                    "--coordinator-password-file",
                    password.toString()));
        processes.add(agent);
        endpoint(dir.resolve(name + ".log"), "Jolokia", agent);
        running++;
        rssKb += memory(agent.pid(), "status", "VmRSS:");
        if (i % 25 == 0) {
          System.out.printf(
              "  %d agents running (%.0f s, %.1f GB RSS, %.1f GB available)%n",
              i, (System.nanoTime() - started) / 1e9, rssKb / 1048576.0, availableKb() / 1048576.0);
        }
        if (availableKb() < 1_500_000) {
          System.out.printf("  stopping at %d agents: less than 1.5 GB of memory left%n", i);
          break;
        }
      }
      System.out.printf(
          "  %d agents started in %.0f s%n", running, (System.nanoTime() - started) / 1e9);
      // RSS counts the pages the JVMs share (libjvm, the class archive) once per process; PSS
      // splits them, so its sum is what the agents take from the machine.
      long pssKb = 0;
      for (Process p : processes.subList(1, processes.size())) {
        pssKb += memory(p.pid(), "smaps_rollup", "Pss:");
      }

      JsonNode cluster = awaitMembers(coordinatorUrl, running);
      // Settle: every agent answered, connections open, the hot code compiled (C2 keeps
      // compiling for about a minute; its CPU is a start-up cost, not a per-round one).
      awaitRound(coordinatorUrl, cluster.path("CollectRounds").asLong() + settleRounds);

      // CPU: nobody but the collection touches the coordinator in this window.
      long roundsBefore = read(coordinatorUrl).path("CollectRounds").asLong();
      double cpu0 = cpuSeconds(coordinator.pid());
      Thread.sleep(Duration.parse("PT" + interval.toUpperCase()).toMillis() * rounds);
      double cpu1 = cpuSeconds(coordinator.pid());
      long measuredRounds = read(coordinatorUrl).path("CollectRounds").asLong() - roundsBefore;
      double cpuPerRoundMs = (cpu1 - cpu0) * 1000 / measuredRounds;
      double cpuPerHostUs = cpuPerRoundMs * 1000 / running;

      // Wall time of each round, read right after it ends.
      double[] wall = new double[rounds];
      long last = read(coordinatorUrl).path("CollectRounds").asLong();
      int answered = 0;
      for (int i = 0; i < rounds; i++) {
        JsonNode after = awaitRound(coordinatorUrl, last + 1);
        last = after.path("CollectRounds").asLong();
        wall[i] = after.path("LastCollectDurationSeconds").asDouble() * 1000;
        answered = after.path("ActiveHostCount").asInt();
      }
      Percentiles rounds = new Percentiles(wall);
      double coresFor10k = cpuPerHostUs / 1e6 * 10_000 / 5.0;

      System.out.printf(
          "%nXCM collect bench: %d agent processes x %d domains (libvirt test driver),"
              + " one coordinator, interval %s%n",
          running, domains, interval);
      System.out.printf(
          "agent memory                            RSS %.0f MB each; PSS %.1f GB in all (%.0f MB"
              + " each)%n",
          rssKb / 1024.0 / running, pssKb / 1048576.0, pssKb / 1024.0 / running);
      System.out.printf("hosts ACTIVE in the last round          %d of %d%n", answered, running);
      System.out.printf("collection round wall time              %s%n", rounds);
      System.out.printf("coordinator CPU per round               %.1f ms%n", cpuPerRoundMs);
      System.out.printf("coordinator CPU per host per round      %.0f us%n", cpuPerHostUs);
      System.out.printf(
          "%nround p50 at %d agents                 %.0f ms   goal <= 1000 ms: %s%n",
          running, rounds.at(50), rounds.at(50) <= 1000 && running >= 200 ? "met" : "MISSED");
      System.out.printf(
          "10,000 hosts at a 5 s interval need     %.2f cores of coordinator CPU"
              + "   goal < 1: %s%n",
          coresFor10k, coresFor10k < 1 ? "met" : "MISSED");
      return 0;
    } finally {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Starts {@code ./xcm <args>} with its output in {@code <dir>/<name>.log}. */
  private Process start(Path dir, String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(bench.root.resolve("xcm").toString());
    command.addAll(args);
    return new ProcessBuilder(command)
        .directory(bench.root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  /** The URL a process prints after {@code label} once it is ready. */
  private static String endpoint(Path log, String label, Process process)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          String[] words = line.trim().split("\\s+");
          if (words.length >= 2 && words[0].equals(label)) {
            return words[1];
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited at start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(log + ": not ready within 120 s");
  }

  private JsonNode awaitMembers(String url, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    JsonNode cluster = read(url);
    while (cluster.path("ActiveHostCount").asInt() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + cluster.path("ActiveHostCount").asInt() + " of " + count + " agents joined");
      }
      Thread.sleep(200);
      cluster = read(url);
    }
    return cluster;
  }

  private JsonNode awaitRound(String url, long round) throws Exception {
    JsonNode cluster = read(url);
    while (cluster.path("CollectRounds").asLong() < round) {
      Thread.sleep(100);
      cluster = read(url);
    }
    return cluster;
  }

  /** The summary counters, without the per-host rows (cheap to poll). */
  private JsonNode read(String url) throws Exception {
    String body =
        "{\"type\":\"read\",\"mbean\":\"xcm:type=Cluster\",\"attribute\":[\"CollectRounds\","
            + "\"LastCollectDurationSeconds\",\"ActiveHostCount\"]}";
    String auth =
        Base64.getEncoder().encodeToString(("xcm:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + auth)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(response.body()).path("value");
  }

  /** A size in kB from a /proc/PID file: {@code status} VmRSS or {@code smaps_rollup} Pss. */
  private static long memory(long pid, String file, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static long availableKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return Long.MAX_VALUE;
  }

  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }
}
