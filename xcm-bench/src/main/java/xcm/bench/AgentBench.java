package xcm.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
    try (BenchProcesses processes = new BenchProcesses(bench.root, "agent")) {
      String uri = "test://" + writeNode(processes.dir.resolve("bench.xml"), domains);
      Process agent =
          processes.start(
              "agent",
              List.of(
                  "agent",
                  "--libvirt-uri",
                  uri,
                  "--sample-interval",
                  "1s",
                  "--jolokia-port",
                  "0",
                  "--metrics-port",
                  "0",
                  "--jolokia-password-file",
                  processes.password.toString(),
                  "--jolokia-peer-password-file",
                  processes.peerPassword.toString()));
      String jolokia = processes.endpoint("agent", agent, "Jolokia");
      String metrics = processes.endpoint("agent", agent, "metrics");

      int exporterPort = freePort();
      processes.run(
          "exporter",
          List.of(
              exporter, "--libvirt.uri=" + uri, "--web.listen-address=127.0.0.1:" + exporterPort));
      String exporterMetrics = "http://127.0.0.1:" + exporterPort + "/metrics";
      waitUntilServing(exporterMetrics);

      String bulkRead = "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\"}";
      // Warm both sides up (JIT, caches) before anything is measured.
      measure(() -> get(metrics), requests / 2);
      measure(() -> post(jolokia, bulkRead), requests / 2);
      measure(() -> get(exporterMetrics), requests / 2);

      Percentiles ours = measure(() -> get(metrics), requests);
      Percentiles theirs = measure(() -> get(exporterMetrics), requests);
      Percentiles bulk = measure(() -> post(jolokia, bulkRead), requests);
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
          "agent RSS                               %.1f MB  goal <= 100 MB: %s%n",
          rssKb / 1024.0, rssKb <= 100 * 1024 ? "met" : "MISSED");
      return 0;
    }
  }

  /** A host with {@code count} running domains of 1 GiB, 2 vCPUs, one disk and one NIC each. */
  static Path writeNode(Path file, int count) throws IOException {
    return writeNode(file, count, "vm", 0, count + 16);
  }

  /**
   * A host with {@code count} running domains named {@code <prefix>0001...}, 1 GiB and 2 vCPUs
   * each, one disk and one NIC; {@code host} keeps UUIDs and MACs apart between hosts.
   */
  static Path writeNode(Path file, int count, String prefix, int host, long memoryGiB)
      throws IOException {
    StringBuilder xml = new StringBuilder();
    int cpus = 128;
    xml.append("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>")
        .append(cpus)
        .append("</active><total>")
        .append(cpus)
        .append("</total><nodes>1</nodes><sockets>2</sockets><cores>32</cores>")
        .append("<threads>2</threads></cpu><memory>")
        .append(memoryGiB * 1024 * 1024)
        .append("</memory>\n");
    for (int i = 1; i <= count; i++) {
      xml.append(
          String.format(
              "<domain type='test'><name>%s%04d</name><uuid>be7c%04x-0000-4000-8000-%012d</uuid>"
                  + "<memory unit='MiB'>1024</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os>"
                  + "<devices><disk type='file' device='disk'><source file='/images/%s%04d.qcow2'/>"
                  + "<target dev='vda' bus='virtio'/></disk><interface type='network'>"
                  + "<source network='default'/><mac address='52:54:%02x:be:%02x:%02x'/></interface>"
                  + "</devices></domain>%n",
              prefix, i, host, i, prefix, i, host, i / 256, i % 256));
    }
    xml.append("</node>\n");
    return Files.writeString(file, xml.toString());
  }

  private interface Call {
    String run() throws IOException, InterruptedException;
  }

  private static Percentiles measure(Call call, int times)
      throws IOException, InterruptedException {
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

  private String post(String url, String json) throws IOException, InterruptedException {
    String auth =
        Base64.getEncoder()
            .encodeToString(("xcm:" + BenchProcesses.PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().contains("\"status\":200")) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
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
