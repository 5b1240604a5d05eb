package xcm.coordinator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.metrics.WebhookMetrics;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.operation.FakeCluster;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.HostState;
import xcm.mbeans.OperationType;
import xcm.serve.RejectedRequests;

/**
 * The webhook over real HTTP on a loopback port, acting through the real operation service on an
 * in-memory cluster: dmz01 with five domains, dmz02 and dmz03 empty.
 */
class AlertmanagerWebhookTest {
  static final String TOKEN = "webhook-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private FakeCluster cluster;
  private MigrationQueue queue;
  private OperationService operations;
  private AlertmanagerWebhook webhook;
  private PrometheusRegistry registry;

  @BeforeEach
  void start() throws Exception {
    startWith(
        new FakeCluster().host("dmz01", 32, 4, 4, 2, 2, 1).host("dmz02", 32).host("dmz03", 32));
  }

  private void startWith(FakeCluster fake) throws Exception {
    cluster = fake.join();
    queue = new MigrationQueue(cluster, 2, 8);
    operations = cluster.operations(queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC());
    WebhookConfig config =
        new WebhookConfig("127.0.0.1", 0, TOKEN, 4096, Duration.ofHours(24), "weighted");
    registry = new PrometheusRegistry();
    webhook =
        AlertmanagerWebhook.start(
            config,
            new AlertActions(
                operations,
                Journal.inMemory(Clock.systemUTC()),
                Clock.systemUTC(),
                config.remember(),
                "weighted",
                () -> true,
                "c1",
                Runnable::run),
            RejectedRequests.register(registry, Clock.systemUTC())
                .door("webhook", RejectedRequestException.Reason.class),
            WebhookMetrics.register(
                registry,
                AlertmanagerWebhook.statusCodes(),
                List.of("started", "already-started", "refused", "ignored", "kept")));
  }

  @AfterEach
  void stop() {
    webhook.close();
    queue.close();
  }

  // ---- requests refused as a whole

  @Test
  void requestWithoutTheBearerTokenIsUnauthorizedAndStartsNothing() throws Exception {
    HttpResponse<String> response =
        send(request().header("Content-Type", "application/json"), drainAlert("firing"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"missing bearer token (Authorization: Bearer <token>)\"}");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"xcm\"");
    assertNothingStarted();
  }

  @Test
  void requestsRefusedAsAWholeAreCountedByReasonAndNeverAudited() throws Exception {
    // An operator's request an operation refuses: audited, as every authenticated request is.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> operations.drain("nosuch", false, new Requester("jolokia", "xcm")))
        .isInstanceOf(IllegalArgumentException.class);
    String entryBefore = operations.audit().entries().get(0).toString();
    assertThat(entryBefore).contains("jolokia:xcm drain nosuch: refused: ");
    send(request().header("Content-Type", "application/json"), drainAlert("firing"));
    send(request().header("Authorization", "Bearer nope"), drainAlert("firing"));
    post("{");
    post("[1]");
    send(authorized().header("Content-Type", "text/plain"), drainAlert("firing"));
    HTTP.send(request().GET().build(), HttpResponse.BodyHandlers.ofString());
    post(JSON.writeValueAsString(payload(alert("firing", "X", "reboot", "dmz01", "f1"))));

    Map<String, Double> rejected = new java.util.TreeMap<>();
    for (RejectedRequestException.Reason reason : RejectedRequestException.Reason.values()) {
      rejected.put("door=webhook,reason=" + reason.name().toLowerCase(Locale.ROOT), 0.0);
    }
    rejected.putAll(
        Map.of(
            "door=webhook,reason=unauthorized", 2.0,
            "door=webhook,reason=malformed", 2.0,
            "door=webhook,reason=unsupported_media_type", 1.0,
            "door=webhook,reason=method_not_allowed", 1.0,
            "door=webhook,reason=unprocessable", 1.0));
    assertThat(countsByDoorAndReason("xcm_rejected_requests")).isEqualTo(rejected);
    assertThat(operations.audit().entries()).hasSize(1);
    assertThat(operations.audit().entries().get(0).toString()).isEqualTo(entryBefore);
    assertNothingStarted();
  }

  @Test
  void requestWithAWrongTokenIsUnauthorized() throws Exception {
    HttpResponse<String> response =
        send(
            request()
                .header("Authorization", "Bearer " + TOKEN + "x")
                .header("Content-Type", "application/json"),
            drainAlert("firing"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("{\"error\":\"wrong bearer token\"}");
    assertNothingStarted();
  }

  @Test
  void wrongContentTypeIsUnsupported() throws Exception {
    HttpResponse<String> response =
        send(authorized().header("Content-Type", "text/plain"), drainAlert("firing"));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":\"Content-Type must be application/json, found: \\\"text/plain\\\"\"}");
    assertNothingStarted();
  }

  @Test
  void jsonWithACharsetParameterIsAccepted() throws Exception {
    HttpResponse<String> response =
        send(
            authorized().header("Content-Type", "Application/JSON; charset=utf-8"),
            drainAlert("firing"));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    HttpResponse<String> response = post("{\"version\":\"4\",\"alerts\":[");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).startsWith("malformed payload: not valid JSON: ");
    assertNothingStarted();
  }

  @Test
  void payloadsOfTheWrongShapeAreBadRequestsNamingWhatIsWrong() throws Exception {
    assertThat(error(post("[]")))
        .isEqualTo(
            "malformed payload: expected a JSON object" + " (Alertmanager's webhook payload)");
    assertThat(error(post("{\"version\":\"4\"}")))
        .isEqualTo("malformed payload: \"alerts\" must be an array");
    assertThat(error(post("{\"version\":\"3\",\"alerts\":[]}")))
        .isEqualTo(
            "malformed payload: payload version \"3\" is not supported; XCM reads Alertmanager's"
                + " version 4");
    assertThat(error(post("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"host\":1}}]}")))
        .isEqualTo("malformed payload: alerts[0].labels.host must be a string");
    assertThat(error(post("{\"alerts\":[{\"status\":\"burning\",\"labels\":{}}]}")))
        .isEqualTo(
            "malformed payload: alerts[0].status must be \"firing\" or \"resolved\", found"
                + " \"burning\"");
    assertThat(post("{\"alerts\":[],\"alerts\":[]}").statusCode()).isEqualTo(400);
    assertThat(post("{\"alerts\":[]} {}").statusCode()).isEqualTo(400);
    assertNothingStarted();
  }

  @Test
  void oversizedBodyIsRefusedWhetherItsLengthIsDeclaredOrNot() throws Exception {
    String big = "{\"alerts\":[],\"padding\":\"" + "x".repeat(5000) + "\"}";
    HttpResponse<String> declared = post(big);
    HttpResponse<String> chunked =
        HTTP.send(
            authorized()
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).isEqualTo("{\"error\":\"body larger than 4096 bytes\"}");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).isEqualTo("{\"error\":\"body larger than 4096 bytes\"}");
    assertNothingStarted();
  }

  @Test
  void unknownActionIsUnprocessableAndNoAlertOfThePayloadIsActedOn() throws Exception {
    ObjectNode payload = payload(alert("firing", "XcmHostTooHot", "drain", "dmz01", "aa01"));
    payload.withArray("alerts").add(alert("firing", "XcmReboot", "reboot", "dmz02", "aa02"));

    HttpResponse<String> response = post(JSON.writeValueAsString(payload));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":\"alert XcmReboot (fingerprint aa02): unknown xcm_action \\\"reboot\\\";"
                + " XCM knows drain, balance\"}");
    assertNothingStarted();
    assertThat(state("dmz01")).isEqualTo(HostState.ACTIVE);
  }

  @Test
  void drainWithoutAHostLabelIsUnprocessable() throws Exception {
    HttpResponse<String> response =
        post(JSON.writeValueAsString(payload(alert("firing", "XcmHostTooHot", "drain", "", "b1"))));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response))
        .isEqualTo(
            "alert XcmHostTooHot (fingerprint b1): xcm_action=\"drain\" needs a host label naming"
                + " the XCM host to drain");
    assertNothingStarted();
  }

  @Test
  void otherMethodsAndPathsAreRefused() throws Exception {
    HttpResponse<String> get =
        HTTP.send(authorized().GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> elsewhere =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(webhook.url().replace("alertmanager", "alerts")))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(drainAlert("firing")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(error(get)).isEqualTo("method GET not allowed; the webhook takes POST");
    assertThat(elsewhere.statusCode()).isEqualTo(404);
    assertThat(error(elsewhere))
        .isEqualTo("no such resource; the webhook is POST /api/v1/alertmanager");
    assertNothingStarted();
  }

  // ---- alerts acted on

  @Test
  void firingDrainAlertDrainsTheHostIntoMaintenance() throws Exception {
    HttpResponse<String> response = post(drainAlert("firing"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = result(response);
    String id = result.path("operation").asText();
    assertThat(JSON.writeValueAsString(result))
        .isEqualTo(
            "{\"alertname\":\"XcmHostTooHot\",\"fingerprint\":\"f00d\",\"action\":\"drain\","
                + "\"host\":\"dmz01\",\"result\":\"started\",\"operation\":\""
                + id
                + "\",\"reason\":\"drain dmz01 started as "
                + id
                + "\"}");
    Operation drain = operations.registry().get(id);
    assertThat(drain.requester().toString()).isEqualTo("webhook:XcmHostTooHot");
    await().atMost(20, TimeUnit.SECONDS).until(() -> state("dmz01") == HostState.MAINTENANCE);
    assertThat(cluster.names("dmz01")).isEmpty();
    assertThat(cluster.names("dmz02").size() + cluster.names("dmz03").size()).isEqualTo(5);
    assertThat(operations.audit().entries().stream().map(Object::toString))
        .anyMatch(
            e ->
                e.endsWith(
                    "webhook:XcmHostTooHot alert XcmHostTooHot (fingerprint f00d, firing since"
                        + " 2025-01-01T10:00:00Z) asks: drain dmz01: started as "
                        + id));
  }

  @Test
  void resolvedAlertStartsNothing() throws Exception {
    JsonNode result = result(post(drainAlert("resolved")));

    assertThat(result.path("result").asText()).isEqualTo("ignored");
    assertThat(result.path("reason").asText()).isEqualTo("resolved: starts nothing");
    assertNothingStarted();
    assertThat(operations.audit().entries().get(0).result())
        .isEqualTo("ignored: resolved alerts start nothing");
  }

  @Test
  void alertWithoutAnActionIsIgnored() throws Exception {
    JsonNode result =
        result(post(JSON.writeValueAsString(payload(alert("firing", "Other", "", "dmz01", "c1")))));

    assertThat(result.path("result").asText()).isEqualTo("ignored");
    assertThat(result.path("reason").asText()).isEqualTo("no xcm_action label: not for XCM");
    assertNothingStarted();
  }

  @Test
  void sameAlertDeliveredAgainStartsItsActionOnce() throws Exception {
    String id = result(post(drainAlert("firing"))).path("operation").asText();
    await().atMost(20, TimeUnit.SECONDS).until(() -> state("dmz01") == HostState.MAINTENANCE);

    JsonNode again = result(post(drainAlert("firing")));

    assertThat(again.path("result").asText()).isEqualTo("already-started");
    assertThat(again.path("operation").asText()).isEqualTo(id);
    assertThat(again.path("reason").asText())
        .startsWith("already started as " + id + " at ")
        .endsWith(" (ended SUCCEEDED)");
    assertThat(operations.registry().all()).hasSize(1);
  }

  @Test
  void concurrentDeliveriesOfOneAlertStartItsActionOnce() throws Exception {
    int deliveries = 8;
    ExecutorService pool = Executors.newFixedThreadPool(deliveries);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < deliveries; i++) {
        Callable<HttpResponse<String>> delivery =
            () -> {
              go.await();
              return post(drainAlert("firing"));
            };
        responses.add(pool.submit(delivery));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<HttpResponse<String>> response : responses) {
        outcomes.add(result(response.get(30, TimeUnit.SECONDS)).path("result").asText());
      }

      assertThat(outcomes).containsOnlyOnce("started");
      assertThat(outcomes).filteredOn("already-started"::equals).hasSize(deliveries - 1);
      assertThat(operations.registry().all()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void laterSeparateFiringOfTheSameAlertActsAgain() throws Exception {
    post(drainAlert("firing"));
    await().atMost(20, TimeUnit.SECONDS).until(() -> state("dmz01") == HostState.MAINTENANCE);
    operations.activate("dmz01", new xcm.coordinator.operation.Requester("jmx", "ops"));

    JsonNode later =
        result(
            post(
                JSON.writeValueAsString(
                    payload(
                        alert("firing", "XcmHostTooHot", "drain", "dmz01", "f00d")
                            .put("startsAt", "2025-01-02T10:00:00Z")))));

    assertThat(later.path("result").asText()).isEqualTo("started");
    assertThat(operations.registry().all()).hasSize(2);
  }

  @Test
  void actionThatCannotBeDoneIsRefusedWithItsReasonAndTriedAgainOnTheNextDelivery()
      throws Exception {
    String unknownHost =
        JSON.writeValueAsString(payload(alert("firing", "XcmHostTooHot", "drain", "dmz09", "d1")));

    HttpResponse<String> first = post(unknownHost);
    JsonNode second = result(post(unknownHost));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(result(first).path("result").asText()).isEqualTo("refused");
    assertThat(result(first).path("reason").asText())
        .isEqualTo("unknown host 'dmz09'; hosts are [dmz01, dmz02, dmz03]");
    assertThat(result(first).has("operation")).isFalse();
    assertThat(second.path("result").asText()).isEqualTo("refused");
    assertNothingStarted();
    assertThat(operations.audit().entries().get(0).result())
        .isEqualTo("refused: unknown host 'dmz09'; hosts are [dmz01, dmz02, dmz03]");
  }

  @Test
  void drainOfAHostAnotherAlertAlreadyDrainedIsRefused() throws Exception {
    post(drainAlert("firing"));
    await().atMost(20, TimeUnit.SECONDS).until(() -> state("dmz01") == HostState.MAINTENANCE);

    JsonNode other =
        result(
            post(
                JSON.writeValueAsString(
                    payload(alert("firing", "XcmLibvirtUnreachable", "drain", "dmz01", "e1")))));

    assertThat(other.path("result").asText()).isEqualTo("refused");
    assertThat(other.path("reason").asText()).isEqualTo("host dmz01 is already in MAINTENANCE");
    assertThat(operations.registry().all()).hasSize(1);
  }

  @Test
  void drainThatDoesNotFitIsRefusedNamingTheDomainsAndChangesNothing() throws Exception {
    stop();
    startWith(new FakeCluster().host("big01", 64, 40).host("small01", 8));

    JsonNode result =
        result(
            post(
                JSON.writeValueAsString(
                    payload(alert("firing", "XcmHostTooHot", "drain", "big01", "g1")))));

    assertThat(result.path("result").asText()).isEqualTo("refused");
    assertThat(result.path("reason").asText())
        .startsWith("cannot drain host \"big01\": ")
        .contains("big01-vm0");
    assertThat(state("big01")).isEqualTo(HostState.ACTIVE);
    assertThat(cluster.names("big01")).containsExactly("big01-vm0");
    assertNothingStarted();
  }

  @Test
  void balanceAlertRunsABalanceWithTheLabelledPolicy() throws Exception {
    ObjectNode alert = alert("firing", "XcmHostCpuSaturated", "balance", "dmz01", "h1");
    ((ObjectNode) alert.get("labels")).put("xcm_policy", "domain-count");

    JsonNode result = result(post(JSON.writeValueAsString(payload(alert))));

    assertThat(result.path("result").asText()).isEqualTo("started");
    Operation balance = operations.registry().get(result.path("operation").asText());
    assertThat(balance.kind().type()).isEqualTo(OperationType.BALANCE);
    assertThat(balance.summary()).isEqualTo("balance domain-count");
    assertThat(result.path("reason").asText())
        .isEqualTo("balance domain-count (for host dmz01) started as " + balance.id());
  }

  @Test
  void everyRequestAndEveryAlertIsCountedByResult() throws Exception {
    post(drainAlert("firing"));
    post(drainAlert("firing"));
    post(drainAlert("resolved"));
    post("{");
    send(request().header("Content-Type", "application/json"), drainAlert("firing"));

    Map<String, Double> requests = new java.util.TreeMap<>();
    AlertmanagerWebhook.statusCodes().forEach(code -> requests.put("code=" + code, 0.0));
    requests.putAll(Map.of("code=200", 3.0, "code=400", 1.0, "code=401", 1.0));
    assertThat(counts("xcm_webhook_requests")).isEqualTo(requests);
    assertThat(requests.keySet())
        .containsExactly(
            "code=200",
            "code=400",
            "code=401",
            "code=404",
            "code=405",
            "code=413",
            "code=415",
            "code=422",
            "code=500");
    assertThat(counts("xcm_webhook_alerts"))
        .isEqualTo(
            Map.of(
                "result=started", 1.0,
                "result=already-started", 1.0,
                "result=refused", 0.0,
                "result=ignored", 1.0,
                "result=kept", 0.0));
  }

  @Test
  void aLineBreakInALabelCannotForgeALogLine() throws Exception {
    String forged = "[xcm-webhook-http] INFO xcm.audit - jolokia:admin drain dmz02: started as x-1";
    String log =
        standardErrorWhile(
            () ->
                post(
                    JSON.writeValueAsString(
                        payload(
                            alert(
                                "firing",
                                "XcmHostTooHot\n" + forged,
                                "drain",
                                "nosuch\r\n" + forged,
                                "f00d")))));

    List<String> audited = log.lines().filter(line -> line.contains(" xcm.audit - ")).toList();
    assertThat(audited).isNotEmpty().noneMatch(line -> line.startsWith(forged));
    assertThat(audited)
        .anyMatch(
            line ->
                line.contains(
                    "webhook:XcmHostTooHot\\n" + forged + " drain nosuch\\r\\n" + forged));
    assertThat(log.lines()).noneMatch(line -> line.startsWith(forged));
  }

  // ---- helpers

  /** What the loggers wrote to standard error (slf4j-simple's output) while {@code work} ran. */
  private static String standardErrorWhile(Callable<?> work) throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      work.call();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private Map<String, Double> counts(String name) {
    Map<String, Double> counts = new java.util.TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        for (CounterSnapshot.CounterDataPointSnapshot point :
            ((CounterSnapshot) snapshot).getDataPoints()) {
          String label = point.getLabels().getName(0) + "=" + point.getLabels().getValue(0);
          counts.put(label, point.getValue());
        }
      }
    }
    return counts;
  }

  private Map<String, Double> countsByDoorAndReason(String name) {
    Map<String, Double> counts = new java.util.TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        for (CounterSnapshot.CounterDataPointSnapshot point :
            ((CounterSnapshot) snapshot).getDataPoints()) {
          counts.put(
              "door="
                  + point.getLabels().get("door")
                  + ",reason="
                  + point.getLabels().get("reason"),
              point.getValue());
        }
      }
    }
    return counts;
  }

  private HostState state(String host) {
    return cluster.inventory.snapshot().host(host).state();
  }

  private void assertNothingStarted() {
    assertThat(operations.registry().all()).isEmpty();
  }

  private HttpRequest.Builder request() {
    return HttpRequest.newBuilder(URI.create(webhook.url())).timeout(Duration.ofSeconds(30));
  }

  private HttpRequest.Builder authorized() {
    return request().header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> post(String body) throws Exception {
    return send(authorized().header("Content-Type", "application/json"), body);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String body)
      throws Exception {
    return HTTP.send(
        request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error").asText();
  }

  /** The only result of a 200 answer. */
  private static JsonNode result(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode results = JSON.readTree(response.body()).path("results");
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  static String drainAlert(String status) throws Exception {
    return JSON.writeValueAsString(
        payload(alert(status, "XcmHostTooHot", "drain", "dmz01", "f00d")));
  }

  /** Alertmanager's version 4 payload, as it sends it. */
  static ObjectNode payload(ObjectNode... alerts) {
    ObjectNode payload =
        JSON.createObjectNode()
            .put("version", "4")
            .put("groupKey", "{}/{xcm_action=~\"^(?:drain|balance)$\"}:{alertname=\"X\"}")
            .put("truncatedAlerts", 0)
            .put("status", alerts.length > 0 ? alerts[0].path("status").asText() : "firing")
            .put("receiver", "xcm")
            .put("externalURL", "http://alertmanager.example:9093");
    payload.putObject("groupLabels");
    payload.putObject("commonLabels");
    payload.putObject("commonAnnotations");
    payload.putArray("alerts").addAll(List.of(alerts));
    return payload;
  }

  static ObjectNode alert(
      String status, String alertname, String action, String host, String fingerprint) {
    ObjectNode alert = JSON.createObjectNode().put("status", status);
    ObjectNode labels = alert.putObject("labels").put("alertname", alertname);
    if (!action.isEmpty()) {
      labels.put("xcm_action", action);
    }
    if (!host.isEmpty()) {
      labels.put("host", host);
    }
    alert.putObject("annotations").put("summary", alertname + " on " + host);
    alert
        .put("startsAt", "2025-01-01T10:00:00Z")
        .put("endsAt", status.equals("resolved") ? "2025-01-01T11:00:00Z" : "0001-01-01T00:00:00Z")
        .put("generatorURL", "http://prometheus.example:9090/graph")
        .put("fingerprint", fingerprint);
    return alert;
  }
}
