package xcm.coordinator.enrol;

import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.http.DoorLimits;
import xcm.trust.Subject;

/**
 * Where hosts ask to join: keys {@code enrol.address} (default {@code 127.0.0.1}), {@code
 * enrol.port} (default {@value #DEFAULT_PORT}) and the door's limits ({@link DoorLimits}: {@code
 * enrol.threads}, {@code enrol.header-timeout}, …). The door speaks HTTPS only, with the
 * coordinator's own certificate.
 *
 * @param name the coordinator's name in its certificate (key {@code name}, default {@code
 *     coordinator})
 */
public record EnrolConfig(String name, String address, int port, DoorLimits limits) {
  public static final int DEFAULT_PORT = 8790;

  /** Enrolments are rare: two at once, and the rest wait for their turn. */
  static final int DEFAULT_THREADS = 2;

  /** Reads the keys. */
  public static EnrolConfig load(Settings s) {
    String name = s.string("name", "coordinator");
    if (!Subject.isValidName(name)) {
      throw new ConfigException(
          s.prefix() + "name",
          name,
          "must be letters, digits and - in dot-separated labels (it names the coordinator's"
              + " certificate)");
    }
    String address = s.address("enrol.address", "127.0.0.1");
    int port = s.port("enrol.port", DEFAULT_PORT);
    DoorLimits limits = DoorLimits.load(s, "enrol", DEFAULT_THREADS);
    return new EnrolConfig(name, address, port, limits);
  }
}
