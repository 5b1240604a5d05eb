package xcm.serve.http;

import java.time.Duration;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * What one HTTP door ({@code jolokia}, {@code metrics}, {@code webhook}) gives its clients, so that
 * no client, authenticated or not, can hold it closed: keys {@code <door>.threads}, {@code
 * .header-timeout}, {@code .body-timeout}, {@code .idle-timeout}, {@code .max-connections}, {@code
 * .max-connections-per-address} and {@code .max-header-size}.
 *
 * <pre>
 * xcm.agent.jolokia.header-timeout               5s    (a request's line and headers, whole)
 * xcm.agent.jolokia.max-connections-per-address  16
 * </pre>
 *
 * @param threads requests served at once; a connection that is still sending its request holds no
 *     thread, only a connection
 * @param headerTimeout how long a client may take to send a request's line and headers, from the
 *     connection's opening (the TLS handshake included) or from its first byte after an answer
 * @param bodyTimeout how long a client may take to send a request's body, once its headers are in
 * @param idleTimeout how long a connection may stay silent: between requests, or while an answer
 *     waits for a client that does not read
 * @param maxConnections connections open at once, all clients together
 * @param maxConnectionsPerAddress connections open at once from one client address
 * @param maxHeaderBytes a request's line and headers together; larger ones get 431
 */
public record DoorLimits(
    int threads,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerAddress,
    int maxHeaderBytes) {

  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 16;
  public static final int DEFAULT_MAX_HEADER_BYTES = 8 << 10;

  public DoorLimits {
    if (threads < 1) {
      throw new IllegalArgumentException("a door needs at least one thread, found " + threads);
    }
    positive("header timeout", headerTimeout);
    positive("body timeout", bodyTimeout);
    positive("idle timeout", idleTimeout);
    if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "connection limits must be 1 or more, found "
              + maxConnections
              + " and "
              + maxConnectionsPerAddress
              + " per address");
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException(
          "the header size limit must be 1k or more, found " + maxHeaderBytes);
    }
  }

  /** The defaults, with {@code threads} request threads. */
  public static DoorLimits defaults(int threads) {
    return new DoorLimits(
        threads,
        DEFAULT_HEADER_TIMEOUT,
        DEFAULT_BODY_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_MAX_HEADER_BYTES);
  }

  /**
   * Reads the {@code <door>.*} keys under the settings' prefix; what is not given is as in {@link
   * #defaults(int)} with {@code defaultThreads}.
   *
   * @param door {@code jolokia}, {@code metrics} or {@code webhook}
   */
  public static DoorLimits load(Settings s, String door, int defaultThreads) {
    String key = door + ".";
    int threads = s.positiveInt(key + "threads", defaultThreads);
    Duration header = timeout(s, key + "header-timeout", DEFAULT_HEADER_TIMEOUT);
    Duration body = timeout(s, key + "body-timeout", DEFAULT_BODY_TIMEOUT);
    Duration idle = timeout(s, key + "idle-timeout", DEFAULT_IDLE_TIMEOUT);
    int max = s.positiveInt(key + "max-connections", DEFAULT_MAX_CONNECTIONS);
    int perAddress =
        s.positiveInt(key + "max-connections-per-address", DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    if (perAddress > max) {
      throw new ConfigException(
          s.prefix() + key + "max-connections-per-address",
          String.valueOf(perAddress),
          "must not exceed " + s.prefix() + key + "max-connections (" + max + ")");
    }
    long headerBytes = s.bytes(key + "max-header-size", DEFAULT_MAX_HEADER_BYTES);
    if (headerBytes < 1024 || headerBytes > (1 << 20)) {
      throw new ConfigException(
          s.prefix() + key + "max-header-size",
          String.valueOf(headerBytes),
          "must be between 1k and 1m");
    }
    return new DoorLimits(threads, header, body, idle, max, perAddress, (int) headerBytes);
  }

  /** A timeout of at least 100 ms: a shorter one would drop clients on a busy machine. */
  private static Duration timeout(Settings s, String key, Duration defaultValue) {
    Duration value = s.duration(key, defaultValue);
    if (value.toMillis() < 100) {
      throw new ConfigException(s.prefix() + key, value.toMillis() + "ms", "must be 100ms or more");
    }
    return value;
  }

  private static void positive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive, found " + value);
    }
  }

  /** These limits with another header timeout. */
  public DoorLimits withHeaderTimeout(Duration headerTimeout) {
    return new DoorLimits(
        threads,
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        maxConnections,
        maxConnectionsPerAddress,
        maxHeaderBytes);
  }
}
