package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Hostile and wrong input for a running coordinator: seeded, reproducible requests to the
 * Alertmanager webhook and to the coordinator's Jolokia ({@code xcm:type=Operations} and what
 * surrounds it), each checked for a refusal with a reason: a 4xx HTTP status with a body, Jolokia's
 * status 4xx with an error, or the webhook's 200 listing every alert as refused or ignored with a
 * reason. A 5xx, a request that was carried out, a reply without a reason, or a connection the
 * server dropped is a failure. Between inputs the cluster is checked for change: no operation
 * started, the same hosts in the same states, every domain where it was, every process alive.
 *
 * <p>Input {@code i} of seed {@code s} is always the same request, whatever the thread count.
 *
 * <pre>{@code
 * Fuzzer.Report report = new Fuzzer(target).run(10_000, 42, 4);
 * report.print(System.out);
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
      BooleanSupplier alive) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final String[] SPECIALS = {
    "",
    " ",
    "null",
    "*",
    "?",
    "..",
    "../../etc/passwd",
    "a,b=c:d\"e\\f/g",
    "web01,type=Host",
    "xcm:type=Host",
    "xcm:type=Operations",
    "\"quoted\"",
    "\\",
    "/",
    "!/",
    ",",
    "=",
    ":",
    "\u0000",
    "\uFFFF",
    "\uD800",
    "\u202Eevil",
    "ドメイン",
    "домен",
    "😀😀😀",
    "${jndi:ldap://127.0.0.1:1/x}",
    "'; DROP TABLE hosts; --",
    "<script>alert(1)</script>",
    "%00",
    "%2F..%2F",
    "-1",
    "-9223372036854775808",
    "1e309",
    "NaN",
    "true",
    "\n\r\t",
  };
  private static final String HOSTILE_CHARS = ",=:\"\\/*?!$%&'()[]{}<>|;#@ \t\n\u0000é中😀";

  private final Target target;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String authorization;

  Fuzzer(Target target) {
    this.target = target;
    this.authorization = basic(target.user(), target.password());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** One request and what it is. */
  record Input(int index, String category, HttpRequest request, boolean webhook) {}

  /** Counts per category, failures with examples, the state checks made. */
  static final class Report {
    final Map<String, long[]> categories = new TreeMap<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger stateChecks = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    long seconds;
    String state = "";

    /** [sent, refused 4xx, refused per alert or ignored, failed]. */
    synchronized long[] category(String name) {
      return categories.computeIfAbsent(name, k -> new long[4]);
    }

    long failed() {
      return categories.values().stream().mapToLong(c -> c[3]).sum() + stateFailures.get();
    }

    final AtomicLong stateFailures = new AtomicLong();

    void print(java.io.PrintStream out, int goal) {
      out.printf(
          "%-26s %7s %13s %15s %9s%n",
          "category", "sent", "refused 4xx", "alert refused", "failures");
      long[] total = new long[4];
      for (Map.Entry<String, long[]> c : categories.entrySet()) {
        long[] v = c.getValue();
        out.printf("%-26s %7d %13d %15d %9d%n", c.getKey(), v[0], v[1], v[2], v[3]);
        for (int i = 0; i < 4; i++) {
          total[i] += v[i];
        }
      }
      out.printf("%-26s %7d %13d %15d %9d%n", "total", total[0], total[1], total[2], total[3]);
      out.printf(
          "%nstate checks: %d (%s), changes found: %d%n",
          stateChecks.get(), state, stateFailures.get());
      out.printf("time: %d s, %.0f inputs/s%n", seconds, sent.get() / Math.max(1.0, seconds));
      synchronized (failures) {
        failures.stream().limit(20).forEach(f -> out.println("FAILURE " + f));
      }
      out.printf(
          "%ninputs %d, failures %d   goal: %,d inputs, 0 failures: %s%n",
          sent.get(), failed(), goal, sent.get() >= goal && failed() == 0 ? "met" : "MISSED");
    }
  }

  /**
   * Sends inputs {@code 0..count-1} of {@code seed} from {@code threads} threads, checking the
   * cluster before, every {@code checkEvery} inputs and after.
   */
  Report run(int count, long seed, int threads) throws IOException, InterruptedException {
    Report report = new Report();
    ClusterState before = ClusterState.read(this);
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
                  Input input = input(i, seed);
                  send(input, report);
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
    } catch (java.util.concurrent.ExecutionException e) {
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
              ? before.changeTo(ClusterState.read(this))
              : "a process of the cluster died";
    } catch (IOException e) {
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

  // ---- sending and judging

  private void send(Input input, Report report) {
    long[] counts = report.category(input.category());
    synchronized (counts) {
      counts[0]++;
    }
    report.sent.incrementAndGet();
    String failure;
    int kind; // 1: refused with a 4xx, 2: refused or ignored per alert
    try {
      HttpResponse<String> response =
          http.send(input.request(), HttpResponse.BodyHandlers.ofString());
      String verdict = input.webhook() ? judgeWebhook(response) : judgeJolokia(response);
      failure = verdict.startsWith("ok") ? null : verdict;
      kind = verdict.equals("ok-alert") ? 2 : 1;
    } catch (IOException e) {
      failure = "no answer: " + e;
      kind = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (counts) {
      if (failure == null) {
        counts[kind]++;
      } else {
        counts[3]++;
      }
    }
    if (failure != null) {
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
              + shorten(failure));
    }
  }

  private static String judgeJolokia(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      return response.body().isBlank() ? "HTTP " + status + " without a reason" : "ok";
    }
    if (status != 200) {
      return "HTTP " + status + ": " + response.body();
    }
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      return "HTTP 200 with a body that is not JSON: " + response.body();
    }
    if (reply == null) {
      return "HTTP 200 with an empty body";
    }
    for (JsonNode one : reply.isArray() ? reply : List.of(reply)) {
      int inner = one.path("status").asInt(-1);
      if (inner == 200) {
        return "accepted: " + one;
      }
      if (inner < 400 || inner >= 500) {
        return "status " + inner + ": " + one;
      }
      if (one.path("error").asText("").isBlank()) {
        return "status " + inner + " without a reason: " + one;
      }
    }
    return "ok";
  }

  private static String judgeWebhook(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      return "HTTP " + status + " with a body that is not JSON: " + response.body();
    }
    if (status >= 400 && status < 500) {
      return reply != null && !reply.path("error").asText("").isBlank()
          ? "ok"
          : "HTTP " + status + " without {\"error\": reason}: " + response.body();
    }
    if (status != 200 || reply == null) {
      return "HTTP " + status + ": " + response.body();
    }
    for (JsonNode result : reply.path("results")) {
      String outcome = result.path("result").asText();
      if (!outcome.equals("refused") && !outcome.equals("ignored")) {
        return "alert " + outcome + ": " + result;
      }
      if (result.path("reason").asText("").isBlank()) {
        return "alert " + outcome + " without a reason: " + result;
      }
    }
    return "ok-alert";
  }

  private static String shorten(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "... (" + text.length() + " chars)";
  }

  // ---- the inputs

  private interface Generator {
    Input make(int index, Random r) throws IOException;
  }

  private final Map<String, Generator> generators = generators();

  private Map<String, Generator> generators() {
    Map<String, Generator> g = new TreeMap<>();
    g.put(
        "webhook/malformed-json", (i, r) -> webhook(i, "webhook/malformed-json", malformedJson(r)));
    g.put("webhook/content-type", this::webhookContentType);
    g.put("webhook/oversized", (i, r) -> webhook(i, "webhook/oversized", oversized(r)));
    g.put("webhook/wrong-types", (i, r) -> webhook(i, "webhook/wrong-types", wrongTypes(r)));
    g.put("webhook/huge-array", (i, r) -> webhook(i, "webhook/huge-array", hugeArray(r)));
    g.put("webhook/hostile-host", (i, r) -> webhook(i, "webhook/hostile-host", alerts(r, "drain")));
    g.put(
        "webhook/unknown-action",
        (i, r) -> webhook(i, "webhook/unknown-action", alerts(r, unknownAction(r))));
    g.put(
        "webhook/hostile-policy",
        (i, r) -> webhook(i, "webhook/hostile-policy", alerts(r, "balance")));
    g.put("webhook/auth-method-path", this::webhookAuth);
    g.put("jolokia/migrate", this::migrate);
    g.put("jolokia/drain", (i, r) -> exec(i, "jolokia/drain", "drain", hostile(r), flag(r)));
    g.put(
        "jolokia/balance",
        (i, r) -> exec(i, "jolokia/balance", "balance", hostilePolicy(r), r.nextBoolean()));
    g.put(
        "jolokia/planBalance",
        (i, r) -> exec(i, "jolokia/planBalance", "planBalance", hostilePolicy(r)));
    g.put("jolokia/activate", (i, r) -> exec(i, "jolokia/activate", "activate", hostile(r)));
    g.put("jolokia/cancel", (i, r) -> exec(i, "jolokia/cancel", "cancel", hostile(r)));
    g.put("jolokia/addHost", (i, r) -> exec(i, "jolokia/addHost", "addHost", hostileUrl(r)));
    g.put("jolokia/removeHost", (i, r) -> exec(i, "jolokia/removeHost", "removeHost", hostile(r)));
    g.put("jolokia/arity-types", this::arityAndTypes);
    g.put("jolokia/mbean-names", this::mbeanNames);
    g.put(
        "jolokia/malformed-json", (i, r) -> jolokia(i, "jolokia/malformed-json", malformedJson(r)));
    g.put("jolokia/oversized", (i, r) -> jolokia(i, "jolokia/oversized", oversizedExec(r)));
    g.put("jolokia/bulk", this::bulk);
    g.put("jolokia/get-path", this::getPath);
    g.put("jolokia/auth", this::jolokiaAuth);
    return g;
  }

  /** Input {@code index} of {@code seed}: the same request on every run. */
  Input input(int index, long seed) {
    Random r = new Random(seed * 1_000_003L + index * 0x9E3779B97F4A7C15L);
    List<String> names = new ArrayList<>(generators.keySet());
    String category = names.get(r.nextInt(names.size()));
    try {
      return generators.get(category).make(index, r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot make input " + index, e);
    }
  }

  private Input webhook(int index, String category, String body) {
    return webhook(index, category, body, "application/json", "Bearer " + target.webhookToken());
  }

  private Input webhook(
      int index, String category, String body, String contentType, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.webhookUrl()))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return new Input(index, category, request.build(), true);
  }

  private Input webhookContentType(int index, Random r) throws IOException {
    String[] types = {
      null,
      "text/plain",
      "application/xml",
      "application/jsonx",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "json",
      "*/*",
      "application/json-patch+json",
      "application/javascript"
    };
    return webhook(
        index,
        "webhook/content-type",
        alerts(r, "drain"),
        types[r.nextInt(types.length)],
        "Bearer " + target.webhookToken());
  }

  private Input webhookAuth(int index, Random r) throws IOException {
    String body = alerts(r, "drain");
    int which = r.nextInt(6);
    if (which < 4) {
      String[] auth = {
        null,
        "Bearer ",
        "Bearer " + target.webhookToken().substring(1),
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("xcm:" + target.webhookToken()).getBytes(StandardCharsets.UTF_8))
      };
      return webhook(index, "webhook/auth-method-path", body, "application/json", auth[which]);
    }
    String base = target.webhookUrl();
    URI uri =
        which == 4
            ? URI.create(base)
            : URI.create(
                base.substring(0, base.indexOf("/api/"))
                    + pick(
                        r,
                        "/",
                        "/api/v1/alertmanager/x",
                        "/api/v2/alerts",
                        "/metrics",
                        "/api/v1/alertmanager%2F..",
                        "/API/V1/ALERTMANAGER"));
    String method = which == 4 ? pick(r, "GET", "PUT", "DELETE", "PATCH", "OPTIONS") : "POST";
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + target.webhookToken())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return new Input(index, "webhook/auth-method-path", request, true);
  }

  private Input jolokia(int index, String category, String body) {
    return new Input(
        index,
        category,
        HttpRequest.newBuilder(URI.create(target.jolokiaUrl()))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        false);
  }

  private Input exec(int index, String category, String operation, Object... arguments)
      throws IOException {
    return jolokia(
        index, category, JSON.writeValueAsString(execNode(OPERATIONS, operation, arguments)));
  }

  private static ObjectNode execNode(String mbean, String operation, Object... arguments) {
    ObjectNode request = NODES.objectNode();
    request.put("type", "exec").put("mbean", mbean).put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (Object argument : arguments) {
      args.add(argument instanceof JsonNode node ? node : JSON.valueToTree(argument));
    }
    return request;
  }

  /** A migration that must be refused: unknown domain or host, or a domain to its own host. */
  private Input migrate(int index, Random r) throws IOException {
    List<String> hosts = new ArrayList<>(target.hosts().keySet());
    String domain = target.domains().get(r.nextInt(target.domains().size()));
    String host = hosts.get(r.nextInt(hosts.size()));
    return switch (r.nextInt(4)) {
      case 0 -> exec(index, "jolokia/migrate", "migrate", domain, hostile(r));
      case 1 -> exec(index, "jolokia/migrate", "migrate", hostile(r), host);
      case 2 -> exec(index, "jolokia/migrate", "migrate", hostile(r), hostile(r));
      // The cluster is full: a real domain to a real host is refused for lack of memory, or
      // because it runs there already.
      default -> exec(index, "jolokia/migrate", "migrate", domain, host);
    };
  }

  /** A drain's dry-run flag: never true for a real host (a dry run makes an operation). */
  private static Object flag(Random r) {
    return r.nextBoolean() ? Boolean.FALSE : pick(r, "false", "0", "no", "FALSE");
  }

  private Input arityAndTypes(int index, Random r) throws IOException {
    String[] operations = {
      "migrate", "drain", "balance", "planBalance", "activate", "cancel", "addHost", "removeHost"
    };
    String operation = operations[r.nextInt(operations.length)];
    int arity = r.nextInt(5);
    Object[] arguments = new Object[arity];
    for (int a = 0; a < arity; a++) {
      arguments[a] = hostileValue(r);
    }
    return exec(index, "jolokia/arity-types", operation, arguments);
  }

  /** A JSON value of a wrong type: numbers, nulls, objects, huge arrays. */
  private JsonNode hostileValue(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> NODES.numberNode(-1 - r.nextInt(1000));
      case 1 -> NODES.numberNode(Long.MIN_VALUE);
      case 2 -> NODES.numberNode(r.nextDouble() * 1e308);
      case 3 -> NODES.nullNode();
      case 4 -> NODES.objectNode().put("host", hostile(r)).put("dryRun", true);
      case 5 -> {
        ArrayNode array = NODES.arrayNode();
        int n = r.nextInt(20_000);
        for (int k = 0; k < n; k++) {
          array.add(k - n / 2);
        }
        yield array;
      }
      case 6 -> NODES.booleanNode(r.nextBoolean());
      case 7 -> NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode()));
      default -> NODES.textNode(hostile(r));
    };
  }

  private Input mbeanNames(int index, Random r) throws IOException {
    String[] mbeans = {
      "xcm:type=Operations,*",
      "xcm:*",
      "xcm:type=Operation*",
      "*:*",
      "xcm:type=Operations,name=x",
      "xcm:type=operations",
      "XCM:type=Operations",
      "xcm:type=Cluster",
      "xcm:type=Cluster,host=\"" + firstHost() + "\"",
      "xcm:type=Operation,id=\"nope\"",
      "xcm:type=Operations,host=\"a,b=c:d\"",
      "xcm:",
      ":",
      "",
      hostile(r)
    };
    String operation =
        pick(
            r,
            "drain",
            "migrate",
            "removeHost",
            "activate",
            "shutdown",
            "toString",
            "getAuditLog",
            "setAuditLog",
            "drainAll",
            "");
    ObjectNode request = execNode(mbeans[r.nextInt(mbeans.length)], operation, hostile(r), false);
    if (r.nextInt(3) == 0) {
      request =
          NODES
              .objectNode()
              .put("type", "write")
              .put("mbean", mbeans[r.nextInt(mbeans.length)])
              .put("attribute", pick(r, "AuditLog", "Hosts", "State", hostile(r)));
      request.set("value", hostileValue(r));
    }
    return jolokia(index, "jolokia/mbean-names", JSON.writeValueAsString(request));
  }

  private Input bulk(int index, Random r) throws IOException {
    ArrayNode requests = NODES.arrayNode();
    int n = 1 + r.nextInt(30);
    for (int k = 0; k < n; k++) {
      requests.add(
          execNode(
              OPERATIONS,
              pick(r, "drain", "activate", "cancel", "removeHost", "migrate"),
              hostile(r),
              r.nextInt(3) == 0 ? hostile(r) : Boolean.FALSE));
    }
    return jolokia(index, "jolokia/bulk", JSON.writeValueAsString(requests));
  }

  private Input getPath(int index, Random r) {
    String operation = pick(r, "drain", "activate", "cancel", "removeHost", "migrate", "balance");
    StringBuilder path =
        new StringBuilder(target.jolokiaUrl())
            .append(pick(r, "exec/", "EXEC/", "exec//", "write/", "read/"));
    path.append(
        pick(r, "xcm:type=Operations", "xcm:type=Operations,*", "xcm:*", encode(hostile(r))));
    path.append('/').append(operation);
    int args = r.nextInt(4);
    for (int k = 0; k < args; k++) {
      path.append('/').append(encode(hostile(r).replace("/", "!/")));
    }
    URI uri;
    try {
      uri = URI.create(path.toString());
    } catch (IllegalArgumentException e) {
      uri = URI.create(target.jolokiaUrl() + "exec/xcm:type=Operations/drain/%00nope/false");
    }
    return new Input(
        index,
        "jolokia/get-path",
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .GET()
            .build(),
        false);
  }

  private Input jolokiaAuth(int index, Random r) throws IOException {
    String body = JSON.writeValueAsString(execNode(OPERATIONS, "drain", firstHost(), false));
    String[] auth = {
      null,
      basic(target.user(), target.password() + "x"),
      basic(target.user(), ""),
      basic("", target.password()),
      basic(target.user().toUpperCase(java.util.Locale.ROOT), target.password()),
      "Basic "
          + Base64.getEncoder().encodeToString(target.password().getBytes(StandardCharsets.UTF_8)),
      "Basic !!!not-base64",
      "Bearer " + target.password(),
    };
    String chosen = auth[r.nextInt(auth.length)];
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    target.jolokiaUrl()
                        + pick(
                            r,
                            "",
                            "config",
                            "config/",
                            "version",
                            "exec/xcm:type=Operations/drain/" + firstHost() + "/false")))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (chosen != null) {
      request.header("Authorization", chosen);
    }
    return new Input(index, "jolokia/auth", request.build(), false);
  }

  private String firstHost() {
    return target.hosts().keySet().iterator().next();
  }

  // ---- bodies and values

  /** A name no host or domain has: specials, hostile characters, unicode, long strings. */
  private String hostile(Random r) {
    List<String> real = new ArrayList<>(target.hosts().keySet());
    real.addAll(target.domains());
    String name = real.get(r.nextInt(real.size()));
    return switch (r.nextInt(8)) {
      case 0, 1 -> SPECIALS[r.nextInt(SPECIALS.length)];
      case 2 -> randomChars(r, 1 + r.nextInt(40));
      case 3 -> name + SPECIALS[r.nextInt(SPECIALS.length)] + "x";
      case 4 -> name.toUpperCase(java.util.Locale.ROOT) + "\u0130";
      case 5 -> "x".repeat(1 + r.nextInt(r.nextBoolean() ? 200 : 20_000));
      case 6 -> "\"" + name + "\"";
      default -> name.substring(0, 1 + r.nextInt(name.length() - 1)) + randomChars(r, 3);
    };
  }

  private static String randomChars(Random r, int length) {
    StringBuilder text = new StringBuilder();
    int[] chars = HOSTILE_CHARS.codePoints().toArray();
    while (text.length() < length) {
      text.appendCodePoint(
          r.nextInt(4) == 0 ? 0x20 + r.nextInt(0x2FFF) : chars[r.nextInt(chars.length)]);
    }
    return text.toString();
  }

  private String hostilePolicy(Random r) {
    String[] policies = {
      "",
      "weighted,memory=-1",
      "weighted,cpu=NaN",
      "weighted,memory=1e309",
      "weighted,io=-0.5,cpu=2",
      "weighted,nosuch=1",
      "weighted,memory",
      "weighted,=1",
      "domain-count,target=-3",
      "domain-count,target=",
      "domain-count,target=strict,target=loose",
      "domain-count,slack=-1",
      "domain-count,target=NaN",
      "Weighted",
      "WEIGHTED",
      " weighted,memory=x ",
      "hbal",
      "xcm.coordinator.plan.WeightedPolicy",
      "java.lang.Runtime",
      hostile(r),
    };
    return policies[r.nextInt(policies.length)];
  }

  private String hostileUrl(Random r) {
    String[] urls = {
      "",
      "file:///etc/passwd",
      "jar:file:///x!/",
      "ftp://127.0.0.1/",
      "gopher://127.0.0.1:" + target.closedPort() + "/",
      "javascript:alert(1)",
      "http://",
      "http://[::1",
      "http://127.0.0.1:" + target.closedPort() + "/jolokia/",
      "http://127.0.0.1:0/jolokia/",
      "http://127.0.0.1:99999/jolokia/",
      "http://127.0.0.1:-1/jolokia/",
      "https://127.0.0.1:" + target.closedPort() + "/jolokia/",
      target.jolokiaUrl(),
      target.webhookUrl(),
      "http://user:pass@127.0.0.1:" + target.closedPort() + "/",
      "http://127.0.0.1:" + target.closedPort() + "/" + "x".repeat(5000),
      "\u0000http://127.0.0.1/",
      "HTTP://127.0.0.1:" + target.closedPort() + "/",
      "http://127.0.0.1:" + target.closedPort() + "/jolokia/?a=\"b\\c",
      hostile(r),
    };
    return urls[r.nextInt(urls.length)];
  }

  private static String unknownAction(Random r) {
    return pick(
        r,
        "reboot",
        "DRAIN",
        "drain ",
        " balance",
        "Balance",
        "migrate",
        "activate",
        "rm -rf /",
        "drain,balance",
        "\u0000",
        "😀");
  }

  /** A well-formed Alertmanager payload whose alerts ask for something that must be refused. */
  private String alerts(Random r, String action) throws IOException {
    ObjectNode payload = NODES.objectNode();
    payload.put("version", "4").put("receiver", "xcm").put("status", "firing");
    ArrayNode alerts = payload.putArray("alerts");
    int n = 1 + r.nextInt(5);
    for (int k = 0; k < n; k++) {
      ObjectNode alert = alerts.addObject();
      alert.put("status", r.nextInt(5) == 0 ? "resolved" : "firing");
      ObjectNode labels = alert.putObject("labels");
      labels.put("alertname", hostile(r));
      labels.put("xcm_action", action);
      if (action.equals("balance")) {
        // An empty xcm_policy means the configured policy: a real balance, not hostile input.
        String policy = hostilePolicy(r);
        labels.put("xcm_policy", policy.isBlank() ? "nope" : policy);
      } else {
        String host = hostile(r);
        labels.put("host", host.isBlank() ? host + "?" : host);
      }
      alert.put("startsAt", pick(r, "2025-01-01T00:00:00Z", "", "not a time", "-1"));
      alert.put("fingerprint", pick(r, "", "0", randomChars(r, 16)));
    }
    return JSON.writeValueAsString(payload);
  }

  private static String malformedJson(Random r) {
    String[] bodies = {
      "",
      "{",
      "}",
      "[",
      "{\"alerts\":[",
      "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\"drain\",\"arguments\":[\"a\",",
      "null",
      "nul",
      "\"just a string\"",
      "42",
      "-1",
      "1e999999",
      "{\"a\":1}{\"b\":2}",
      "{\"alerts\":[],\"alerts\":[]}",
      "{'single':'quotes'}",
      "{\"a\":\"\\uD800\"}",
      "{\"a\":\"\\x00\"}",
      "\uFEFF{}",
      "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
      "[" + "{".repeat(3000),
      "<alerts/>",
      "version=4&alerts=",
      "\u0000\u0001\u0002",
    };
    String body = bodies[r.nextInt(bodies.length)];
    if (r.nextInt(4) == 0) {
      byte[] garbage = new byte[r.nextInt(2000)];
      r.nextBytes(garbage);
      body = new String(garbage, StandardCharsets.ISO_8859_1);
    }
    return body;
  }

  private static String wrongTypes(Random r) {
    String[] bodies = {
      "{\"version\":4,\"alerts\":[]}",
      "{\"version\":\"3\",\"alerts\":[]}",
      "{\"version\":\"4\",\"alerts\":{}}",
      "{\"version\":\"4\",\"alerts\":\"drain\"}",
      "{\"version\":\"4\",\"alerts\":null}",
      "{\"version\":\"4\"}",
      "{\"version\":\"4\",\"receiver\":7,\"alerts\":[]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":7}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":[\"xcm_action\",\"drain\"]}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":1,\"labels\":{}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"FIRING\",\"labels\":{}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":null}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":[\"drain\"]}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"fingerprint\":-1}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":-1}]}",
      "{\"version\":\"4\",\"alerts\":[null]}",
      "{\"version\":\"4\",\"alerts\":[[]]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":{\"$gt\":\"\"}}}]}",
      "[{\"version\":\"4\",\"alerts\":[]}]",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\"}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":\"\"}}]}",
      "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":-1}}]}",
    };
    return bodies[r.nextInt(bodies.length)];
  }

  private String hugeArray(Random r) throws IOException {
    int n = 1000 + r.nextInt(20_000);
    StringBuilder body = new StringBuilder("{\"version\":\"4\",\"receiver\":\"xcm\",\"alerts\":[");
    String element =
        switch (r.nextInt(4)) {
          case 0 -> "-1";
          case 1 -> "{}";
          case 2 -> "{\"status\":\"firing\",\"labels\":{\"alertname\":\"x\"},\"startsAt\":1}";
          default -> "{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\"}}";
        };
    for (int k = 0; k < n; k++) {
      body.append(k == 0 ? "" : ",").append(element);
    }
    return body.append("]}").toString();
  }

  /** Bodies over the coordinator's limits, made of hostile alerts. */
  private static String oversized(Random r) {
    int size = (64 << 10) + 1 + r.nextInt(200 << 10);
    StringBuilder body = new StringBuilder("{\"version\":\"4\",\"alerts\":[");
    while (body.length() < size) {
      body.append(
          "{\"status\":\"firing\",\"labels\":{\"xcm_action\":\"drain\",\"host\":\"nope\"}},");
    }
    return body.append("{}]}").toString();
  }

  private String oversizedExec(Random r) throws IOException {
    int size = (64 << 10) + 1 + r.nextInt(200 << 10);
    return JSON.writeValueAsString(execNode(OPERATIONS, "drain", "h".repeat(size), false));
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- the cluster's state

  /**
   * What fuzzing must not change: the operations that exist, each host's state, each domain's host.
   */
  record ClusterState(
      List<String> operations, Map<String, String> hostStates, Map<String, String> placement) {

    static ClusterState read(Fuzzer fuzzer) throws IOException, InterruptedException {
      JolokiaClient jolokia = fuzzer.client();
      List<String> operations = new ArrayList<>();
      jolokia
          .post(
              fuzzer.target.jolokiaUrl(),
              "{\"type\":\"search\",\"mbean\":\"xcm:type=Operation,*\"}")
          .forEach(n -> operations.add(n.asText()));
      Map<String, String> states = new TreeMap<>();
      JsonNode hosts =
          jolokia.read(fuzzer.target.jolokiaUrl(), "xcm:type=Cluster", "Hosts").path("Hosts");
      hosts.forEach(h -> states.put(h.path("name").asText(), h.path("state").asText()));
      Map<String, String> placement = new TreeMap<>();
      for (Map.Entry<String, String> host : fuzzer.target.hosts().entrySet()) {
        JsonNode domains = jolokia.read(host.getValue(), "xcm:type=Domain,*", "Name");
        for (Map.Entry<String, JsonNode> d : domains.properties()) {
          placement.put(d.getValue().path("Name").asText(), host.getKey());
        }
      }
      return new ClusterState(operations, states, placement);
    }

    /** Null when nothing changed, else what did. */
    String changeTo(ClusterState now) {
      if (!now.operations.isEmpty()) {
        return "operations were started: " + now.operations;
      }
      if (!now.hostStates.equals(hostStates)) {
        return "hosts changed from " + hostStates + " to " + now.hostStates;
      }
      if (!now.placement.equals(placement)) {
        return "domains moved from " + placement + " to " + now.placement;
      }
      return null;
    }

    String describe() {
      return "no operation, hosts "
          + hostStates
          + ", "
          + placement.size()
          + " domains in place, processes alive";
    }
  }

  private JolokiaClient client() {
    return new JolokiaClient(target.user(), target.password());
  }
}
