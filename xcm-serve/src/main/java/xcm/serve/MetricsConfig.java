package xcm.serve;

import xcm.mbeans.config.Settings;
import xcm.serve.http.DoorLimits;

/**
 * Where {@code /metrics} listens: keys {@code metrics.address|port}, and its {@link DoorLimits}
 * ({@code metrics.threads}, {@code metrics.header-timeout}, ...).
 */
public record MetricsConfig(String address, int port, DoorLimits limits) {

  /** Prometheus scrapes one at a time; a second thread lets a person look meanwhile. */
  public static final int DEFAULT_THREADS = 2;

  /** The default limits. */
  public MetricsConfig(String address, int port) {
    this(address, port, DoorLimits.defaults(DEFAULT_THREADS));
  }

  /** Reads the {@code metrics.*} keys under the settings' prefix. */
  public static MetricsConfig load(Settings s, int defaultPort) {
    return new MetricsConfig(
        s.address("metrics.address", "127.0.0.1"),
        s.port("metrics.port", defaultPort),
        DoorLimits.load(s, "metrics", DEFAULT_THREADS));
  }
}
