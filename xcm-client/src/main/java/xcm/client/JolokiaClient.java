package xcm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import xcm.mbeans.AgentUrls;

/**
 * XCM's one Jolokia client: JSON POSTs over one shared HTTP client ({@link Wire}, HTTP/1.1), with
 * the credentials each callee's URL gets and a timeout per request. Every call ends in a value or a
 * {@link JolokiaException} whose {@link JolokiaException.Outcome} says what the caller may
 * conclude: refused (with why), failed (certainly not done) or unknown (may have taken effect).
 * Many calls may run at once; the asynchronous ones hold no thread while they wait. A client built
 * {@link Builder#blocking()} makes each call on the caller's thread instead ({@link SocketWire}),
 * starting nothing: the CLI's.
 *
 * <pre>{@code
 * JolokiaClient agents = JolokiaClient.builder()
 *     .credentials(Credentials.basic("xcm", password, "the coordinator's credentials"))
 *     .callee("agent")
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * JsonNode id = agents.send(url, Request.exec(ObjectNames.hostOperations(), "migrate", "web01", to));
 * CompletableFuture<JsonNode> cpus = agents.sendAsync(url, Request.read(ObjectNames.host(), "Cpus"));
 * }</pre>
 *
 * <p>Thread-safe. Its threads are daemons; {@link #close} stops them.
 */
public final class JolokiaClient implements AutoCloseable {
  private final Transport wire;
  private final Executor executor;
  private final Credentials credentials;
  private final String callee;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final String userAgent;

  private JolokiaClient(Builder b) {
    this.wire =
        b.blocking
            ? new SocketWire(b.connectTimeout, b.tls)
            : new Wire(
                "xcm-http-" + b.callee.replaceAll("\\W", "-"), b.threads, b.connectTimeout, b.tls);
    this.executor = b.executor;
    this.credentials = b.credentials;
    this.callee = b.callee;
    this.timeout = b.timeout;
    this.connectTimeout = b.connectTimeout;
    this.userAgent = b.userAgent;
  }

  /** Stops the client's threads; calls in flight fail. */
  @Override
  public void close() {
    wire.close();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends one request; the future holds its value (a JSON null for an operation returning nothing,
   * never Java's null), or fails with a {@link JolokiaException} ({@link JolokiaException#of}
   * unwraps it).
   */
  public CompletableFuture<JsonNode> sendAsync(String url, Request request) {
    return post(url, body(request), body -> single(body, request));
  }

  /** Sends one request and waits for its value; see {@link #sendAsync(String, Request)}. */
  public JsonNode send(String url, Request request) throws JolokiaException, InterruptedException {
    return await(sendAsync(url, request));
  }

  /**
   * Sends requests in one POST (a Jolokia bulk request); the future holds one {@link Reply} per
   * request, in their order, or fails when the POST as a whole fails.
   */
  public CompletableFuture<List<Reply>> sendAsync(String url, List<Request> requests) {
    return post(url, body(requests), body -> bulk(body, requests));
  }

  /** Sends requests in one POST and waits; see {@link #sendAsync(String, List)}. */
  public List<Reply> send(String url, List<Request> requests)
      throws JolokiaException, InterruptedException {
    return await(sendAsync(url, requests));
  }

  /**
   * Sends requests in one POST and lets {@code reader} turn the answer's body into the result, e.g.
   * by streaming through it where a tree of a large answer is not worth building. The client
   * decides every outcome up to an HTTP 200 answer; the reader raises its errors through {@link
   * Body}.
   */
  public <T> CompletableFuture<T> sendAsync(
      String url, List<Request> requests, BodyReader<T> reader) {
    return post(url, body(requests), reader);
  }

  /** This client bound to the callee at {@code url}. */
  public Endpoint at(String url) {
    return new Endpoint(this, List.of(url));
  }

  /**
   * This client bound to one callee reached at any of {@code urls} (the coordinators of a cluster),
   * tried in order.
   */
  public Endpoint at(List<String> urls) {
    return new Endpoint(this, urls);
  }

  /**
   * The value of a future of this client, waiting for it.
   *
   * @throws InterruptedException when interrupted while waiting; the request is abandoned, its
   *     outcome unknown
   */
  public static <T> T await(CompletableFuture<T> future)
      throws JolokiaException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw JolokiaException.of(e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }

  /** POSTs {@code body} to {@code url}: the outcomes of the exchange, then the reader's. */
  private <T> CompletableFuture<T> post(String url, String body, BodyReader<T> reader) {
    String where = callee + " at " + AgentUrls.redacted(url);
    String authorization;
    try {
      authorization = credentials.authorization(url);
    } catch (IllegalArgumentException e) {
      // Derived credentials: the message names the URL and why it has none.
      return CompletableFuture.failedFuture(JolokiaException.failed(e.getMessage(), e));
    }
    CompletableFuture<Wire.Exchange> exchange;
    try {
      exchange = wire.post(url, body, authorization, userAgent, timeout);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          JolokiaException.failed(
              callee
                  + " URL '"
                  + AgentUrls.redacted(url)
                  + "' is not a valid http URL: "
                  + e.getMessage(),
              e));
    }
    BiFunction<Wire.Exchange, Throwable, T> outcome =
        (answer, unexpected) -> {
          try {
            if (unexpected != null || answer.failure() != null) {
              throw JolokiaException.ofSendFailure(
                  where,
                  unexpected != null ? unexpected : answer.failure(),
                  unexpected == null ? answer.progress() : Wire.Progress.UNCONNECTED,
                  connectTimeout,
                  timeout);
            }
            if (answer.status() != 200) {
              throw JolokiaException.ofHttpStatus(
                  where, answer.status(), credentials.description(), error(answer.body()));
            }
            return reader.read(new Body(where, answer.body()));
          } catch (JolokiaException e) {
            throw new CompletionException(e);
          }
        };
    return executor == null ? exchange.handle(outcome) : exchange.handleAsync(outcome, executor);
  }

  /** A request as Jolokia's JSON object. */
  private static String body(Request request) {
    return Json.write(List.of(request), false);
  }

  /** Requests as a Jolokia bulk request: a JSON array, also of one. */
  private static String body(List<Request> requests) {
    return Json.write(requests, true);
  }

  private static JsonNode single(Body body, Request request) throws JolokiaException {
    JsonNode reply = tree(body);
    if (!reply.isObject() || !reply.path("status").isInt()) {
      throw body.notJolokia();
    }
    return value(body, reply, request);
  }

  private static List<Reply> bulk(Body body, List<Request> requests) throws JolokiaException {
    JsonNode replies = tree(body);
    if (!replies.isArray() || replies.size() != requests.size()) {
      throw body.notJolokia();
    }
    List<Reply> list = new ArrayList<>(replies.size());
    for (int i = 0; i < replies.size(); i++) {
      try {
        list.add(Reply.of(value(body, replies.get(i), requests.get(i))));
      } catch (JolokiaException e) {
        list.add(Reply.failed(e));
      }
    }
    return list;
  }

  private static JsonNode value(Body body, JsonNode reply, Request request)
      throws JolokiaException {
    int status = reply.path("status").asInt(-1);
    if (status == 200) {
      return reply.path("value");
    }
    if (status < 0) {
      throw body.notJolokia();
    }
    throw body.error(
        request, status, reply.path("error_type").asText(""), reply.path("error").asText(""));
  }

  private static JsonNode tree(Body body) throws JolokiaException {
    try {
      JsonNode tree = Json.read(body.bytes());
      if (tree == null) {
        throw body.notJolokia();
      }
      return tree;
    } catch (IOException e) {
      throw body.notJolokia();
    }
  }

  /** What an error answer (often Jolokia's or the server's JSON) says, or "". */
  private static String error(byte[] body) {
    try {
      JsonNode error = Json.read(body);
      return error != null ? error.path("error").asText("") : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Builds a {@link JolokiaClient}; {@code credentials} is required. */
  public static final class Builder {
    private Credentials credentials;
    private String callee = "Jolokia";
    private Duration timeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Executor executor;
    private String userAgent;
    private SSLContext tls;
    private int threads = 4;
    private boolean blocking;

    private Builder() {}

    /**
     * Optional: each call made on the caller's thread, over a connection of its own with the JDK's
     * sockets; the asynchronous calls are done when they return. Nothing is started: for a program
     * that makes a few calls and exits, such as the CLI, which Jetty's start would take longer than
     * its calls. Default is Jetty's client, its own threads and pooled connections.
     */
    public Builder blocking() {
      this.blocking = true;
      return this;
    }

    /**
     * Optional: the client's own threads at most, which run its connections (one selects) and
     * complete calls where no {@link #executor} is given. Default is 4.
     */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Optional: the TLS of {@code https} URLs — whom to trust, which certificate to present (the
     * cluster's, {@code xcm.trust.tls.ClientTls}). Default is the JDK's.
     */
    public Builder tls(SSLContext tls) {
      this.tls = tls;
      return this;
    }

    /** Required: what each callee is shown. */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * Optional: how messages name the other side, e.g. "agent" for "agent at http://...". Default
     * is "Jolokia".
     */
    public Builder callee(String callee) {
      this.callee = callee;
      return this;
    }

    /**
     * Optional: how long one request may take from sending to its whole answer; past it the outcome
     * is unknown. Default is 30 s.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Optional: how long a connection may take to open; past it the call failed. Default is 5 s.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Optional: where answers are read and futures completed, e.g. a small pool shared by the
     * coordinator's thousands of reads. Default is the client's own threads.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Optional: the {@code User-Agent} header, e.g. for a callee that tells its callers apart by
     * it. Default is none.
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public JolokiaClient build() {
      if (credentials == null) {
        throw new IllegalStateException("a JolokiaClient needs credentials");
      }
      if (timeout.isNegative()
          || timeout.isZero()
          || connectTimeout.isNegative()
          || connectTimeout.isZero()) {
        throw new IllegalStateException(
            "timeout and connectTimeout must be positive, found "
                + timeout
                + " and "
                + connectTimeout);
      }
      if (blocking && executor != null) {
        throw new IllegalStateException(
            "blocking and executor conflict: a blocking client completes calls on the caller's"
                + " thread");
      }
      if (threads < 3) {
        // One selects, one reads what it selected, one completes the call.
        throw new IllegalStateException("threads must be at least 3, found " + threads);
      }
      return new JolokiaClient(this);
    }
  }
}
