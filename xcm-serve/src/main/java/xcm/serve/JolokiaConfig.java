package xcm.serve;

import xcm.mbeans.config.Settings;

/** Where Jolokia listens and who may use it: keys {@code jolokia.address|port|user|password}. */
public record JolokiaConfig(String address, int port, String user, String password) {

  /** Reads the {@code jolokia.*} keys under the settings' prefix. */
  public static JolokiaConfig load(Settings s, int defaultPort) {
    return new JolokiaConfig(
        s.address("jolokia.address", "127.0.0.1"),
        s.port("jolokia.port", defaultPort),
        s.string("jolokia.user", "xcm"),
        s.secret("jolokia.password", "Jolokia never runs without authentication"));
  }
}
