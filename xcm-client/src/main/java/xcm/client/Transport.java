package xcm.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link JolokiaClient}'s POSTs travel: Jetty's client ({@link Wire}) for callers that live
 * long and call many callees at once, or the JDK's sockets on the caller's thread ({@link
 * SocketWire}) for a command that makes a few calls and exits, where starting Jetty costs more than
 * the calls.
 */
interface Transport extends AutoCloseable {
  /**
   * POSTs {@code json} to {@code url}; {@code authorization} and {@code userAgent} may be null.
   *
   * @throws IllegalArgumentException when {@code url} is no http or https URL; nothing was sent
   */
  CompletableFuture<Wire.Exchange> post(
      String url, String json, String authorization, String userAgent, Duration timeout);

  /** Stops what the transport runs; calls in flight fail. */
  @Override
  void close();
}
