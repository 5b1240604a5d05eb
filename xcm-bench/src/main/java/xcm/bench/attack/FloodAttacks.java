package xcm.bench.attack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import xcm.bench.Percentiles;
import xcm.client.JolokiaException;

/**
 * Findings 5 and 6 of the attack on main: 20 slow connections froze the coordinator's Jolokia and
 * its webhook for the whole test, and each rejected webhook request was an audit row (1,300 of them
 * grew the journal from 0.4 to 16 MB).
 */
final class FloodAttacks {
  /** Slow clients from loopback addresses of their own, none over the cap per address. */
  private static final List<String> ATTACKERS =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");

  private static final String EMPTY_ALERTS =
      "{\"version\":\"4\",\"receiver\":\"xcm\",\"status\":\"firing\",\"alerts\":[]}";

  private final AttackCluster cluster;
  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  FloodAttacks(AttackCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  List<Attempt> run() throws InterruptedException {
    List<Attempt> attempts = new ArrayList<>();
    try (SlowConnections jolokia =
            SlowConnections.open(cluster.jolokiaUrl, 20, ATTACKERS, Optional.empty());
        SlowConnections webhook =
            SlowConnections.open(cluster.webhookUrl, 20, ATTACKERS, Optional.empty())) {
      Thread.sleep(2000);
      String held = String.format("slow connections open %d + %d", jolokia.open(), webhook.open());
      attempts.add(timed("Jolokia", "an authenticated read of the cluster", held, this::read));
      attempts.add(timed("webhook", "an authenticated alert post", held, this::post));
    }
    attempts.add(flood());
    return attempts;
  }

  /** One authenticated request; what it answered when that is not what it should be. */
  @FunctionalInterface
  private interface Call {
    Optional<String> call() throws IOException, InterruptedException;
  }

  private Attempt timed(String door, String request, String slow, Call call)
      throws InterruptedException {
    String what =
        "20 slow connections each to the coordinator's Jolokia and webhook, then "
            + settings.reads()
            + " x "
            + request
            + " ("
            + door
            + ")";
    String main = "20 slow connections froze the coordinator's Jolokia and the webhook";
    double[] millis = new double[settings.reads()];
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      try {
        call.call().ifPresent(wrong::add);
      } catch (IOException e) {
        wrong.add("no answer: " + e);
      }
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Percentiles latency = new Percentiles(millis);
    return new Attempt(
        "5",
        what,
        main,
        String.format(
            "%s; %d answered, p50 %.0f ms, max %.0f ms (goal < 1000 ms)%s",
            slow,
            millis.length - wrong.size(),
            latency.at(50),
            latency.at(100),
            wrong.isEmpty() ? "" : "; wrong: " + wrong.get(0)),
        wrong.isEmpty() && latency.at(100) < 1000);
  }

  private Optional<String> read() throws InterruptedException {
    try {
      cluster.coordinator.hostCount();
      return Optional.empty();
    } catch (JolokiaException e) {
      return Optional.of(e.getMessage());
    }
  }

  private Optional<String> post() throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            webhook("Bearer " + cluster.webhookToken, EMPTY_ALERTS),
            HttpResponse.BodyHandlers.ofString());
    return answer.statusCode() == 200
        ? Optional.empty()
        : Optional.of("HTTP " + answer.statusCode() + ": " + answer.body());
  }

  /** Finding 6: unauthenticated webhook requests, and what they did to the journal's file. */
  private Attempt flood() throws InterruptedException {
    int count = settings.webhookFlood();
    String what = String.format("%,d unauthenticated webhook requests", count);
    String main = "each was an audit row: 1,300 took journal.mv.db from 0.4 to 16 MB";
    try {
      long before = Files.size(cluster.journal());
      double rejectedBefore = rejectedAtWebhook();
      Map<Integer, Integer> statuses = send(count);
      // H2 writes its file in the background, about once a second.
      Thread.sleep(3000);
      long after = Files.size(cluster.journal());
      double rejected = rejectedAtWebhook() - rejectedBefore;
      long growth = after - before;
      boolean allRefused =
          statuses.keySet().stream().allMatch(s -> s == 401 || s == 403)
              && statuses.values().stream().mapToInt(Integer::intValue).sum() == count;
      return new Attempt(
          "6",
          what,
          main,
          String.format(
              "answered %s; journal.mv.db %.2f MB -> %.2f MB (%+,d bytes, goal < 1 MB);"
                  + " xcm_rejected_requests_total{door=\"webhook\"} +%.0f",
              statuses, before / 1048576.0, after / 1048576.0, growth, rejected),
          allRefused && growth < 1 << 20);
    } catch (IOException e) {
      return new Attempt("6", what, main, "could not be measured: " + e, false);
    }
  }

  /** Sends {@code count} requests without the right token from 4 threads; status → how many. */
  private Map<Integer, Integer> send(int count) throws InterruptedException, IOException {
    String[] authorizations = {null, "Bearer wrong-token-0123456789", "Basic eGNtOmJlbmNo"};
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                  HttpResponse<Void> answer =
                      http.send(
                          webhook(authorizations[i % authorizations.length], EMPTY_ALERTS),
                          HttpResponse.BodyHandlers.discarding());
                  statuses.merge(answer.statusCode(), 1, Integer::sum);
                }
                return null;
              }));
    }
    try {
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (ExecutionException e) {
      throw new IOException("the webhook flood stopped: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new TreeMap<>(statuses);
  }

  private HttpRequest webhook(String authorization, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(cluster.webhookUrl))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }

  /** The coordinator's count of rejected webhook requests, all reasons, from its /metrics. */
  private double rejectedAtWebhook() throws IOException, InterruptedException {
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(cluster.metricsUrl))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (metrics.statusCode() != 200) {
      throw new IOException(
          "the coordinator's /metrics answered " + metrics.statusCode() + ": " + metrics.body());
    }
    double sum = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("xcm_rejected_requests_total{") && line.contains("door=\"webhook\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
