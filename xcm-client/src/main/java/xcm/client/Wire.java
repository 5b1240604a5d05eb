package xcm.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of {@link JolokiaClient}: JSON POSTs over one Jetty {@link HttpClient} (HTTP/1.1),
 * each ending in an {@link Exchange}. Jetty's client rather than the JDK's: the JDK's keeps, for
 * every pooled TLS connection, a read buffer grown to the largest answer it has read (64 KB for a
 * host of 20 domains), 650 MB for a coordinator keeping 10,000 agents' connections between rounds;
 * Jetty's idle connections hold no buffer (./xcm bench collect, JFR's old-object samples).
 *
 * <p>Thread-safe. Its threads are daemons; {@link #close} stops them.
 */
final class Wire implements Transport {
  /** The largest answer read: a few MB for a host of thousands of domains. */
  static final int MAX_ANSWER_BYTES = 64 << 20;

  /**
   * How long a connection may stay unused before this side closes it: less than the XCM doors' idle
   * timeout (30 s), so that a request rarely meets a connection the callee is closing.
   */
  private static final Duration IDLE = Duration.ofSeconds(20);

  /**
   * How a POST ended: an answer ({@code status}, {@code body}), or a {@code failure} and how far
   * the request had got before it.
   */
  record Exchange(int status, byte[] body, Throwable failure, Progress progress) {}

  /** How far a request got. */
  enum Progress {
    /** No connection: nothing reached the callee. */
    UNCONNECTED,
    /**
     * A connection, the head not known to be written: over TLS the handshake may still be under way
     * (nothing of the request can have been read); over a quick callee's close the head may have
     * been read before the write was reported.
     */
    CONNECTED,
    /** The head was written. */
    WRITTEN
  }

  private final HttpClient http;

  /**
   * @param threads the client's threads at most: one selects, the others read and complete
   * @param tls whom to trust and what to present over https; null for the JDK's defaults
   */
  Wire(String name, int threads, Duration connectTimeout, SSLContext tls) {
    QueuedThreadPool pool = new QueuedThreadPool(threads, 1);
    pool.setName(name);
    pool.setDaemon(true);
    pool.setReservedThreads(0);
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(pool);
    connector.setConnectTimeout(connectTimeout);
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    if (tls != null) {
      ssl.setSslContext(tls);
    }
    connector.setSslContextFactory(ssl);
    http = new HttpClient(new HttpClientTransportOverHTTP(connector));
    http.setExecutor(pool);
    http.setFollowRedirects(false);
    http.setIdleTimeout(IDLE.toMillis());
    http.setUserAgentField(null);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
    }
    // A 401 is the caller's answer, not a challenge for the client to meet: no redirects, no
    // authentication, no 100-continue handling of Jetty's own (start() adds them).
    http.getProtocolHandlers().clear();
  }

  /**
   * POSTs {@code json} to {@code url}; {@code authorization} and {@code userAgent} may be null.
   *
   * @throws IllegalArgumentException when {@code url} is no http or https URL; nothing was sent
   */
  @Override
  public CompletableFuture<Exchange> post(
      String url, String json, String authorization, String userAgent, Duration timeout) {
    URI uri = URI.create(url);
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("the scheme is not http or https");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("it names no host");
    }
    Request request =
        http.newRequest(uri)
            .method(HttpMethod.POST)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .body(new StringRequestContent("application/json", json))
            .headers(
                headers -> {
                  if (authorization != null) {
                    headers.put(HttpHeader.AUTHORIZATION, authorization);
                  }
                  if (userAgent != null) {
                    headers.put(HttpHeader.USER_AGENT, userAgent);
                  }
                });
    // Both marks: the commit event comes after the write, and a callee quick to close has been
    // seen to beat it, which made a request the agent had read look as if it never left.
    AtomicReference<Progress> progress = new AtomicReference<>(Progress.UNCONNECTED);
    request.onRequestBegin(r -> progress.compareAndSet(Progress.UNCONNECTED, Progress.CONNECTED));
    request.onRequestCommit(r -> progress.set(Progress.WRITTEN));
    CompletableFuture<Exchange> exchange = new CompletableFuture<>();
    request.send(
        new BufferingResponseListener(MAX_ANSWER_BYTES) {
          @Override
          public void onComplete(Result result) {
            exchange.complete(
                result.isFailed()
                    ? new Exchange(0, null, result.getFailure(), progress.get())
                    : new Exchange(
                        result.getResponse().getStatus(), getContent(), null, Progress.WRITTEN));
          }
        });
    return exchange;
  }

  /** Stops the client's threads; calls in flight fail. */
  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP client: " + e.getMessage(), e);
    }
  }
}
