package xcm.coordinator.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.metrics.WebhookMetrics;
import xcm.coordinator.webhook.RejectedRequestException.Reason;
import xcm.serve.LogText;
import xcm.serve.RejectedRequests;

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
 * <p>Thread-safe; serves up to {@value #THREADS} requests at once.
 */
public final class AlertmanagerWebhook implements AutoCloseable {
  public static final String PATH = "/api/v1/alertmanager";
  static final int THREADS = 4;
  private static final Logger log = LoggerFactory.getLogger(AlertmanagerWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads;
  private final String address;

  private AlertmanagerWebhook(HttpServer server, ExecutorService threads, String address) {
    this.server = server;
    this.threads = threads;
    this.address = address;
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
    HttpServer server =
        HttpServer.create(new InetSocketAddress(config.address(), config.port()), 0);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "xcm-webhook-http");
              t.setDaemon(true);
              return t;
            });
    Handler handler = new Handler(config, actions, rejected, metrics);
    server.createContext("/", handler::handle);
    server.setExecutor(threads);
    server.start();
    return new AlertmanagerWebhook(server, threads, config.address());
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
    return server.getAddress().getPort();
  }

  /** {@code http://address:port/api/v1/alertmanager}. */
  public String url() {
    String host = address.contains(":") ? "[" + address + "]" : address;
    return "http://" + host + ":" + port() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "Alertmanager webhook " + url();
  }

  /** One request: checks it, acts on its alerts, answers. */
  private static final class Handler {
    private final WebhookConfig config;
    private final AlertActions actions;
    private final RejectedRequests.Door<Reason> rejected;
    private final WebhookMetrics metrics;
    private final byte[] token;

    Handler(
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

    void handle(HttpExchange exchange) {
      try (exchange) {
        int status;
        ObjectNode body;
        try {
          AlertmanagerPayload payload = read(exchange);
          List<AlertActions.Result> results = actions.handle(payload);
          results.forEach(r -> metrics.alert(r.outcome().label()));
          status = 200;
          body = answer(payload, results);
        } catch (RejectedRequestException e) {
          status = e.status();
          body = JSON.createObjectNode().put("error", e.getMessage());
          rejected.reject(
              e.reason(),
              remote(exchange),
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getRawPath()
                  + " (HTTP "
                  + status
                  + "): "
                  + e.getMessage());
          // Refused before the body was read (or while): read the rest, so that closing the
          // connection does not reset it before the client has the answer.
          if (!drain(exchange.getRequestBody())) {
            exchange.getResponseHeaders().set("Connection", "close");
          }
          if (e.reason() == Reason.UNAUTHORIZED) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"xcm\"");
          } else if (e.reason() == Reason.METHOD_NOT_ALLOWED) {
            exchange.getResponseHeaders().set("Allow", "POST");
          }
        } catch (RuntimeException e) {
          // A fault of XCM's, not of the request: 500, which Alertmanager retries.
          log.error("webhook request from {} failed", remote(exchange), e);
          status = 500;
          body = JSON.createObjectNode().put("error", "internal error: " + e);
        }
        metrics.request(status);
        send(exchange, status, body);
      } catch (IOException | RuntimeException e) {
        log.warn("webhook request from {} failed: {}", remote(exchange), LogText.escape(e));
      }
    }

    private AlertmanagerPayload read(HttpExchange exchange)
        throws RejectedRequestException, IOException {
      if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
        throw new RejectedRequestException(
            Reason.NOT_FOUND, "no such resource; the webhook is POST " + PATH);
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        throw new RejectedRequestException(
            Reason.METHOD_NOT_ALLOWED,
            "method " + exchange.getRequestMethod() + " not allowed; the webhook takes POST");
      }
      authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json")) {
        throw new RejectedRequestException(
            Reason.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json, found: "
                + (type == null ? "none" : "\"" + type + "\""));
      }
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()) {
        if (length.length() > 18 || Long.parseLong(length) > config.maxBodyBytes()) {
          throw tooLarge();
        }
      }
      return AlertmanagerPayload.parse(readAtMost(exchange.getRequestBody()));
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

    private byte[] readAtMost(InputStream in) throws IOException, RejectedRequestException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > config.maxBodyBytes()) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }

    /** Reads and drops what is left of a body; false if more than 16 MiB were left. */
    private static boolean drain(InputStream in) {
      byte[] buffer = new byte[8192];
      long left = 16L << 20;
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          left -= n;
          if (left < 0) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        return false;
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

    private static void send(HttpExchange exchange, int status, ObjectNode body)
        throws IOException {
      byte[] bytes = JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    private static String remote(HttpExchange exchange) {
      InetSocketAddress from = exchange.getRemoteAddress();
      return from == null ? "unknown" : from.getAddress().getHostAddress();
    }
  }
}
