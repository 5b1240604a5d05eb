package xcm.agent.migration;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * How this host takes and sends libvirt live migrations (keys {@code migration.*}):
 *
 * <pre>
 * migration.uri        the libvirt URI other hosts' libvirtd connect to, to migrate a domain here
 *                      (default: libvirt-uri; on real hosts e.g. qemu+tls://10.0.0.6/system)
 * migration.address    where migration data comes in, e.g. tcp://10.0.0.6 (default: tcp://127.0.0.1
 *                      when migration.uri names no host, i.e. every host is on this machine, as in
 *                      ./xcm lab; else empty, for libvirt to choose the destination's host name)
 * migration.timeout    a live migration still running after this long is aborted (default 5m)
 * migration.bandwidth  a cap on each live migration's bandwidth in MiB/s; 0 for none (default 0)
 * </pre>
 *
 * @param uri what {@code xcm:type=Host} advertises as {@code MigrationUri}
 * @param address what it advertises as {@code MigrationAddress}; empty to let libvirt choose
 */
public record MigrationConfig(String uri, String address, Duration timeout, long bandwidthMiBps) {

  /** Loopback: every host of a one-machine lab shares the network. */
  static final String LOCAL_ADDRESS = "tcp://127.0.0.1";

  public static MigrationConfig load(Settings s, String libvirtUri) {
    String uri = s.string("migration.uri", libvirtUri);
    String host = hostOf(s.prefix() + "migration.uri", uri, "qemu+tls://10.0.0.6/system");
    String address = s.string("migration.address", host == null ? LOCAL_ADDRESS : "");
    if (!address.isEmpty()) {
      hostOf(s.prefix() + "migration.address", address, "tcp://10.0.0.6");
    }
    Duration timeout = s.duration("migration.timeout", Duration.ofMinutes(5));
    if (timeout.isZero()) {
      throw new ConfigException(s.prefix() + "migration.timeout", "0", "must be more than 0");
    }
    long bandwidth = s.nonNegativeInt("migration.bandwidth", 0);
    return new MigrationConfig(uri, address, timeout, bandwidth);
  }

  /** The URI's host, or null when it names none (qemu:///system, qemu+unix:///...). */
  private static String hostOf(String key, String value, String example) {
    try {
      URI parsed = new URI(value);
      if (parsed.getScheme() == null) {
        throw new ConfigException(key, value, "must be a URI like " + example);
      }
      return parsed.getHost();
    } catch (URISyntaxException e) {
      throw new ConfigException(key, value, "must be a URI: " + e.getReason());
    }
  }
}
