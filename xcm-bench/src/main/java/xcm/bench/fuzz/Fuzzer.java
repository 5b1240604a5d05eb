package xcm.bench.fuzz;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import xcm.bench.AgentJolokia;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * Hostile and wrong input for a running coordinator: seeded, reproducible requests ({@link Inputs})
 * to the Alertmanager webhook, to the coordinator's Jolokia ({@code xcm:type=Operations}, {@code
 * xcm:type=Rules} and what surrounds them), to its enrolment door and to its agents' placement
 * rules, each checked for a refusal with a reason ({@link Verdict}): a 4xx HTTP status with a body,
 * Jolokia's status 4xx with an error, the webhook's 200 listing every alert as refused or ignored
 * with a reason, the enrolment door's 4xx with a reason and a message (or its 202 WAITING for a
 * well-formed request without a token). A 5xx, a request that was carried out, a reply without a
 * reason, or a connection the server dropped is a failure. Between inputs the cluster is checked
 * for change ({@link ClusterState}): no operation started, the same hosts in the same states, every
 * domain where it was with the rules it had, no host enrolled, the waiting room within its bound,
 * every process alive.
 *
 * <pre>{@code
 * Report report = new Fuzzer(target).run(10_000, 42, 4);
 * report.print(System.out, 10_000);
 * }</pre>
 *
 * <p>Thread-safe: {@link #run} sends from several threads at once.
 */
final class Fuzzer {
  /**
   * What is fuzzed and how its state is read.
   *
   * @param hosts the cluster's hosts, each with its own agent URL
   * @param domains the domains on the hosts, by name
   * @param closedPort a loopback port nothing listens on
   * @param enrolUrl the coordinator's enrolment door, {@code https://…/enrol}
   * @param authority the cluster authority's certificate, {@code <state>/ca/ca.crt}
   * @param tokenHolder a host name with a valid enrolment token that no input enrols under
   * @param token that token: inputs present it under other names only
   * @param alive true while every process of the cluster runs
   */
  record Target(
      String jolokiaUrl,
      String user,
      String password,
      String webhookUrl,
      String webhookToken,
      Map<String, String> hosts,
      List<String> domains,
      int closedPort,
      String enrolUrl,
      X509Certificate authority,
      String tokenHolder,
      String token,
      BooleanSupplier alive) {}

  private final Target target;
  private final Inputs inputs;
  // The inputs go out raw, not through the XCM client: many are malformed on purpose (bodies that
  // are not JSON, wrong content types, methods, paths and credentials, bulk requests of anything),
  // and the verdict reads the HTTP status and body as they came, which the client would have turned
  // into an outcome first. The client reads the cluster's state between inputs.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  // The enrolment door speaks only HTTPS with the coordinator's cluster certificate: this client
  // trusts the cluster's authority alone and presents no certificate, as a host not enrolled yet.
  private final HttpClient enrolment;
  // The agents speak only HTTPS with their cluster certificates: this client trusts the authority
  // and expects an agent, and logs in with the agents' local password as an operator on the host
  // would.
  private final HttpClient agentDoor;
  private final CoordinatorJolokia coordinator;
  private final Map<String, AgentJolokia> agents = new LinkedHashMap<>();

  Fuzzer(Target target) {
    this.target = target;
    this.inputs = new Inputs(target);
    this.enrolment =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(
                ClientTls.builder()
                    .authority(target.authority())
                    .revocations(Revocations::none)
                    .expectServer(ExpectedPeer.role(Role.COORDINATOR))
                    .build())
            .build();
    this.agentDoor =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(
                ClientTls.builder()
                    .authority(target.authority())
                    .revocations(Revocations::none)
                    .expectServer(ExpectedPeer.role(Role.AGENT))
                    .build())
            .build();
    JolokiaClient client =
        JolokiaClient.builder()
            .credentials(
                Credentials.basic(target.user(), target.password(), "the fuzzer's credentials"))
            .timeout(Duration.ofSeconds(60))
            .build();
    this.coordinator = new CoordinatorJolokia(client.at(target.jolokiaUrl()));
    // The agents speak TLS with their cluster certificates; the fuzzer reads them as their local
    // user, the bench's.
    JolokiaClient agentClient = BenchProcesses.agentJolokia(target.authority());
    target.hosts().forEach((host, url) -> agents.put(host, new AgentJolokia(agentClient.at(url))));
  }

  /**
   * Sends inputs {@code 0..count-1} of {@code seed} from {@code threads} threads, checking the
   * cluster before, every {@code checkEvery} inputs and after.
   */
  Report run(int count, long seed, int threads) throws JolokiaException, InterruptedException {
    Report report = new Report();
    ClusterState before = ClusterState.read(coordinator, agents);
    report.state = before.describe();
    if (!before.operations().isEmpty()) {
      throw new IllegalStateException("operations exist before fuzzing: " + before.operations());
    }
    long start = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    int checkEvery = Math.max(50, count / 20);
    Map<Integer, Boolean> checked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                  send(inputs.input(i, seed), report);
                  if (i % checkEvery == checkEvery - 1 && checked.putIfAbsent(i, true) == null) {
                    check(before, report, "after input " + i);
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("fuzzing stopped: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    check(before, report, "at the end");
    report.seconds = Math.round((System.nanoTime() - start) / 1e9);
    return report;
  }

  private void check(ClusterState before, Report report, String when) {
    report.stateChecks.incrementAndGet();
    String change;
    try {
      change =
          target.alive().getAsBoolean()
              ? before.changeTo(ClusterState.read(coordinator, agents))
              : "a process of the cluster died";
    } catch (JolokiaException e) {
      change = "cannot read the cluster: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (change != null) {
      report.stateFailures.incrementAndGet();
      report.failures.add(when + ": " + change);
    }
  }

  private void send(Input input, Report report) {
    Report.Counts counts = report.category(input.category());
    counts.sent();
    report.sent.incrementAndGet();
    Verdict verdict;
    try {
      HttpClient client =
          switch (input.door()) {
            case ENROLMENT -> enrolment;
            case AGENT -> agentDoor;
            case JOLOKIA, WEBHOOK -> http;
          };
      HttpResponse<String> response =
          client.send(input.request(), HttpResponse.BodyHandlers.ofString());
      verdict =
          switch (input.door()) {
            case JOLOKIA, AGENT -> Verdict.ofJolokia(response);
            case WEBHOOK -> Verdict.ofWebhook(response);
            case ENROLMENT ->
                Verdict.ofEnrolment(response, input.category().equals(EnrolInputs.NO_TOKEN));
          };
    } catch (IOException e) {
      verdict = Verdict.failed("no answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    counts.ended(verdict.kind());
    if (verdict.reason() != null) {
      report.examples.putIfAbsent(input.category(), oneLine(shorten(verdict.reason())));
    }
    if (verdict.isFailure()) {
      report.failures.add(
          "#"
              + input.index()
              + " "
              + input.category()
              + " "
              + input.request().method()
              + " "
              + shorten(input.request().uri().toString())
              + ": "
              + oneLine(shorten(verdict.failure())));
    }
  }

  /** The text on one line with control characters written out, as a terminal should get it. */
  private static String oneLine(String text) {
    StringBuilder line = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\n') {
                line.append("\\n");
              } else if (Character.isISOControl(c)) {
                line.append(String.format("\\u%04x", c));
              } else {
                line.appendCodePoint(c);
              }
            });
    return line.toString();
  }

  private static String shorten(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "... (" + text.length() + " chars)";
  }
}
