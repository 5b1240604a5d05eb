package xcm.coordinator.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.metrics.WebhookMetrics;
import xcm.coordinator.webhook.RejectedRequestException.Reason;
import xcm.serve.LogText;
import xcm.serve.RejectedRequests;
import xcm.serve.http.HttpDoor;
import xcm.serve.http.RequestBody;

/**
 * The coordinator's Alertmanager receiver: {@code POST /api/v1/alertmanager} with Alertmanager's
 * webhook payload (version 4) and {@code Authorization: Bearer <token>}. Each alert is handed to
 * {@link AlertActions}; the answer (200) lists what became of every alert:
 *
 * <pre>
 * {"receiver":"xcm","results":[{"alertname":"XcmHostTooHot","fingerprint":"3f0c...",
 *   "action":"drain","host":"dmz01","result":"started","operation":"t2x1c9-4",
 *   "reason":"drain dmz01 started as t2x1c9-4"}]}
 * </pre>
 *
 * <p>{@code result} is {@code started}, {@code already-started}, {@code refused} (with the reason;
 * nothing changed) or {@code ignored}. A request refused as a whole gets {@code {"error": "..."}}
 * and a 4xx status ({@link RejectedRequestException.Reason}), and nothing is acted on: 401 without
 * the token, 404 elsewhere than the path, 405 for other methods than POST, 415 for another content
 * type than {@code application/json}, 413 for a body over the limit (checked while reading), 400
 * for what is not a version 4 payload, 422 for an unknown {@code xcm_action}. A fault of XCM's own
 * (never a bad request) is answered 500, which Alertmanager retries.
 *
 * <p>A request refused as a whole is counted and logged at a bounded rate ({@link
 * RejectedRequests}), never audited: anyone who reaches the port can send them. What becomes of
 * each alert of an accepted request is audited ({@link AlertActions}).
 *
 * <pre>{@code
 * RejectedRequests.Door<Reason> rejected = rejectedRequests.door("webhook", Reason.class);
 * try (AlertmanagerWebhook webhook = AlertmanagerWebhook.start(config, actions, rejected, metrics)) {
 *   System.out.println(webhook.url());
 * }
 * }</pre>
 *
 * <p>Served on an {@link HttpDoor} with the limits of {@link WebhookConfig#limits()}. Thread-safe.
 */
public final class AlertmanagerWebhook implements AutoCloseable {
  public static final String PATH = "/api/v1/alertmanager";
  private static final Logger log = LoggerFactory.getLogger(AlertmanagerWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpDoor door;

  private AlertmanagerWebhook(HttpDoor door) {
    this.door = door;
  }

  /**
   * Serves the webhook on the configured address and port.
   *
   * @throws IOException when the address cannot be bound
   */
  public static AlertmanagerWebhook start(
      WebhookConfig config,
      AlertActions actions,
      RejectedRequests.Door<Reason> rejected,
      WebhookMetrics metrics)
      throws IOException {
    HttpDoor door =
        HttpDoor.builder("webhook", new Hook(config, actions, rejected, metrics))
            .address(config.address())
            .port(config.port())
            .limits(config.limits())
            .tls(Optional.empty())
            .start();
    return new AlertmanagerWebhook(door);
  }

  /** Every HTTP status the webhook answers with: 200, each rejection's, 500 for its own faults. */
  public static List<Integer> statusCodes() {
    List<Integer> codes = new java.util.ArrayList<>(List.of(200));
    for (Reason reason : Reason.values()) {
      codes.add(reason.status());
    }
    codes.add(500);
    return codes;
  }

  public int port() {
    return door.port();
  }

  /** {@code http://address:port/api/v1/alertmanager}. */
  public String url() {
    return door.url(PATH);
  }

  @Override
  public void close() {
    door.close();
  }

  @Override
  public String toString() {
    return "Alertmanager webhook " + url();
  }

  /** One request: checks it, acts on its alerts, answers. */
  private static final class Hook extends Handler.Abstract {
    private final WebhookConfig config;
    private final AlertActions actions;
    private final RejectedRequests.Door<Reason> rejected;
    private final WebhookMetrics metrics;
    private final byte[] token;

    Hook(
        WebhookConfig config,
        AlertActions actions,
        RejectedRequests.Door<Reason> rejected,
        WebhookMetrics metrics) {
      this.config = config;
      this.actions = actions;
      this.rejected = rejected;
      this.metrics = metrics;
      this.token = config.token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      try {
        int status;
        ObjectNode body;
        try {
          AlertmanagerPayload payload = read(request);
          List<AlertActions.Result> results = actions.handle(payload);
          results.forEach(r -> metrics.alert(r.outcome().label()));
          status = 200;
          body = answer(payload, results);
        } catch (RejectedRequestException e) {
          status = e.status();
          body = JSON.createObjectNode().put("error", e.getMessage());
          rejected.reject(
              e.reason(),
              remote(request),
              request.getMethod()
                  + " "
                  + request.getHttpURI().getPath()
                  + " (HTTP "
                  + status
                  + "): "
                  + e.getMessage());
          // What is left of the body the door drops, holding no thread (GuardedHandler).
          if (e.reason() == Reason.UNAUTHORIZED) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"xcm\"");
          } else if (e.reason() == Reason.METHOD_NOT_ALLOWED) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
          }
        } catch (RuntimeException e) {
          // A fault of XCM's, not of the request: 500, which Alertmanager retries.
          log.error("webhook request from {} failed", remote(request), e);
          status = 500;
          body = JSON.createObjectNode().put("error", "internal error: " + e);
        }
        metrics.request(status);
        send(response, callback, status, body);
      } catch (IOException e) {
        // The client stopped sending or went away: anyone can, as often as they like.
        log.debug("webhook request from {} failed: {}", remote(request), LogText.escape(e));
        callback.failed(e);
      } catch (RuntimeException e) {
        log.warn("webhook request from {} failed: {}", remote(request), LogText.escape(e));
        callback.failed(e);
      }
      return true;
    }

    private AlertmanagerPayload read(Request request) throws RejectedRequestException, IOException {
      if (!request.getHttpURI().getPath().equals(PATH)) {
        throw new RejectedRequestException(
            Reason.NOT_FOUND, "no such resource; the webhook is POST " + PATH);
      }
      if (!request.getMethod().equals("POST")) {
        throw new RejectedRequestException(
            Reason.METHOD_NOT_ALLOWED,
            "method " + request.getMethod() + " not allowed; the webhook takes POST");
      }
      authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json")) {
        throw new RejectedRequestException(
            Reason.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json, found: "
                + (type == null ? "none" : "\"" + type + "\""));
      }
      String length = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
      if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()) {
        if (length.length() > 18 || Long.parseLong(length) > config.maxBodyBytes()) {
          throw tooLarge();
        }
      }
      return AlertmanagerPayload.parse(
          RequestBody.readAtMost(request, config.maxBodyBytes()).orElseThrow(this::tooLarge));
    }

    private void authenticate(String header) throws RejectedRequestException {
      if (header == null
          || header.length() < 7
          || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new RejectedRequestException(
            Reason.UNAUTHORIZED, "missing bearer token (Authorization: Bearer <token>)");
      }
      byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, token)) {
        throw new RejectedRequestException(Reason.UNAUTHORIZED, "wrong bearer token");
      }
    }

    private RejectedRequestException tooLarge() {
      return new RejectedRequestException(
          Reason.TOO_LARGE, "body larger than " + config.maxBodyBytes() + " bytes");
    }

    private static ObjectNode answer(
        AlertmanagerPayload payload, List<AlertActions.Result> results) {
      ObjectNode body = JSON.createObjectNode().put("receiver", payload.receiver());
      ArrayNode list = body.putArray("results");
      for (AlertActions.Result r : results) {
        ObjectNode item =
            list.addObject()
                .put("alertname", r.alertname())
                .put("fingerprint", r.fingerprint())
                .put("action", r.action())
                .put("host", r.host())
                .put("result", r.outcome().label());
        if (r.operation() != null) {
          item.put("operation", r.operation());
        }
        item.put("reason", r.reason());
      }
      return body;
    }

    private static void send(Response response, Callback callback, int status, ObjectNode body)
        throws IOException {
      byte[] bytes = JSON.writeValueAsBytes(body);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.write(true, BufferUtil.toBuffer(bytes), callback);
    }

    private static String remote(Request request) {
      return request.getConnectionMetaData().getRemoteSocketAddress()
              instanceof InetSocketAddress from
          ? from.getAddress().getHostAddress()
          : "unknown";
    }
  }
}
