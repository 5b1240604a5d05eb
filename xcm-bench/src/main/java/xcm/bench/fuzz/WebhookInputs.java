package xcm.bench.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

/**
 * Hostile requests to the coordinator's Alertmanager webhook: malformed, oversized or mistyped
 * payloads, alerts asking for what must be refused, wrong content types, credentials, methods and
 * paths.
 *
 * <p>Thread-safe.
 */
final class WebhookInputs {
  private final Fuzzer.Target target;
  private final Hostile hostile;
  private final HostileBodies bodies;

  WebhookInputs(Fuzzer.Target target, Hostile hostile, HostileBodies bodies) {
    this.target = target;
    this.hostile = hostile;
    this.bodies = bodies;
  }

  /** Adds the webhook's categories, {@code webhook/...}. */
  void addTo(Map<String, Inputs.Generator> g) {
    g.put(
        "webhook/malformed-json",
        (i, r) -> post(i, "webhook/malformed-json", HostileBodies.malformedJson(r)));
    g.put("webhook/content-type", this::contentType);
    g.put("webhook/oversized", (i, r) -> post(i, "webhook/oversized", HostileBodies.oversized(r)));
    g.put(
        "webhook/wrong-types",
        (i, r) -> post(i, "webhook/wrong-types", HostileBodies.wrongTypes(r)));
    g.put(
        "webhook/huge-array", (i, r) -> post(i, "webhook/huge-array", HostileBodies.hugeArray(r)));
    g.put(
        "webhook/hostile-host",
        (i, r) -> post(i, "webhook/hostile-host", bodies.alertsOnHosts(r, "drain")));
    g.put(
        "webhook/unknown-action",
        (i, r) -> post(i, "webhook/unknown-action", bodies.alertsOnHosts(r, Hostile.action(r))));
    g.put(
        "webhook/hostile-policy",
        (i, r) -> post(i, "webhook/hostile-policy", bodies.balanceAlerts(r)));
    g.put("webhook/auth-method-path", this::authMethodPath);
  }

  private Input post(int index, String category, String body) {
    return post(index, category, body, "application/json", bearer());
  }

  private Input post(
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
    return new Input(index, category, request.build(), Input.Door.WEBHOOK);
  }

  private Input contentType(int index, Random r) throws JsonProcessingException {
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
    return post(
        index,
        "webhook/content-type",
        bodies.alertsOnHosts(r, "drain"),
        types[r.nextInt(types.length)],
        bearer());
  }

  private Input authMethodPath(int index, Random r) throws JsonProcessingException {
    String body = bodies.alertsOnHosts(r, "drain");
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
      return post(index, "webhook/auth-method-path", body, "application/json", auth[which]);
    }
    String base = target.webhookUrl();
    URI uri =
        which == 4
            ? URI.create(base)
            : URI.create(
                base.substring(0, base.indexOf("/api/"))
                    + Hostile.pick(
                        r,
                        "/",
                        "/api/v1/alertmanager/x",
                        "/api/v2/alerts",
                        "/metrics",
                        "/api/v1/alertmanager%2F..",
                        "/API/V1/ALERTMANAGER"));
    String method =
        which == 4 ? Hostile.pick(r, "GET", "PUT", "DELETE", "PATCH", "OPTIONS") : "POST";
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", bearer())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return new Input(index, "webhook/auth-method-path", request, Input.Door.WEBHOOK);
  }

  private String bearer() {
    return "Bearer " + target.webhookToken();
  }
}
