package xcm.serve;

import xcm.mbeans.config.Settings;

/** Where {@code /metrics} listens: keys {@code metrics.address|port}. */
public record MetricsConfig(String address, int port) {

  /** Reads the {@code metrics.*} keys under the settings' prefix. */
  public static MetricsConfig load(Settings s, int defaultPort) {
    return new MetricsConfig(
        s.address("metrics.address", "127.0.0.1"), s.port("metrics.port", defaultPort));
  }
}
