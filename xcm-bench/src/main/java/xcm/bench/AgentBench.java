package xcm.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench agent}: one agent on a test-driver host with many domains, measured from outside
 * the way Prometheus and the coordinator use it, beside prometheus-libvirt-exporter on the same
 * libvirt URI in the same run.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Scrape latency of /metrics and of a Jolokia bulk read of all domains, agent RSS and CPU"
            + " per sample, beside prometheus-libvirt-exporter on the same host.")
final class AgentBench implements Callable<Integer> {

  @ParentCommand BenchMain bench;

  @Option(
      names = "--domains",
      defaultValue = "200",
      description = "Domains on the host (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--requests",
      defaultValue = "300",
      description = "Measured requests per endpoint (${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--idle-seconds",
      defaultValue = "20",
      description = "Idle window for CPU per sample (${DEFAULT-VALUE})")
  int idleSeconds;

  @Option(
      names = "--exporter",
      defaultValue = "prometheus-libvirt-exporter",
      description = "Exporter binary to compare with")
  String exporter;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  public Integer call() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "agent")) {
      String uri = "test://" + TestNodes.write(processes.dir().resolve("bench.xml"), domains);
      Process agent =
          processes.script(
              "agent",
              Program.AGENT,
              processes.agentOptions(
                  0, "bench", null, "--libvirt-uri", uri, "--sample-interval", "1s"));
      String jolokia = processes.endpoint("agent", agent, "Jolokia");
      String metrics = processes.endpoint("agent", agent, "metrics");

      int exporterPort = freePort();
      processes.run(
          "exporter",
          List.of(
              exporter, "--libvirt.uri=" + uri, "--web.listen-address=127.0.0.1:" + exporterPort));
      String exporterMetrics = "http://127.0.0.1:" + exporterPort + "/metrics";
      waitUntilServing(exporterMetrics);

      // Through the one XCM client, as the coordinator reads agents: the answer parsed, a refusal
      // typed.
      Endpoint agentJolokia = BenchProcesses.jolokia().at(jolokia);
      Request bulkRead = Request.read(ObjectNames.allDomains());
      // Warm both sides up (JIT, caches) before anything is measured.
      measure(() -> get(metrics), requests / 2);
      measure(() -> agentJolokia.send(bulkRead), requests / 2);
      measure(() -> get(exporterMetrics), requests / 2);

      Percentiles ours = measure(() -> get(metrics), requests);
      Percentiles theirs = measure(() -> get(exporterMetrics), requests);
      Percentiles bulk = measure(() -> agentJolokia.send(bulkRead), requests);
      int ourBytes = get(metrics).length();
      int theirBytes = get(exporterMetrics).length();
      int ourSeries = series(get(metrics), "xcm_domain_");
      int theirSeries = series(get(exporterMetrics), "libvirt_domain");

      long rssKb = Procfs.kb(agent.pid(), "status", "VmRSS:");
      long peakKb = Procfs.kb(agent.pid(), "status", "VmHWM:");

      // CPU per sample: only the sampler runs while nobody scrapes.
      double samples0 = metricValue(get(metrics), "xcm_agent_samples_total");
      double cpu0 = Procfs.cpuSeconds(agent.pid());
      Thread.sleep(idleSeconds * 1000L);
      double cpu1 = Procfs.cpuSeconds(agent.pid());
      double samples1 = metricValue(get(metrics), "xcm_agent_samples_total");
      double sampleWall = metricValue(get(metrics), "xcm_agent_sample_duration_seconds");
      double cpuPerSampleMs = (cpu1 - cpu0) * 1000 / Math.max(1, samples1 - samples0);

      double ratio = ours.at(50) / theirs.at(50);
      System.out.printf(
          "XCM agent bench: %d domains on libvirt's test driver (%s)%n", domains, uri);
      System.out.printf("agent command: %s%n%n", Procfs.commandLine(agent.pid()));
      System.out.printf(
          "/metrics, xcm agent                     %s   %,d bytes, %,d xcm_domain_* series%n",
          ours, ourBytes, ourSeries);
      System.out.printf(
          "/metrics, prometheus-libvirt-exporter   %s   %,d bytes, %,d libvirt_domain* series%n",
          theirs, theirBytes, theirSeries);
      System.out.printf("Jolokia bulk read of all domains        %s%n", bulk);
      System.out.printf(
          "agent RSS                               %.1f MB (peak %.1f MB)%n",
          rssKb / 1024.0, peakKb / 1024.0);
      System.out.printf(
          "agent CPU per sample                    %.2f ms CPU, %.2f ms wall (%d samples in %d s idle)%n",
          cpuPerSampleMs, sampleWall * 1000, (long) (samples1 - samples0), idleSeconds);
      System.out.printf(
          "%nscrape p50 ratio xcm/exporter           %.3f   goal <= 0.5: %s%n",
          ratio, ratio <= 0.5 ? "met" : "MISSED");
      System.out.printf(
          "agent RSS                               %.1f MB  goal <= 64 MB: %s%n",
          rssKb / 1024.0, rssKb <= 64 * 1024 ? "met" : "MISSED");
      return 0;
    }
  }

  private interface Call {
    Object run() throws IOException, JolokiaException, InterruptedException;
  }

  private static Percentiles measure(Call call, int times)
      throws IOException, JolokiaException, InterruptedException {
    double[] millis = new double[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      call.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    return new Percentiles(millis);
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return response.body();
  }

  private void waitUntilServing(String url) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        get(url);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(url + " did not answer within 30 s: " + e.getMessage());
        }
        Thread.sleep(100);
      }
    }
  }

  private static int series(String exposition, String prefix) {
    return (int) exposition.lines().filter(l -> l.startsWith(prefix)).count();
  }

  private static double metricValue(String exposition, String name) {
    Matcher m =
        Pattern.compile("^" + name + "\\{[^}]*\\} (\\S+)$", Pattern.MULTILINE).matcher(exposition);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in the agent's /metrics");
    }
    return Double.parseDouble(m.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
