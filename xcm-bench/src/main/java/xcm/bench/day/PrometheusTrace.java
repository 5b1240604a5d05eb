package xcm.bench.day;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A day trace from XCM's own metrics in a Prometheus server, through its HTTP API ({@code
 * /api/v1/query_range}, one-minute steps): hosts from {@code xcm_host_cpus} and {@code
 * xcm_host_memory_bytes}, VMs from {@code xcm_domain_vcpus}, each VM's CPU from the rate of {@code
 * xcm_domain_cpu_seconds_total} and its memory from {@code xcm_domain_memory_bytes}, and the host
 * each VM starts on from the {@code host} label of its first CPU sample. A minute with no sample
 * keeps the VM's last value, as the trace format says.
 */
final class PrometheusTrace {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1L << 20;

  private final URI prometheus;
  private final HttpClient http;

  PrometheusTrace(URI prometheus) {
    this.prometheus = prometheus;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The trace from {@code start} to {@code end}, minute by minute. */
  DayTrace export(Instant start, Instant end) throws IOException, InterruptedException {
    long minutes = Duration.between(start, end).toMinutes() + 1;
    if (minutes < 1 || minutes > 7 * 24 * 60) {
      throw new IllegalArgumentException(
          "the range must be 1 minute to 7 days, found " + start + " to " + end);
    }
    Map<String, Double> cpus = last(query("max by (host) (xcm_host_cpus)", start, end), "host");
    Map<String, Double> memory =
        last(query("max by (host) (xcm_host_memory_bytes)", start, end), "host");
    Map<String, Double> vcpus =
        last(query("max by (domain) (xcm_domain_vcpus)", start, end), "domain");
    JsonNode cpu =
        query("sum by (domain, host) (rate(xcm_domain_cpu_seconds_total[2m]))", start, end);
    JsonNode mem = query("max by (domain) (xcm_domain_memory_bytes)", start, end);
    if (cpus.isEmpty() || vcpus.isEmpty()) {
      throw new IllegalArgumentException(
          "Prometheus at "
              + prometheus
              + " has no xcm_host_cpus or xcm_domain_vcpus between "
              + start
              + " and "
              + end
              + ": does it scrape XCM's agents?");
    }
    List<DayTrace.Host> hosts = new ArrayList<>();
    cpus.forEach(
        (name, n) ->
            hosts.add(
                new DayTrace.Host(
                    name, (int) Math.round(n), (long) (memory.getOrDefault(name, 0.0) / MIB))));
    Map<String, Integer> index = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(vcpus.keySet());
    for (String name : names) {
      index.put(name, index.size());
    }
    float[][] busy = new float[(int) minutes][names.size()];
    float[][] held = new float[(int) minutes][names.size()];
    boolean[][] seen = new boolean[(int) minutes][names.size()];
    Map<String, String> firstHost = new LinkedHashMap<>();
    Map<String, Long> firstAt = new LinkedHashMap<>();
    for (JsonNode series : cpu) {
      String vm = series.path("metric").path("domain").asText();
      Integer v = index.get(vm);
      if (v == null) {
        continue;
      }
      String host = series.path("metric").path("host").asText();
      for (JsonNode point : series.path("values")) {
        int m = minute(point, start);
        if (m >= 0 && m < minutes) {
          double value = Math.min(vcpus.get(vm), Math.max(0, point.get(1).asDouble()));
          busy[m][v] += (float) value;
          seen[m][v] = true;
          if (!firstAt.containsKey(vm) || m < firstAt.get(vm)) {
            firstAt.put(vm, (long) m);
            firstHost.put(vm, host);
          }
        }
      }
    }
    for (JsonNode series : mem) {
      Integer v = index.get(series.path("metric").path("domain").asText());
      if (v != null) {
        for (JsonNode point : series.path("values")) {
          int m = minute(point, start);
          if (m >= 0 && m < minutes) {
            held[m][v] = (float) (point.get(1).asDouble() / MIB);
          }
        }
      }
    }
    List<DayTrace.Vm> vms = new ArrayList<>();
    for (String name : names) {
      int v = index.get(name);
      float lastCpu = 0;
      float lastMem = 0;
      for (int m = 0; m < minutes; m++) {
        lastMem = held[m][v] > 0 ? held[m][v] : lastMem;
        held[m][v] = lastMem;
        lastCpu = seen[m][v] ? busy[m][v] : lastCpu;
        busy[m][v] = lastCpu;
      }
      long memoryMib = (long) held[(int) minutes - 1][v];
      String host = firstHost.getOrDefault(name, hosts.get(0).name());
      vms.add(new DayTrace.Vm(name, (int) Math.round(vcpus.get(name)), memoryMib, host));
    }
    return new DayTrace(hosts, vms, busy, held);
  }

  private static int minute(JsonNode point, Instant start) {
    return (int) Math.round((point.get(0).asDouble() - start.getEpochSecond()) / 60.0);
  }

  /** Each series' last value, by the label. */
  private static Map<String, Double> last(JsonNode result, String label) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (JsonNode series : result) {
      JsonNode points = series.path("values");
      if (points.size() > 0) {
        values.put(
            series.path("metric").path(label).asText(),
            points.get(points.size() - 1).get(1).asDouble());
      }
    }
    return values;
  }

  private JsonNode query(String promql, Instant start, Instant end)
      throws IOException, InterruptedException {
    String url =
        prometheus.toString().replaceAll("/+$", "")
            + "/api/v1/query_range?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&start="
            + start.getEpochSecond()
            + "&end="
            + end.getEpochSecond()
            + "&step=60";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException(
          "Prometheus at " + prometheus + " answered " + response.statusCode() + " with no JSON");
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException(
          "Prometheus at "
              + prometheus
              + " refused \""
              + promql
              + "\": "
              + response.statusCode()
              + " "
              + body.path("error").asText());
    }
    return body.path("data").path("result");
  }
}
